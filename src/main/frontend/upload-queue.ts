import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { ChunkCipher, type SealedPiece } from './chunk-cipher';

/**
 * The queue of files to send, kept in IndexedDB as the source of truth: each picked file is copied in, encrypted, as
 * pieces before anything is sent, so a reload, a closed tab or a crashed browser never needs the files picked again.
 * Pieces are deleted once the server has them; a file once the user clears it after the server's final word.
 */
export type FileState = 'adding' | 'queued' | 'sending' | 'processing' | 'done' | 'failed' | 'paused';

/** What the DICOM header says about the study a file belongs to (read in the browser before sending). */
export interface StudySummary {
  studyUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  description: string;
  modality: string;
}

/** What the user entered for photos of a batch: a photo has no DICOM header to say who it shows. */
export interface PatientDetails {
  name: string;
  id: string;
  birth_date?: string;
  sex?: string;
  study_description?: string;
}

export interface QueuedFile {
  id: string;
  name: string;
  size: number;
  type: string;
  batchId: string;
  /** Size of the encrypted pieces the file is kept as; a chunk on the wire is a whole number of pieces. */
  pieceSize: number;
  totalPieces: number;
  /** Chunk size agreed with the server at init. */
  chunkSize?: number;
  /** Server upload id, once init has answered. */
  uploadId?: string;
  state: FileState;
  /** Bytes the server has confirmed. */
  sentBytes: number;
  /** The server's words about the outcome, or why sending is paused. */
  message?: string;
  /** Files the server found were not medical images (skipped rather than forwarded). */
  skipped?: number;
  study?: StudySummary;
  /** For photos: sent with init, so the server can make DICOM of them. */
  patient?: PatientDetails;
  /** The user asked for the patient details to be removed before the PACS gets the images. */
  deidentify?: boolean;
  addedAt: number;
  updatedAt: number;
}

export interface SendingOptions {
  /** Send only while the browser reports a Wi-Fi or wired connection. */
  wifiOnly: boolean;
  /** Upper bound on the upload rate, bytes per second; 0 for none. */
  capBytesPerSecond: number;
}

interface Piece extends SealedPiece {
  fileId: string;
  index: number;
}

interface QueueSchema extends DBSchema {
  files: { key: string; value: QueuedFile; indexes: { byAdded: number } };
  chunks: { key: [string, number]; value: Piece };
  settings: { key: string; value: unknown };
}

/** 128 KiB: small enough that a cut connection on a 1 Mbit/s link wastes about a second of sending. */
export const PIECE_SIZE = 128 * 1024;
const PIECES_PER_TRANSACTION = 16;
/** A file still being copied in whose copying stopped this long ago was interrupted (closed tab, crash). */
const ABANDONED_ADDING_MS = 2 * 60 * 1000;
const UNFINISHED: FileState[] = ['adding', 'queued', 'sending', 'processing', 'paused'];

export class UploadQueue {
  private constructor(private readonly db: IDBPDatabase<QueueSchema>, private readonly cipher: ChunkCipher) {}

  static async open(name = 'relaypacs-queue'): Promise<UploadQueue> {
    const db = await openDB<QueueSchema>(name, 2, {
      upgrade(d, oldVersion) {
        if (oldVersion < 2) {
          // Version 1 kept plain chunks; nothing of it is carried over unencrypted.
          for (const store of [...d.objectStoreNames]) {
            d.deleteObjectStore(store);
          }
          d.createObjectStore('files', { keyPath: 'id' }).createIndex('byAdded', 'addedAt');
          d.createObjectStore('chunks', { keyPath: ['fileId', 'index'] });
          d.createObjectStore('settings');
        }
      },
    });
    let key = (await db.get('settings', 'key')) as CryptoKey | undefined;
    if (!key) {
      key = await ChunkCipher.generateKey();
      // Another tab may have stored one meanwhile: the first stored key wins.
      const tx = db.transaction('settings', 'readwrite');
      const existing = (await tx.store.get('key')) as CryptoKey | undefined;
      if (existing) {
        key = existing;
      } else {
        await tx.store.put(key, 'key');
      }
      await tx.done;
    }
    return new UploadQueue(db, new ChunkCipher(key));
  }

