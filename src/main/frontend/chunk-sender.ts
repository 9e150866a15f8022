import { language, t } from './i18n';
import { filterSamples, runInChunk, type SampleRun } from './sample-delta';
import type { QueuedFile, UploadQueue } from './upload-queue';

/** The server refused the token: a new sign-in is needed before anything more is sent. */
export class AuthExpiredError extends Error {}

/** A failure worth retrying (network, timeout, server busy). */
export class RetryableError extends Error {
  /** How long the server asked to wait (Retry-After), when it did. */
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** Sending must wait for a change the browser announces (e.g. Wi-Fi back), not for a timer. */
export class HoldError extends RetryableError {}

export interface SenderOptions {
  baseUrl?: string;
  token: () => string | undefined;
  /** Chunks in flight at once on a fast link; a slow link gets one at a time (parallel requests only split it). */
  parallel?: number;
  fetchFn?: typeof fetch;
  onProgress?: (file: QueuedFile) => void;
  /** Upload rate last measured (bytes/s), to size chunks before this sender has measured anything. */
  initialRate?: number;
  onRate?: (bytesPerSecond: number) => void;
  /** Waits as long as a bandwidth cap requires before sending so many bytes. */
  pace?: (bytes: number) => Promise<void>;
  /** Why sending must wait now (e.g. "Waiting for Wi-Fi"), or undefined to go ahead. */
  holdReason?: () => string | undefined;
  /** Compresses chunks (a Worker where there can be one). */
  deflater?: Deflater;
}

/** The server answers about at most this many uploads in one status request. */
const MAX_STATUSES_PER_REQUEST = 200;
/** A chunk should take about this long on the wire: a cut connection then costs at most that much sending. */
const TARGET_CHUNK_MS = 1000;
/** A chunk slower than this means the link, not latency, is the limit: parallel requests would only split it. */
const SLOW_CHUNK_MS = 2000;
const MAX_PIECES_PER_CHUNK = 32;
const REQUEST_TIMEOUT_MS = 30_000;
/** A link that moves less than this in SLOW_CHUNK_MS counts as slow from the start. */
const SLOW_LINK_BYTES = 256 * 1024;

/** Whole pieces per chunk so that a chunk takes about TARGET_CHUNK_MS at the given rate (a power of two). */
export function chunkSizeFor(rate: number | undefined, pieceSize: number): number {
  if (!rate) {
    return pieceSize; // nothing measured yet: assume the bad link, adapt once measured
  }
  let pieces = 1;
  while (pieces * 2 <= MAX_PIECES_PER_CHUNK && pieces * 2 * pieceSize <= (rate * TARGET_CHUNK_MS) / 1000) {
    pieces *= 2;
  }
  return pieces * pieceSize;
}

interface Started {
  upload_id: string;
  chunk_size: number;
  total_chunks: number;
}

/** Files declared in one request, at most; and the JSON kept well under the server's 64 KB for a request body. */
const MAX_DECLARED_TOGETHER = 100;
const MAX_DECLARATIONS_JSON = 48 * 1024;

/** Splits declarations into requests of at most MAX_DECLARED_TOGETHER files and MAX_DECLARATIONS_JSON bytes. */
export function declarationBatches<F, D>(files: F[], declare: (f: F) => D): { file: F; declaration: D }[][] {
  const batches: { file: F; declaration: D }[][] = [];
  let current: { file: F; declaration: D }[] = [];
  let bytes = 0;
  for (const file of files) {
    const declaration = declare(file);
    const size = JSON.stringify(declaration).length + 1;
    if (current.length > 0 && (current.length >= MAX_DECLARED_TOGETHER || bytes + size > MAX_DECLARATIONS_JSON)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ file, declaration });
    bytes += size;
  }
  if (current.length > 0) {
    batches.push(current);
  }
  return batches;
}

interface Status {
  state: string;
  missing_chunks: number[];
  error?: string;
  instances?: { state: string; message: string }[];
}

/** The status a 202 carries; one that cannot be read says only "on its way" (the next pass asks). */
async function answeredStatus(response: Response): Promise<Status> {
  try {
    return await response.json();
  } catch {
    return { state: 'COMPLETE', missing_chunks: [] };
  }
}

