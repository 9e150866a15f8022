import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthExpiredError, ChunkSender, RetryableError, backoffMs } from '../../main/frontend/chunk-sender';
import { FakeServer } from './fake-server';
import { UploadQueue, type QueuedFile } from '../../main/frontend/upload-queue';

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
    // Chunks already on their way finish; which ones depends on timing, but not all of them made it.
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(4);
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

