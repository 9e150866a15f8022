import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthExpiredError, ChunkSender, RetryableError, backoffMs, sha256Base64 } from '../chunk-sender';
import { UploadQueue, type QueuedFile } from '../upload-queue';

/** A small in-memory stand-in for the RelayPACS upload API, checking what a real server checks. */
class FakeServer {
  uploads = new Map<string, { size: number; chunkSize: number; total: number; chunks: Map<number, number>; state: string }>();
  puts: number[] = [];
  failNext: 'network' | 401 | 503 | null = null;
  initStatus = 201;
  finalState = 'DONE';
  forget = false;
  /** When set, the PUT after this many lets the network drop. */
  dropAfterPuts: number | null = null;
  private putAttempts = 0;

  fetch = async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (init?.method === 'PUT' && this.dropAfterPuts !== null && this.putAttempts++ >= this.dropAfterPuts) {
      this.dropAfterPuts = null;
      throw new TypeError('Failed to fetch');
    }
    if (this.failNext === 'network') {
      this.failNext = null;
      throw new TypeError('Failed to fetch');
    }
    if (this.failNext) {
      const status = this.failNext;
      this.failNext = null;
      return json(status, { detail: status === 401 ? 'expired' : 'busy' });
    }
    const u = String(url);
    const method = init?.method ?? 'GET';
    if (u.endsWith('/api/upload/init')) {
      if (this.initStatus !== 201) return json(this.initStatus, { detail: 'The file is too large for this server.' });
      const body = JSON.parse(String(init!.body));
      const id = `u-${this.uploads.size + 1}`;
      const total = Math.ceil(body.size / body.chunk_size);
      this.uploads.set(id, { size: body.size, chunkSize: body.chunk_size, total, chunks: new Map(), state: 'RECEIVING' });
      return json(201, { upload_id: id, chunk_size: body.chunk_size, total_chunks: total });
    }
    const m = u.match(/\/api\/upload\/([^/]+)\/(chunk|status|complete)(\?index=(\d+))?/)!;
    const upload = this.forget ? undefined : this.uploads.get(m[1]);
    if (!upload) return json(404, { detail: 'This upload does not exist' });
    if (m[2] === 'chunk' && method === 'PUT') {
      const index = Number(m[4]);
      const bytes = init!.body as ArrayBuffer;
      const digest = (init!.headers as Record<string, string>)['Content-Digest'];
      if (digest !== `sha-256=:${await sha256Base64(bytes)}:`) return json(422, { detail: 'damaged' });
      this.puts.push(index);
      const had = upload.chunks.has(index);
      upload.chunks.set(index, bytes.byteLength);
      return new Response(null, { status: had ? 204 : 201 });
    }
    const missing = [...Array(upload.total).keys()].filter((i) => !upload.chunks.has(i));
    if (m[2] === 'complete') {
      if (missing.length) return json(409, { detail: 'missing', missing_chunks: missing });
      upload.state = this.finalState;
      return json(202, { state: 'RECEIVED' });
    }
    return json(200, { state: upload.state, missing_chunks: upload.state === 'RECEIVING' ? missing : [], error: 'It went wrong', instances: [] });
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function file(name: string, bytes: number): File {
  return new File([new Uint8Array(bytes).map((_, i) => i & 0xff)], name);
}

describe('ChunkSender', () => {
  let queue: UploadQueue;
  let server: FakeServer;
  let sender: ChunkSender;
  let progress: QueuedFile[];

  beforeEach(async () => {
    queue = await UploadQueue.open(`sender-${crypto.randomUUID()}`);
    server = new FakeServer();
    progress = [];
    sender = new ChunkSender(queue, { token: () => 'token', fetchFn: server.fetch, pollIntervalMs: 1, onProgress: (f) => progress.push(f) });
  });

  it('sends every chunk once with its digest, completes and reports delivery', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 2500)], 'b', 1000);
    const done = await sender.send(f.id);
    expect(done?.state).toBe('done');
    expect(done?.message).toBe('Delivered to the PACS');
    expect(server.puts.sort()).toEqual([0, 1, 2]);
    expect(await queue.heldChunks(f.id)).toEqual([]);
    expect(progress.some((p) => p.state === 'sending' && p.sentBytes > 0)).toBe(true);
  });

  it('after a lost network sends only the chunks the server is missing', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 4000)], 'b', 1000);
    server.dropAfterPuts = 2;
    await expect(sender.send(f.id)).rejects.toBeInstanceOf(RetryableError);
    const before = [...server.puts];
    expect(before).toHaveLength(2);
    expect((await queue.get(f.id))?.uploadId).toBe('u-1');
    const done = await sender.send(f.id);
    expect(done?.state).toBe('done');
    const resent = server.puts.slice(before.length).sort();
    expect(resent).toEqual([0, 1, 2, 3].filter((i) => !before.includes(i)));
  });

  it('pauses for a new sign-in on 401 and keeps everything queued', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 1500)], 'b', 1000);
    server.failNext = 401;
    await expect(sender.send(f.id)).rejects.toBeInstanceOf(AuthExpiredError);
    expect(await queue.heldChunks(f.id)).toEqual([0, 1]);
  });

  it('treats a busy server as worth retrying', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 1500)], 'b', 1000);
    server.failNext = 503;
    await expect(sender.send(f.id)).rejects.toBeInstanceOf(RetryableError);
  });

  it('reports a refusal in the server’s words and frees the device', async () => {
    const [f] = await queue.enqueue([file('huge.dcm', 1500)], 'b', 1000);
    server.initStatus = 413;
    const failed = await sender.send(f.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.message).toBe('The file is too large for this server.');
    expect(await queue.heldChunks(f.id)).toEqual([]);
  });

  it('reports the server’s reason when processing fails', async () => {
    const [f] = await queue.enqueue([file('list.txt', 500)], 'b', 1000);
    server.finalState = 'FAILED';
    const failed = await sender.send(f.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.message).toBe('It went wrong');
  });

  it('starts again when the server has forgotten an upload and the device still holds every chunk', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 1500)], 'b', 1000);
    await queue.update(f.id, { uploadId: 'gone' });
    const done = await sender.send(f.id);
    expect(done?.state).toBe('done');
    expect((await queue.get(f.id))?.uploadId).toBe('u-1');
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(0, 30000, () => 0)).toBe(500);
    expect(backoffMs(0, 30000, () => 1)).toBe(1000);
    expect(backoffMs(3, 30000, () => 1)).toBe(8000);
    expect(backoffMs(20, 30000, () => 1)).toBe(30000);
  });
});