/** Content that is compressed already (images, archives): deflating it again only costs time. */
const ALREADY_COMPRESSED = /^(image\/(jpeg|png|gif|webp|heic|heif|avif)|application\/(zip|x-7z-compressed|gzip|x-rar-compressed)|video\/)/;
/** A compressed chunk must save at least this share of its bytes, or the file is sent as it is from then on. */
const WORTH_COMPRESSING = 0.9;

/** Whether to try compressing a file's chunks: not for content known to be compressed, nor after a chunk that did not pay. */
export function mayCompress(file: Pick<QueuedFile, 'type' | 'name' | 'compress'>): boolean {
  return file.compress !== false && typeof CompressionStream !== 'undefined' && !ALREADY_COMPRESSED.test(file.type)
    && !/\.(jpe?g|png|zip|gz|mp4|heic)$/i.test(file.name);
}

/** The chunk deflated (zlib, HTTP's "deflate" coding) by the browser's native compressor, its samples filtered first if given. */
export async function deflateHere(bytes: ArrayBuffer, run?: SampleRun): Promise<ArrayBuffer> {
  const stream = new Blob([run ? filterSamples(bytes, run) : bytes]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Response(stream).arrayBuffer();
}

/**
 * Deflates in a Worker where the page can start one, so a page sending hundreds of files stays smooth (the
 * compressor runs on the thread that feeds it); in a service worker, or if the Worker fails, right here.
 */
export class Deflater {
  private worker?: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (b: ArrayBuffer) => void; reject: (e: Error) => void }>();

  constructor(start: () => Worker | undefined = startCompressWorker) {
    try {
      this.worker = start();
    } catch {
      this.worker = undefined;
    }
    this.worker?.addEventListener('message', (e: MessageEvent<{ id: number; bytes?: ArrayBuffer; error?: string }>) => {
      const call = this.waiting.get(e.data.id);
      this.waiting.delete(e.data.id);
      if (e.data.bytes) {
        call?.resolve(e.data.bytes);
      } else {
        call?.reject(new Error(e.data.error));
      }
    });
    this.worker?.addEventListener('error', () => this.giveUpWorker());
  }

  async deflate(bytes: ArrayBuffer, run?: SampleRun): Promise<ArrayBuffer> {
    if (!this.worker) {
      return deflateHere(bytes, run);
    }
    const id = this.next++;
    try {
      return await new Promise<ArrayBuffer>((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        this.worker!.postMessage({ id, bytes, run }); // copied, not transferred: the chunk may still go as it is
      });
    } catch {
      return deflateHere(bytes, run);
    }
  }

  private giveUpWorker() {
    this.worker?.terminate();
    this.worker = undefined;
    this.waiting.forEach((call) => call.reject(new Error(t('sender.workerStopped'))));
    this.waiting.clear();
  }
}

function startCompressWorker(): Worker | undefined {
  return typeof Worker === 'undefined' || typeof window === 'undefined' ? undefined
    : new Worker(new URL('./compress-worker.ts', import.meta.url), { type: 'module' });
}

export async function sha256Base64(data: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  let binary = '';
  digest.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary);
}

/**
 * Sends queued files with RelayPACS's resumable upload API: init once (the upload id is kept with the file), then
 * only the chunks the server reports missing, each with its SHA-256 in Content-Digest, a few in parallel; complete;
 * then ask on later passes for the server's final word. After any failure the next attempt asks the server what it
 * has, so at most the interrupted chunk is sent again.
 */
export class ChunkSender {
  private readonly base: string;
  private readonly parallel: number;
  private readonly fetchFn: typeof fetch;

  private rate?: number;
  /** Kept across files and retries, so that a slow link is not flooded again after every interruption. */
  private slowLink: boolean;
  private readonly deflater: Deflater;
  /** Files just declared, with their chunk count: the server has nothing of them yet, no need to ask. */
  private readonly fresh = new Map<string, number>();

