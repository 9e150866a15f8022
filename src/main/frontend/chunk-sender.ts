import type { QueuedFile, UploadQueue } from './upload-queue';

/**
 * Sends queued files with RelayPACS's resumable upload API: init once (the upload id is kept with the file), then
 * only the chunks the server reports missing, each with its SHA-256 in Content-Digest, a few in parallel; complete;
 * then follow the server's processing to its final word. After any failure the next attempt asks the server what it
 * has, so at most the interrupted chunk is sent again.
 */
export class AuthExpiredError extends Error {}

/** A failure worth retrying (network, timeout, server busy). */
export class RetryableError extends Error {}

export interface SenderOptions {
  baseUrl?: string;
  token: () => string | undefined;
  parallel?: number;
  pollIntervalMs?: number;
  fetchFn?: typeof fetch;
  onProgress?: (file: QueuedFile) => void;
}

interface Status {
  state: string;
  missing_chunks: number[];
  error?: string;
  instances?: { state: string; message: string }[];
}

export async function sha256Base64(data: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  let binary = '';
  digest.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary);
}

export class ChunkSender {
  private readonly base: string;
  private readonly parallel: number;
  private readonly pollIntervalMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly queue: UploadQueue, private readonly options: SenderOptions) {
    this.base = options.baseUrl ?? '';
    this.parallel = options.parallel ?? 3;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.fetchFn = options.fetchFn ?? ((input, init) => fetch(input, init));
  }

  /** Brings one file as far as it can go; throws RetryableError or AuthExpiredError to be called again later. */
  async send(fileId: string): Promise<QueuedFile | undefined> {
    let file = await this.queue.get(fileId);
    if (!file || file.state === 'done' || file.state === 'failed') {
      return file;
    }
    file = await this.save(file, { state: 'sending', message: undefined });
    if (!file.uploadId) {
      const started = await this.call('POST', '/api/upload/init', {
        file_name: file.name, size: file.size, batch_id: file.batchId, chunk_size: file.chunkSize,
        content_type: file.type || undefined,
      });
      if (!started.ok) {
        return this.fail(file, await this.problem(started));
      }
      file = await this.save(file, { uploadId: (await started.json()).upload_id });
    }
    for (;;) {
      const status = await this.status(file);
      if (status === 'unknown') {
        // The server no longer knows the upload (expired): start again if every chunk is still here.
        if ((await this.queue.heldChunks(file.id)).length === file.totalChunks) {
          file = await this.save(file, { uploadId: undefined, sentBytes: 0 });
          return this.send(file.id);
        }
        return this.fail(file, 'The server no longer has this upload and part of it is gone from this device. Pick the file again.');
      }
      if (status.state !== 'RECEIVING') {
        await this.dropAllChunks(file);
        return this.follow(file);
      }
      const missing = new Set(status.missing_chunks);
      for (const held of await this.queue.heldChunks(file.id)) {
        if (!missing.has(held)) {
          await this.queue.dropChunk(file.id, held); // the server has it already
        }
      }
      file = await this.save(file, { sentBytes: file.size - this.bytesOf(file, missing) });
      if (missing.size > 0) {
        await this.sendChunks(file, [...missing].sort((a, b) => a - b));
      }
      const completed = await this.call('POST', `/api/upload/${file.uploadId}/complete`);
      if (completed.status === 202) {
        file = await this.save(file, { state: 'processing', sentBytes: file.size });
        return this.follow(file);
      }
      if (completed.status !== 409) {
        return this.fail(file, await this.problem(completed));
      }
      // 409: some chunk went missing in between; the loop asks again.
    }
  }

  private async sendChunks(file: QueuedFile, indexes: number[]): Promise<void> {
    let next = 0;
    let sent = file.sentBytes;
    let failure: unknown;
    const worker = async () => {
      // After a failure no worker takes another chunk; those in flight finish, so nothing runs on behind our back.
      while (next < indexes.length && failure === undefined) {
        const index = indexes[next++];
        const blob = await this.queue.chunk(file.id, index);
        if (!blob) {
          throw new Error(`Part ${index + 1} of ${file.name} is no longer on this device. Pick the file again.`);
        }
        const bytes = await blob.arrayBuffer();
        const response = await this.call('PUT', `/api/upload/${file.uploadId}/chunk?index=${index}`, bytes, {
          'Content-Digest': `sha-256=:${await sha256Base64(bytes)}:`,
          'Content-Type': 'application/octet-stream',
        });
        if (response.status === 201 || response.status === 204) {
          await this.queue.dropChunk(file.id, index);
          sent += bytes.byteLength;
          file = await this.save(file, { sentBytes: sent });
        } else if (response.status === 422) {
          throw new RetryableError(`Part ${index + 1} was damaged on the way; it will be sent again.`);
        } else {
          throw new Error(await this.problem(response));
        }
      }
    };
    const guarded = async () => {
      try {
        await worker();
      } catch (e) {
        failure ??= e;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.parallel, indexes.length) }, guarded));
    if (failure !== undefined) {
      throw failure;
    }
  }

  /** Waits for the server's final word on a completed upload. */
  private async follow(file: QueuedFile): Promise<QueuedFile> {
    file = await this.save(file, { state: 'processing', sentBytes: file.size });
    for (;;) {
      const status = await this.status(file);
      if (status === 'unknown') {
        return this.fail(file, 'The server no longer has this upload. Pick the file again.');
      }
      if (status.state === 'DONE') {
        const skipped = (status.instances ?? []).filter((i) => i.state === 'SKIPPED').length;
        return this.save(file, { state: 'done', message: skipped ? `Delivered to the PACS (${skipped} skipped)` : 'Delivered to the PACS' });
      }
      if (status.state === 'FAILED' || status.state === 'EXPIRED') {
        return this.fail(file, status.error ?? 'The server could not deliver this file.');
      }
      await new Promise((r) => setTimeout(r, this.pollIntervalMs));
    }
  }

  private async status(file: QueuedFile): Promise<Status | 'unknown'> {
    const r = await this.call('GET', `/api/upload/${file.uploadId}/status`);
    if (r.status === 404) {
      return 'unknown';
    }
    if (!r.ok) {
      throw new RetryableError(await this.problem(r));
    }
    return r.json();
  }

  private async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const token = this.options.token();
    const init: RequestInit = { method, headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) } };
    if (body instanceof ArrayBuffer) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetchFn(this.base + path, init);
    } catch (e) {
      throw new RetryableError('The network is not available.');
    }
    if (response.status === 401) {
      throw new AuthExpiredError('Please sign in again to continue sending. Nothing queued is lost.');
    }
    if (response.status === 429 || response.status >= 500) {
      throw new RetryableError(await this.problem(response));
    }
    return response;
  }

  private async problem(response: Response): Promise<string> {
    try {
      const body = await response.json();
      return body.detail ?? `The server answered ${response.status}.`;
    } catch {
      return `The server answered ${response.status}.`;
    }
  }

  private bytesOf(file: QueuedFile, indexes: Set<number>): number {
    let bytes = 0;
    indexes.forEach((i) => (bytes += Math.min(file.chunkSize, file.size - i * file.chunkSize)));
    return bytes;
  }

  private async dropAllChunks(file: QueuedFile) {
    for (const i of await this.queue.heldChunks(file.id)) {
      await this.queue.dropChunk(file.id, i);
    }
  }

  private async fail(file: QueuedFile, message: string): Promise<QueuedFile> {
    await this.dropAllChunks(file);
    return this.save(file, { state: 'failed', message });
  }

  private async save(file: QueuedFile, change: Partial<QueuedFile>): Promise<QueuedFile> {
    const next = (await this.queue.update(file.id, change)) ?? { ...file, ...change };
    this.options.onProgress?.(next);
    return next;
  }
}

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s ... capped. */
export function backoffMs(attempt: number, capMs = 30000, random = Math.random): number {
  const base = Math.min(capMs, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base / 2 + random() * (base / 2));
}
