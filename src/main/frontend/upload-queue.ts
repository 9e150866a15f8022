import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { ChunkCipher, type SealedPiece } from './chunk-cipher';
import type { SampleRun } from './sample-delta';

/**
 * The queue of files to send, kept in IndexedDB as the source of truth: each picked file is copied in, encrypted, as
 * pieces before anything is sent, so a reload, a closed tab or a crashed browser never needs the files picked again.
 * Pieces are deleted once the server has them; a file once the user clears it after the server's final word.
 *
 * A browser may be shared (a clinic PC, a ward tablet), so the queue is per user: every record carries its owner
 * (an opaque id derived from the account, see {@link ownerOf}), each owner has a key of their own, and what could
 * name a patient (file names, header summaries, typed patient details, the server's messages) is sealed with it
 * like the pieces. A queue opened for one owner neither lists, sends nor counts another's files; those wait, sealed,
 * for their owner, until the device's maximum age wipes them.
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
  accession?: string;
}

/**
 * Who photos and documents of a batch show (they have no DICOM header to say it): what the user entered, or the
 * DICOM study picked with them, which they then join.
 */
export interface PatientDetails {
  name: string;
  id: string;
  birth_date?: string;
  sex?: string;
  study_description?: string;
  accession_number?: string;
  study_instance_uid?: string;
  study_date?: string;
}

export interface QueuedFile {
  id: string;
  /** Who filled the queue with this file; only their queue lists and sends it. */
  owner?: string;
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
  /** What those took on the wire (less when compressed in transit); absent before the first chunk. */
  wireBytes?: number;
  /** Whether chunks of this file are compressed in transit: undefined until the first chunk shows whether it pays. */
  compress?: boolean;
  /** Where the file's 16-bit pixel samples lie (uncompressed DICOM), for the sample filter before deflate. */
  samples?: SampleRun;
  /** Whether filtering the samples paid on the first chunk holding them: undefined until tried. */
  filterSamples?: boolean;
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

/** What reading a picked file's header told: its study, and where its pixel samples lie. */
export interface FileFacts {
  study?: StudySummary;
  samples?: SampleRun;
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

/** The parts of a file's record that may name a patient: kept sealed with the owner's key. */
const SENSITIVE = ['name', 'study', 'patient', 'message'] as const;
type Sensitive = Pick<QueuedFile, (typeof SENSITIVE)[number]>;

/** A file as IndexedDB holds it: progress in the clear (it names nobody), the rest sealed. */
type StoredFile = Omit<QueuedFile, keyof Sensitive> & { owner: string; sealed: SealedPiece };

/** Who signed in last on this device: the service worker sends their queue with their upload-only token. */
export interface CurrentUser {
  owner: string;
  token: string;
  /** Who the files are queued as, in words for the offline start page: a user's name, or a tablet's clinic. */
  label?: string;
  /** A clinic tablet: the offline start page shows the kiosk's large targets. */
  kiosk?: boolean;
  /** A paired phone may queue offline only until its pairing ends (epoch ms). */
  until?: number;
}

/** A paired phone queues offline only within its pairing; a user or a tablet always. */
export function mayQueueOffline(current: CurrentUser | undefined, now: number): boolean {
  return !!current && (!current.until || now < current.until);
}

/** What the page knows of its user beyond the token, kept for the offline start page. */
export type CurrentUserDetails = Pick<CurrentUser, 'label' | 'kiosk' | 'until'>;

interface QueueSchema extends DBSchema {
  files: { key: string; value: StoredFile; indexes: { byOwner: [string, number] } };
  chunks: { key: [string, number]; value: Piece };
  settings: { key: string; value: unknown };
}

export const QUEUE_DB = 'relaypacs-queue';
/** Files left on a device longer than this are wiped whoever they belong to, unless the server says otherwise. */
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** 128 KiB: small enough that a cut connection on a 1 Mbit/s link wastes about a second of sending. */
export const PIECE_SIZE = 128 * 1024;
const PIECES_PER_TRANSACTION = 16;
/** A file still being copied in whose copying stopped this long ago was interrupted (closed tab, crash). */
const ABANDONED_ADDING_MS = 2 * 60 * 1000;
const UNFINISHED: FileState[] = ['adding', 'queued', 'sending', 'processing', 'paused'];

export class UploadQueue {
  /** Sealed parts already opened, by file id: listing a long queue does not decrypt every record each time. */
  private readonly opened = new Map<string, Sensitive>();
  /** Changes to one file, one after another: a sealed part is read, changed and sealed again outside a transaction. */
  private readonly writes = new Map<string, Promise<unknown>>();

