import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * The queue of files to send, kept in IndexedDB as the source of truth: each picked file is copied in as chunks
 * before anything is sent, so a reload, a closed tab or a crashed browser never needs the files picked again.
 * A chunk is deleted once the server has it; a file once the server has finished with it.
 */
export type FileState = 'queued' | 'sending' | 'processing' | 'done' | 'failed' | 'paused';

export interface QueuedFile {
  id: string;
  name: string;
  size: number;
  type: string;
  batchId: string;
  chunkSize: number;
  totalChunks: number;
  /** Server upload id, once init has answered. */
  uploadId?: string;
  state: FileState;
  /** Bytes the server has confirmed. */
  sentBytes: number;
  /** The server's words about the outcome, or why sending is paused. */
  message?: string;
  addedAt: number;
}

interface QueueSchema extends DBSchema {
  files: { key: string; value: QueuedFile; indexes: { byAdded: number } };
  chunks: { key: [string, number]; value: { fileId: string; index: number; data: Blob } };
}

export const CHUNK_SIZE = 1024 * 1024;

export class UploadQueue {
  private constructor(private readonly db: IDBPDatabase<QueueSchema>) {}

  static async open(name = 'relaypacs-queue'): Promise<UploadQueue> {
    const db = await openDB<QueueSchema>(name, 1, {
      upgrade(d) {
        const files = d.createObjectStore('files', { keyPath: 'id' });
        files.createIndex('byAdded', 'addedAt');
        d.createObjectStore('chunks', { keyPath: ['fileId', 'index'] });
      },
    });
    return new UploadQueue(db);
  }

  /** Copies the files into the queue (chunk by chunk, without reading them whole into memory). */
  async enqueue(files: File[], batchId: string, chunkSize = CHUNK_SIZE): Promise<QueuedFile[]> {
    const added: QueuedFile[] = [];
    for (const file of files) {
      if (file.size === 0) {
        continue;
      }
      const entry: QueuedFile = {
        id: crypto.randomUUID(),
        name: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
        size: file.size,
        type: file.type,
        batchId,
        chunkSize,
        totalChunks: Math.ceil(file.size / chunkSize),
        state: 'queued',
        sentBytes: 0,
        addedAt: Date.now() + added.length,
      };
      const tx = this.db.transaction(['files', 'chunks'], 'readwrite');
      for (let i = 0; i < entry.totalChunks; i++) {
        // A Blob slice is stored by reference to a copy the browser keeps on disk, not as a JS array.
        const data = new Blob([file.slice(i * chunkSize, Math.min(file.size, (i + 1) * chunkSize))]);
        tx.objectStore('chunks').put({ fileId: entry.id, index: i, data });
      }
      tx.objectStore('files').put(entry);
      await tx.done;
      added.push(entry);
    }
    return added;
  }

  async list(): Promise<QueuedFile[]> {
    return this.db.getAllFromIndex('files', 'byAdded');
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
    const next = { ...current, ...change };
    await tx.store.put(next);
    await tx.done;
    return next;
  }

  async chunk(fileId: string, index: number): Promise<Blob | undefined> {
    return (await this.db.get('chunks', [fileId, index]))?.data;
  }

  /** Indexes of the chunks still held for a file. */
  async heldChunks(fileId: string): Promise<number[]> {
    const keys = await this.db.getAllKeys('chunks', IDBKeyRange.bound([fileId, 0], [fileId, Number.MAX_SAFE_INTEGER]));
    return keys.map((k) => k[1]);
  }

  async dropChunk(fileId: string, index: number): Promise<void> {
    await this.db.delete('chunks', [fileId, index]);
  }

  /** Forgets a file and whatever is left of its chunks. */
  async remove(fileId: string): Promise<void> {
    const tx = this.db.transaction(['files', 'chunks'], 'readwrite');
    await tx.objectStore('chunks').delete(IDBKeyRange.bound([fileId, 0], [fileId, Number.MAX_SAFE_INTEGER]));
    await tx.objectStore('files').delete(fileId);
    await tx.done;
  }

  close() {
    this.db.close();
  }
}