  constructor(private readonly queue: UploadQueue, private readonly options: SenderOptions) {
    this.rate = options.initialRate;
    this.slowLink = this.rate !== undefined && (this.rate * SLOW_CHUNK_MS) / 1000 < SLOW_LINK_BYTES;
    this.base = options.baseUrl ?? '';
    this.parallel = options.parallel ?? 3;
    this.fetchFn = options.fetchFn ?? ((input, init) => fetch(input, init));
    this.deflater = options.deflater ?? new Deflater();
  }

  /**
   * Declares small files together, a request for up to {@link MAX_DECLARED_TOGETHER} of them instead of one each
   * (on a slow link every request costs about a kilobyte of headers). Only files that go in one chunk at the
   * current rate: a larger file is declared when it is sent, with a chunk size fitted to the rate measured by then.
   * A file the server will not take fails with its reason; one it could not take now (rate limit) waits for the
   * next pass. Resolves with the files that changed.
   */
  async declareAll(files: QueuedFile[]): Promise<QueuedFile[]> {
    const todo = files.filter((f) => !f.uploadId && f.state !== 'done' && f.state !== 'failed'
      && f.size <= chunkSizeFor(this.rate, f.pieceSize));
    if (todo.length < 2) {
      return [];
    }
    this.holdIfNeeded();
    const changed: QueuedFile[] = [];
    for (const batch of declarationBatches(todo, (f) => this.declaration(f))) {
      const r = await this.call('POST', '/api/upload/init-batch', { files: batch.map((b) => b.declaration) });
      if (r.status === 404 || r.status === 405) {
        return changed; // a server without batches: each file is declared when it is sent
      }
      if (!r.ok) {
        throw new RetryableError(await this.problem(r));
      }
      const answers = (await r.json()).uploads as { started?: Started; problem?: { status: number; detail: string } }[];
      for (const [i, { file }] of batch.entries()) {
        const answer = answers[i];
        if (answer?.started && answer.started.chunk_size % file.pieceSize === 0) {
          changed.push(await this.took(file, answer.started));
        } else if (answer?.problem && answer.problem.status !== 429 && answer.problem.status < 500) {
          changed.push(await this.fail(file, answer.problem.detail));
        }
      }
    }
    return changed;
  }

  private declaration(file: QueuedFile) {
    return {
      file_name: file.name, size: file.size, batch_id: file.batchId,
      chunk_size: chunkSizeFor(this.rate, file.pieceSize), content_type: file.type || undefined,
      patient: file.patient, deidentify: file.deidentify,
    };
  }

  /** Keeps the server's upload id for the file, unless another sender declared it first (then theirs is used). */
  private async took(file: QueuedFile, started: Started): Promise<QueuedFile> {
    const stored = await this.queue.setUploadOnce(file.id, started.upload_id, started.chunk_size);
    if (stored?.uploadId === started.upload_id) {
      this.fresh.set(file.id, started.total_chunks);
    }
    const next = stored ?? { ...file, uploadId: started.upload_id, chunkSize: started.chunk_size };
    this.options.onProgress?.(next);
    return next;
  }