  private constructor(private readonly db: IDBPDatabase<QueueSchema>, readonly owner: string, private readonly cipher: ChunkCipher) {}

  /** Opens the queue of one owner (see {@link ownerOf}); files older than the device's maximum age are wiped first. */
  static async open(owner: string, name = QUEUE_DB, now = Date.now()): Promise<UploadQueue> {
    if (!owner) {
      throw new Error('A queue belongs to somebody: no owner given.');
    }
    const db = await openDatabase(name);
    await wipeOlderThan(db, now - ((await db.get('settings', 'maxAgeMs')) as number | undefined ?? DEFAULT_MAX_AGE_MS));
    let key = (await db.get('settings', keyName(owner))) as CryptoKey | undefined;
    if (!key) {
      key = await ChunkCipher.generateKey();
      // Another tab may have stored one meanwhile: the first stored key wins.
      const tx = db.transaction('settings', 'readwrite');
      const existing = (await tx.store.get(keyName(owner))) as CryptoKey | undefined;
      if (existing) {
        key = existing;
      } else {
        await tx.store.put(key, keyName(owner));
      }
      await tx.done;
    }
    return new UploadQueue(db, owner, new ChunkCipher(key));
  }

  /** Who signed in last on this device, if anybody did and has not signed out. */
  static async currentUser(name = QUEUE_DB): Promise<CurrentUser | undefined> {
    const db = await openDatabase(name);
    try {
      return (await db.get('settings', 'current')) as CurrentUser | undefined;
    } finally {
      db.close();
    }
  }

  /** The longest files may wait on this device (an administrator's setting, handed over by the page). */
  static async setMaxAge(ms: number, name = QUEUE_DB): Promise<void> {
    const db = await openDatabase(name);
    await db.put('settings', ms, 'maxAgeMs');
    db.close();
  }