  /**
   * Copies the files into the queue piece by piece (never a whole file in memory), encrypting each piece.
   * Empty files are left out: the caller tells the user.
   */
  async enqueue(files: File[], batchId: string, studyOf: (f: File) => StudySummary | undefined = () => undefined,
                pieceSize = PIECE_SIZE, onAdded?: (file: QueuedFile) => void, patient?: PatientDetails,
                deidentify = false): Promise<QueuedFile[]> {
    const added: QueuedFile[] = [];
    const base = Date.now();
    for (const file of files) {
      if (file.size === 0) {
        continue;
      }
      let entry: QueuedFile = {
        id: crypto.randomUUID(),
        name: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
        size: file.size,
        type: file.type,
        batchId,
        pieceSize,
        totalPieces: Math.ceil(file.size / pieceSize),
        state: 'adding',
        sentBytes: 0,
        study: studyOf(file),
        patient,
        deidentify: deidentify || undefined,
        addedAt: base + added.length,
        updatedAt: Date.now(),
      };
      await this.db.put('files', entry);
      for (let first = 0; first < entry.totalPieces; first += PIECES_PER_TRANSACTION) {
        const indexes = [];
        for (let i = first; i < Math.min(entry.totalPieces, first + PIECES_PER_TRANSACTION); i++) {
          indexes.push(i);
        }
        // Pieces of a batch are read and sealed concurrently: WebCrypto works off the main thread.
        const sealed: Piece[] = await Promise.all(indexes.map(async (i) => {
          const plain = await file.slice(i * pieceSize, Math.min(file.size, (i + 1) * pieceSize)).arrayBuffer();
          return { fileId: entry.id, index: i, ...(await this.cipher.seal(plain)) };
        }));
        // Encryption is asynchronous, so each transaction starts once its pieces are sealed (it would auto-commit).
        const tx = this.db.transaction(['chunks', 'files'], 'readwrite');
        sealed.forEach((p) => tx.objectStore('chunks').put(p));
        tx.objectStore('files').put({ ...entry, updatedAt: Date.now() });
        await tx.done;
      }
      entry = { ...entry, state: 'queued', updatedAt: Date.now() };
      await this.db.put('files', entry);
      added.push(entry);
      onAdded?.(entry);
    }
    return added;
  }

  async list(): Promise<QueuedFile[]> {
    return this.db.getAllFromIndex('files', 'byAdded');
  }

  /** Files not yet finished (sent and answered for). */
  async pending(): Promise<QueuedFile[]> {
    return (await this.list()).filter((f) => UNFINISHED.includes(f.state));
  }

  /** Forgets files whose copying into the queue was cut short; they need picking again. */
  async removeAbandoned(now = Date.now()): Promise<QueuedFile[]> {
    const abandoned = (await this.list()).filter((f) => f.state === 'adding' && now - f.updatedAt > ABANDONED_ADDING_MS);
    for (const f of abandoned) {
      await this.remove(f.id);
    }
    return abandoned;
  }

  async get(id: string): Promise<QueuedFile | undefined> {
    return this.db.get('files', id);
  }

  async update(id: string, change: Partial<QueuedFile>): Promise<QueuedFile | undefined> {
    const tx = this.db.transaction('files', 'readwrite');
    const current = await tx.store.get(id);
    if (!current) {
      await tx.done;
      return undefined;
    }
    const next = { ...current, ...change, updatedAt: Date.now() };
    await tx.store.put(next);
    await tx.done;
    return next;
  }

  /** The plain bytes of one piece, or undefined when it is no longer held. */
  async piece(fileId: string, index: number): Promise<ArrayBuffer | undefined> {
    const sealed = await this.db.get('chunks', [fileId, index]);
    return sealed ? this.cipher.open(sealed) : undefined;
  }

  /** Indexes of the pieces still held for a file. */
  async heldPieces(fileId: string): Promise<number[]> {
    const keys = await this.db.getAllKeys('chunks', this.piecesOf(fileId));
    return keys.map((k) => k[1]);
  }

  /** Drops pieces [from, to). */
  async dropPieces(fileId: string, from: number, to: number): Promise<void> {
    if (to > from) {
      await this.db.delete('chunks', IDBKeyRange.bound([fileId, from], [fileId, to - 1]));
    }
  }

  /** Forgets a file and whatever is left of its pieces. */
  async remove(fileId: string): Promise<void> {
    const tx = this.db.transaction(['files', 'chunks'], 'readwrite');
    await tx.objectStore('chunks').delete(this.piecesOf(fileId));
    await tx.objectStore('files').delete(fileId);
    await tx.done;
  }

  async setting<T>(name: string): Promise<T | undefined> {
    return (await this.db.get('settings', name)) as T | undefined;
  }

  async setSetting(name: string, value: unknown): Promise<void> {
    await this.db.put('settings', value, name);
  }

  async sendingOptions(): Promise<SendingOptions> {
    return { wifiOnly: false, capBytesPerSecond: 0, ...(await this.setting<Partial<SendingOptions>>('options')) };
  }

  /**
   * Deletes everything this device holds for RelayPACS: queued files, their pieces, the token and the encryption
   * key. The queue is unusable afterwards; open it again for a fresh key.
   */
  async wipe(): Promise<void> {
    const tx = this.db.transaction(['files', 'chunks', 'settings'], 'readwrite');
    await Promise.all([tx.objectStore('files').clear(), tx.objectStore('chunks').clear(), tx.objectStore('settings').clear()]);
    await tx.done;
    this.db.close();
  }

  close() {
    this.db.close();
  }

  private piecesOf(fileId: string) {
    return IDBKeyRange.bound([fileId, 0], [fileId, Number.MAX_SAFE_INTEGER]);
  }
}