  /** Brings one file as far as it can go; throws RetryableError or AuthExpiredError to be called again later. */
  async send(fileId: string): Promise<QueuedFile | undefined> {
    let file = await this.queue.get(fileId);
    if (!file || file.state === 'done' || file.state === 'failed') {
      return file;
    }
    if (file.state === 'processing' && file.uploadId) {
      return this.checkOnce(file); // sent whole: only the server's word is awaited
    }
    this.holdIfNeeded();
    file = await this.save(file, { state: 'sending', message: undefined });
    if (!file.uploadId) {
      const started = await this.call('POST', '/api/upload/init', this.declaration(file));
      if (!started.ok) {
        return this.fail(file, await this.problem(started));
      }
      const answer = await started.json();
      if (answer.chunk_size % file.pieceSize !== 0) {
        return this.fail(file, t('sender.chunkSize', answer.chunk_size));
      }
      file = await this.took(file, answer);
    }
    let fresh = this.fresh.get(file.id);
    this.fresh.delete(file.id);
    for (;;) {
      // Just started: the server has nothing yet, no need to ask it which chunks it misses (one request less a file).
      const status: Status | 'unknown' = fresh !== undefined
        ? { state: 'RECEIVING', missing_chunks: [...Array(fresh).keys()] } as Status : await this.status(file);
      fresh = undefined;
      if (status === 'unknown') {
        // The server no longer knows the upload (expired): start again if every chunk is still here.
        if ((await this.queue.heldPieces(file.id)).length === file.totalPieces) {
          file = await this.save(file, { uploadId: undefined, chunkSize: undefined, sentBytes: 0 });
          return this.send(file.id);
        }
        return this.fail(file, t('sender.goneBoth'));
      }
      if (status.state !== 'RECEIVING') {
        await this.dropAllChunks(file);
        return this.checkOnce(file);
      }
      const missing = new Set(status.missing_chunks);
      const perChunk = this.piecesPerChunk(file);
      const heldChunks = new Set((await this.queue.heldPieces(file.id)).map((p) => Math.floor(p / perChunk)));
      for (const chunk of heldChunks) {
        if (!missing.has(chunk)) {
          await this.dropChunk(file, chunk); // the server has it already
        }
      }
      file = await this.save(file, { sentBytes: file.size - this.bytesOf(file, missing) });
      // A file of one chunk completes with it: one request less for each small file.
      const completesWithChunk = missing.size === 1 && file.size <= file.chunkSize!;
      const completedWith = missing.size > 0 ? await this.sendChunks(file, [...missing].sort((a, b) => a - b), completesWithChunk) : undefined;
      if (completedWith) {
        return this.completed(file, completedWith);
      }
      const completed = await this.call('POST', `/api/upload/${file.uploadId}/complete`);
      if (completed.status === 202) {
        return this.completed(file, await answeredStatus(completed));
      }
      if (completed.status !== 409) {
        return this.fail(file, await this.problem(completed));
      }
      // 409: some chunk went missing in between; the loop asks again.
    }
  }