  /**
   * Copies the files into the queue piece by piece (never a whole file in memory), encrypting each piece.
   * Empty files are left out: the caller tells the user.
   */
  async enqueue(files: File[], batchId: string, factsOf: (f: File) => FileFacts | undefined = () => undefined,
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
        owner: this.owner,
        name: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
        size: file.size,
        type: file.type,
        batchId,
        pieceSize,
        totalPieces: Math.ceil(file.size / pieceSize),
        state: 'adding',
        sentBytes: 0,
        study: factsOf(file)?.study,
        samples: factsOf(file)?.samples,
        patient,
        deidentify: deidentify || undefined,
        addedAt: base + added.length,
        updatedAt: Date.now(),
      };
      const stored = await this.toStored(entry);
      await this.db.put('files', stored);
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
        tx.objectStore('files').put({ ...stored, updatedAt: Date.now() });
        await tx.done;
      }
      entry = { ...entry, state: 'queued', updatedAt: Date.now() };
      await this.db.put('files', { ...stored, state: entry.state, updatedAt: entry.updatedAt });
      added.push(entry);
      onAdded?.(entry);
    }
    return added;
  }

  /** This owner's files, in the order they were added. */
  async list(): Promise<QueuedFile[]> {
    const stored = await this.db.getAllFromIndex('files', 'byOwner',
      IDBKeyRange.bound([this.owner, -Infinity], [this.owner, Infinity]));
    return Promise.all(stored.map((f) => this.fromStored(f)));
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

  /** One of this owner's files; another owner's file is not there as far as this queue is concerned. */
  async get(id: string): Promise<QueuedFile | undefined> {
    const stored = await this.db.get('files', id);
    return stored?.owner === this.owner ? this.fromStored(stored) : undefined;
  }

  /**
   * Records the server's upload id for a file unless it has one already (two tabs, or a tab and the service worker,
   * may declare the same file at once): one transaction, so exactly one id wins. Resolves with the file as stored.
   */
  async setUploadOnce(id: string, uploadId: string, chunkSize: number): Promise<QueuedFile | undefined> {
    const tx = this.db.transaction('files', 'readwrite');
    const current = await tx.store.get(id);
    if (!current || current.owner !== this.owner) {
      await tx.done;
      return undefined;
    }
    const next = current.uploadId ? current : { ...current, uploadId, chunkSize, updatedAt: Date.now() };
    if (next !== current) {
      await tx.store.put(next);
    }
    await tx.done;
    return this.fromStored(next);
  }

  async update(id: string, change: Partial<QueuedFile>): Promise<QueuedFile | undefined> {
    if (!SENSITIVE.some((k) => k in change)) {
      // Progress only: one transaction, the sealed part untouched.
      const tx = this.db.transaction('files', 'readwrite');
      const current = await tx.store.get(id);
      if (!current || current.owner !== this.owner) {
        await tx.done;
        return undefined;
      }
      const next = { ...current, ...change, owner: this.owner, updatedAt: Date.now() };
      await tx.store.put(next);
      await tx.done;
      return this.fromStored(next);
    }
    return this.oneAfterAnother(id, async () => {
      const current = await this.get(id);
      if (!current) {
        return undefined;
      }
      const next = { ...current, ...change, owner: this.owner, updatedAt: Date.now() };
      const stored = await this.toStored(next);
      // Sealed outside the transaction (it would auto-commit while WebCrypto works); progress written meanwhile wins.
      const tx = this.db.transaction('files', 'readwrite');
      const latest = await tx.store.get(id);
      if (!latest) {
        await tx.done;
        return undefined;
      }
      const progress = Object.fromEntries(Object.entries(latest).filter(([k]) => !(k in change) && k !== 'sealed'));
      await tx.store.put({ ...stored, ...progress, updatedAt: next.updatedAt });
      await tx.done;
      return this.fromStored({ ...stored, ...progress, updatedAt: next.updatedAt });
    });
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

  /** Forgets one of this owner's files and whatever is left of its pieces. */
  async remove(fileId: string): Promise<void> {
    const tx = this.db.transaction(['files', 'chunks'], 'readwrite');
    if ((await tx.objectStore('files').get(fileId))?.owner === this.owner) {
      await tx.objectStore('chunks').delete(this.piecesOf(fileId));
      await tx.objectStore('files').delete(fileId);
    }
    await tx.done;
    this.opened.delete(fileId);
  }

  /** Device-wide settings that name nobody: sending options, the measured rate. */
  async setting<T>(name: 'options' | 'rate'): Promise<T | undefined> {
    return (await this.db.get('settings', name)) as T | undefined;
  }

  async setSetting(name: 'options' | 'rate', value: unknown): Promise<void> {
    await this.db.put('settings', value, name);
  }

  async sendingOptions(): Promise<SendingOptions> {
    return { wifiOnly: false, capBytesPerSecond: 0, ...(await this.setting<Partial<SendingOptions>>('options')) };
  }

  /**
   * Makes this owner the one the service worker sends for, with their latest upload-only token (short-lived; the
   * page renews it). Whoever signed in before keeps their files, sealed, but no longer a token on this device.
   */
  async becomeCurrent(token: string, details: CurrentUserDetails = {}): Promise<void> {
    await this.db.put('settings', { ...details, owner: this.owner, token } satisfies CurrentUser, 'current');
  }

  /**
   * Deletes everything this device holds for this owner: their files, pieces and key, and their token if theirs is
   * the current one. Other owners' queues stay. The queue is unusable afterwards.
   */
  async wipe(): Promise<void> {
    const mine = await this.db.getAllKeys('files', undefined);
    const tx = this.db.transaction(['files', 'chunks', 'settings'], 'readwrite');
    for (const id of mine) {
      if ((await tx.objectStore('files').get(id))?.owner === this.owner) {
        await tx.objectStore('chunks').delete(this.piecesOf(id));
        await tx.objectStore('files').delete(id);
      }
    }
    await tx.objectStore('settings').delete(keyName(this.owner));
    if (((await tx.objectStore('settings').get('current')) as CurrentUser | undefined)?.owner === this.owner) {
      await tx.objectStore('settings').delete('current');
    }
    await tx.done;
    this.opened.clear();
    this.db.close();
  }

  close() {
    this.db.close();
  }

  private async toStored(file: QueuedFile): Promise<StoredFile> {
    const sensitive: Sensitive = { name: file.name, study: file.study, patient: file.patient, message: file.message };
    const rest = Object.fromEntries(Object.entries(file).filter(([k]) => !(SENSITIVE as readonly string[]).includes(k)));
    const sealed = await this.cipher.seal(new TextEncoder().encode(JSON.stringify(sensitive)).buffer as ArrayBuffer);
    this.opened.set(file.id, sensitive);
    return { ...(rest as Omit<QueuedFile, keyof Sensitive>), owner: this.owner, sealed };
  }

  private async fromStored(stored: StoredFile): Promise<QueuedFile> {
    let sensitive = this.opened.get(stored.id);
    if (!sensitive) {
      sensitive = JSON.parse(new TextDecoder().decode(await this.cipher.open(stored.sealed))) as Sensitive;
      this.opened.set(stored.id, sensitive);
    }
    const { sealed: _sealed, ...rest } = stored;
    return { ...rest, ...sensitive };
  }

  private oneAfterAnother<T>(id: string, run: () => Promise<T>): Promise<T> {
    const previous = this.writes.get(id) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.catch(() => undefined);
    this.writes.set(id, settled);
    void settled.then(() => this.writes.get(id) === settled && this.writes.delete(id));
    return next;
  }

  private piecesOf(fileId: string) {
    return IDBKeyRange.bound([fileId, 0], [fileId, Number.MAX_SAFE_INTEGER]);
  }
}

function keyName(owner: string): string {
  return `key:${owner}`;
}

async function openDatabase(name: string): Promise<IDBPDatabase<QueueSchema>> {
  return openDB<QueueSchema>(name, 3, {
    upgrade(d) {
      // Earlier versions kept one queue for whoever signed in (version 1: plain chunks); nothing is carried over
      // without an owner.
      for (const store of [...d.objectStoreNames]) {
        d.deleteObjectStore(store);
      }
      d.createObjectStore('files', { keyPath: 'id' }).createIndex('byOwner', ['owner', 'addedAt']);
      d.createObjectStore('chunks', { keyPath: ['fileId', 'index'] });
      d.createObjectStore('settings');
    },
  });
}

/** Wipes every file, of any owner, untouched since the cut-off, and the keys nobody's files need any more. */
async function wipeOlderThan(db: IDBPDatabase<QueueSchema>, cutoff: number): Promise<void> {
  const tx = db.transaction(['files', 'chunks', 'settings'], 'readwrite');
  const owners = new Set<string>();
  let cursor = await tx.objectStore('files').openCursor();
  while (cursor) {
    const file = cursor.value;
    if (file.updatedAt < cutoff) {
      await tx.objectStore('chunks').delete(IDBKeyRange.bound([file.id, 0], [file.id, Number.MAX_SAFE_INTEGER]));
      await cursor.delete();
    } else {
      owners.add(file.owner);
    }
    cursor = await cursor.continue();
  }
  const current = (await tx.objectStore('settings').get('current')) as CurrentUser | undefined;
  for (const key of await tx.objectStore('settings').getAllKeys()) {
    const owner = String(key).startsWith('key:') ? String(key).slice(4) : undefined;
    if (owner && !owners.has(owner) && owner !== current?.owner) {
      await tx.objectStore('settings').delete(key);
    }
  }
  await tx.done;
}

/**
 * The queue owner a token stands for: a digest of the issuer's user id, so the device's storage holds no user name.
 * The token is only read here, not trusted: the server checks it on every request.
 */
export async function ownerOf(token: string): Promise<string | undefined> {
  try {
    const payload = JSON.parse(new TextDecoder().decode(base64UrlDecode(token.split('.')[1] ?? ''))) as { uid?: unknown; iss?: unknown };
    if (payload.uid === undefined || payload.uid === null) {
      return undefined;
    }
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${String(payload.iss)}:${String(payload.uid)}`));
    return [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return undefined;
  }
}

function base64UrlDecode(text: string): Uint8Array {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}