  /** Sends the chunks; resolves with the server's status when it completed the upload with the last one (asked to). */
  private async sendChunks(file: QueuedFile, indexes: number[], complete = false): Promise<Status | undefined> {
    let completed: Status | undefined;
    let next = 0;
    let sent = file.sentBytes;
    let wire = file.wireBytes ?? file.sentBytes;
    let failure: unknown;
    const worker = async (id: number) => {
      // After a failure no worker takes another chunk; those in flight finish, so nothing runs on behind our back.
      while (next < indexes.length && failure === undefined && !(this.slowLink && id > 0)) {
        this.holdIfNeeded();
        const index = indexes[next++];
        const bytes = await this.chunkBytes(file, index);
        await this.options.pace?.(bytes.byteLength);
        const started = performance.now();
        const body = await this.encoded(file, index, bytes);
        if (body.compress !== file.compress || body.filterSamples !== file.filterSamples) {
          file = await this.save(file, { compress: body.compress, filterSamples: body.filterSamples });
        }
        const response = await this.call('PUT', `/api/upload/${file.uploadId}/chunk?index=${index}${complete ? '&complete=true' : ''}`,
          body.data, body.headers);
        if (response.status === 202) {
          completed = await answeredStatus(response);
        }
        if (response.status === 201 || response.status === 204 || response.status === 202) {
          const took = performance.now() - started;
          this.slowLink = took > SLOW_CHUNK_MS;
          this.measured(bytes.byteLength, took);
          await this.dropChunk(file, index);
          sent += bytes.byteLength;
          wire += body.data.byteLength;
          file = await this.save(file, { sentBytes: sent, wireBytes: wire });
        } else if (response.status === 422 && body.compress) {
          // A server that does not decode would find the chunk the wrong size: send this file as it is from now on.
          file = await this.save(file, { compress: false });
          throw new RetryableError(t('sender.resendPlain', index + 1));
        } else if (response.status === 422) {
          throw new RetryableError(t('sender.damaged', index + 1));
        } else {
          throw new Error(await this.problem(response));
        }
      }
    };
    const guarded = async (id: number) => {
      try {
        await worker(id);
      } catch (e) {
        failure ??= e;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.parallel, indexes.length) }, (_, id) => guarded(id)));
    if (failure !== undefined) {
      throw failure;
    }
    return completed;
  }

  /**
   * What goes on the wire for a chunk: deflated with Repr-Digest (RFC 9530, the SHA-256 of the chunk itself, which
   * the server stores and checks whatever the coding) when that saves enough, else the chunk as it is with
   * Content-Digest. A file whose chunk did not pay is sent as it is from then on. A chunk holding 16-bit pixel
   * samples is also tried with them filtered (Sample-Delta header), on the file's first such chunk; whichever is
   * smaller is kept for the rest of the file.
   */
  private async encoded(file: QueuedFile, index: number, bytes: ArrayBuffer) {
    const digest = `sha-256=:${await sha256Base64(bytes)}:`;
    if (mayCompress(file)) {
      const run = file.filterSamples === false ? undefined : runInChunk(file.samples, index * file.chunkSize!, bytes.byteLength);
      let deflated = await this.deflater.deflate(bytes, run);
      let filtered = run !== undefined;
      if (run && file.filterSamples === undefined) {
        const plain = await this.deflater.deflate(bytes);
        filtered = deflated.byteLength < plain.byteLength;
        deflated = filtered ? deflated : plain;
      }
      if (deflated.byteLength <= bytes.byteLength * WORTH_COMPRESSING) {
        const headers: Record<string, string> = { 'Content-Encoding': 'deflate', 'Repr-Digest': digest, 'Content-Type': 'application/octet-stream' };
        if (filtered) {
          headers['Sample-Delta'] = `offset=${run!.offset}, length=${run!.length}`;
        }
        return { data: deflated, compress: true, filterSamples: run ? filtered : file.filterSamples, headers };
      }
    }
    return { data: bytes, compress: mayCompress(file) ? false : file.compress, filterSamples: file.filterSamples,
      headers: { 'Content-Digest': digest, 'Content-Type': 'application/octet-stream' } as Record<string, string> };
  }

  /** The plain bytes of one chunk, put together from its pieces. */
  private async chunkBytes(file: QueuedFile, index: number): Promise<ArrayBuffer> {
    const perChunk = this.piecesPerChunk(file);
    const last = Math.min(file.totalPieces, (index + 1) * perChunk);
    const out = new Uint8Array(Math.min(file.chunkSize!, file.size - index * file.chunkSize!));
    let offset = 0;
    for (let p = index * perChunk; p < last; p++) {
      const piece = await this.queue.piece(file.id, p);
      if (!piece) {
        throw new Error(t('sender.partGone', index + 1, file.name));
      }
      out.set(new Uint8Array(piece), offset);
      offset += piece.byteLength;
    }
    return out.buffer;
  }

  private piecesPerChunk(file: QueuedFile): number {
    return file.chunkSize! / file.pieceSize;
  }

  private dropChunk(file: QueuedFile, index: number): Promise<void> {
    const perChunk = this.piecesPerChunk(file);
    return this.queue.dropPieces(file.id, index * perChunk, Math.min(file.totalPieces, (index + 1) * perChunk));
  }

  private measured(bytes: number, ms: number) {
    if (ms <= 0) {
      return;
    }
    const rate = (bytes * 1000) / ms;
    this.rate = this.rate ? this.rate * 0.7 + rate * 0.3 : rate;
    this.options.onRate?.(this.rate);
  }

  private holdIfNeeded() {
    const reason = this.options.holdReason?.();
    if (reason) {
      throw new HoldError(reason);
    }
  }

  /** The upload is complete: what the server said when completing it is its first word (no need to ask again). */
  private async completed(file: QueuedFile, status: Status): Promise<QueuedFile> {
    await this.dropAllChunks(file);
    file = await this.save(file, { state: 'processing', sentBytes: file.size });
    return this.settle(file, status);
  }

  /**
   * Asks once for the server's final word on a completed upload; until it comes the file stays 'processing' and is
   * asked about again on a later pass, so one slow PACS never holds up the sending of other files.
   */
  private async checkOnce(file: QueuedFile): Promise<QueuedFile> {
    file = await this.save(file, { state: 'processing', sentBytes: file.size });
    return this.settle(file, await this.status(file));
  }

  /**
   * Asks about many files sent whole in one request (a study's files, not one request each) and records the
   * server's word on each; a file the answer leaves out is no longer known to the server.
   */
  async checkAll(files: QueuedFile[]): Promise<QueuedFile[]> {
    const asked = files.filter((f) => f.uploadId).slice(0, MAX_STATUSES_PER_REQUEST);
    if (asked.length === 0) {
      return [];
    }
    const r = await this.call('POST', '/api/upload/status', { upload_ids: asked.map((f) => f.uploadId) });
    if (!r.ok) {
      throw new RetryableError(await this.problem(r));
    }
    const answers = new Map<string, Status>(((await r.json()).uploads as (Status & { upload_id: string })[]).map((s) => [s.upload_id, s]));
    return Promise.all(asked.map(async (f) => this.settle(f, answers.get(f.uploadId!) ?? 'unknown')));
  }

  /** Records the server's word on a file sent whole: delivered, failed, or still on its way (left as it is). */
  private async settle(file: QueuedFile, status: Status | 'unknown'): Promise<QueuedFile> {
    if (status === 'unknown') {
      return this.fail(file, t('sender.gone'));
    }
    if (status.state === 'DONE') {
      const instances = status.instances ?? [];
      const skipped = instances.filter((i) => i.state === 'SKIPPED');
      const message = skipped.length === 0 ? t('study.delivered')
        : skipped.length === instances.length ? t('file.skipped', skipped[0].message)
        : t('file.partlySkipped', skipped.length);
      return this.save(file, { state: 'done', message, skipped: skipped.length });
    }
    if (status.state === 'FAILED' || status.state === 'EXPIRED') {
      return this.fail(file, status.error ?? t('sender.notDelivered'));
    }
    return file;
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
    // The bearer token is all the API needs: no cookies on the wire with every request.
    // Problems and outcomes come back in the language the app speaks to this user.
    const init: RequestInit = { method, credentials: 'omit',
      headers: { ...headers, 'Accept-Language': language(), ...(token ? { Authorization: `Bearer ${token}` } : {}) } };
    if (body instanceof ArrayBuffer) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    // A request that neither answers nor fails (a half-dead link) must not hold the file forever: give up on it after
    // 30 s plus the time its body takes at 16 KB/s, and let the retry ask the server what it has.
    const bytes = body instanceof ArrayBuffer ? body.byteLength : 0;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS + bytes / 16);
    init.signal = abort.signal;
    let response: Response;
    try {
      response = await this.fetchFn(this.base + path, init);
    } catch (e) {
      throw new RetryableError(abort.signal.aborted ? t('sender.stopped') : t('sender.offline'));
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 401) {
      throw new AuthExpiredError(t('sender.signIn'));
    }
    if (response.status === 429 || response.status >= 500) {
      const seconds = Number(response.headers?.get('Retry-After'));
      throw new RetryableError(await this.problem(response), seconds > 0 ? seconds * 1000 : undefined);
    }
    return response;
  }

  private async problem(response: Response): Promise<string> {
    try {
      const body = await response.json();
      return body.detail ?? t('sender.answered', response.status);
    } catch {
      return t('sender.answered', response.status);
    }
  }

  private bytesOf(file: QueuedFile, indexes: Set<number>): number {
    let bytes = 0;
    indexes.forEach((i) => (bytes += Math.min(file.chunkSize!, file.size - i * file.chunkSize!)));
    return bytes;
  }

  private async dropAllChunks(file: QueuedFile) {
    await this.queue.dropPieces(file.id, 0, file.totalPieces);
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

/** Exponential backoff with equal jitter (half fixed, half random): about 1 s, 2 s, 4 s ... capped. */
export function backoffMs(attempt: number, capMs = 30000, random = Math.random): number {
  const base = Math.min(capMs, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base / 2 + random() * (base / 2));
}
