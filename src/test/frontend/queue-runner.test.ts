import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChunkSender } from '../../main/frontend/chunk-sender';
import { QueueRunner } from '../../main/frontend/queue-runner';
import { UploadQueue } from '../../main/frontend/upload-queue';
import { FakeServer } from './fake-server';

function file(name: string, bytes: number): File {
  return new File([new Uint8Array(bytes).map((_, i) => i & 0xff)], name);
}

describe('QueueRunner', () => {
  let queue: UploadQueue;
  let server: FakeServer;

  beforeEach(async () => {
    queue = await UploadQueue.open('owner-a', `runner-${crypto.randomUUID()}`);
    server = new FakeServer();
  });

  const runner = (opts: { token?: string } = {}) => new QueueRunner(queue,
    new ChunkSender(queue, { token: () => opts.token ?? 'token', fetchFn: server.fetch, initialRate: 1 }));

  it('sends every unfinished file and says when nothing is left', async () => {
    await queue.enqueue([file('a.dcm', 2500), file('b.dcm', 1500), file('c.dcm', 900)], 'b', () => undefined, 1000);
    expect(await runner().runOnce()).toEqual({ kind: 'idle' });
    expect((await queue.list()).map((f) => f.state)).toEqual(['done', 'done', 'done']);
    expect(server.puts).toHaveLength(3 + 2 + 1);
  });

  it('asks about every file awaiting the server\'s word in one request per pass', async () => {
    server.finalState = 'PROCESSING';
    await queue.enqueue([file('a.dcm', 500), file('b.dcm', 500), file('c.dcm', 500)], 'b', () => undefined, 1000);
    expect(await runner().runOnce()).toEqual({ kind: 'waiting' });
    server.uploads.forEach((u) => (u.state = 'DONE'));
    server.requests = [];
    expect(await runner().runOnce()).toEqual({ kind: 'idle' });
    expect(server.requests).toEqual(['POST /api/upload/status']);
    expect((await queue.list()).map((f) => f.state)).toEqual(['done', 'done', 'done']);
  });

  it('declares a study\'s small files in one request; each file then costs one request, its chunk', async () => {
    await queue.enqueue([1, 2, 3, 4, 5].map((i) => file(`s${i}.dcm`, 600)), 'b', () => undefined, 1000);
    expect(await runner().runOnce()).toEqual({ kind: 'idle' });
    expect(server.requests).toEqual(['POST /api/upload/init-batch', ...Array(5).fill('PUT /api/upload/{id}/chunk')]);
    expect((await queue.list()).map((f) => f.state)).toEqual(Array(5).fill('done'));
    expect(server.inits.map((d) => d.file_name)).toEqual(['s1.dcm', 's2.dcm', 's3.dcm', 's4.dcm', 's5.dcm']);
  });

  it('fails only the file the server refuses when declared together, and leaves one it could not take now', async () => {
    await queue.enqueue([file('ok.dcm', 600), file('huge.dcm', 700), file('later.dcm', 800)], 'b', () => undefined, 1000);
    server.refusals.set('huge.dcm', { status: 413, detail: 'The file "huge.dcm" is more than this server accepts.' });
    server.refusals.set('later.dcm', { status: 429, detail: 'Too many uploads were started in a short time.' });
    expect(await runner().runOnce()).toEqual({ kind: 'idle' });
    const [ok, huge, later] = await queue.list();
    expect(ok.state).toBe('done');
    expect(huge).toMatchObject({ state: 'failed', message: 'The file "huge.dcm" is more than this server accepts.' });
    expect(later.state).toBe('done'); // declared on its own when its lane came to it
    expect(server.requests.filter((r) => r === 'POST /api/upload/init')).toHaveLength(1);
  });

  it('declares larger files when it sends them (chunk size fitted to the rate by then), and works with a server that cannot declare together', async () => {
    await queue.enqueue([file('big.dcm', 2500), file('a.dcm', 500), file('b.dcm', 500)], 'b', () => undefined, 1000);
    server.declaresTogether = false;
    expect(await runner().runOnce()).toEqual({ kind: 'idle' });
    expect(server.requests.filter((r) => r.includes('/init'))).toEqual(
      ['POST /api/upload/init-batch', 'POST /api/upload/init', 'POST /api/upload/init', 'POST /api/upload/init']);
    expect((await queue.list()).map((f) => f.state)).toEqual(['done', 'done', 'done']);
  });

  it('keeps the first upload id when two senders declare the same file at once', async () => {
    const [a] = await queue.enqueue([file('a.dcm', 500)], 'b', () => undefined, 1000);
    expect((await queue.setUploadOnce(a.id, 'first', 1000))?.uploadId).toBe('first');
    expect((await queue.setUploadOnce(a.id, 'second', 1000))?.uploadId).toBe('first');
  });

  it('two tabs running at once never send the same file twice (Web Locks)', async () => {
    await queue.enqueue([1, 2, 3, 4].map((i) => file(`f${i}.dcm`, 3000)), 'b', () => undefined, 1000);
    const [first, second] = await Promise.all([runner().runOnce(), runner().runOnce()]);
    // One tab may finish sending while the other's last file still awaits the server's word.
    expect(['idle', 'waiting']).toContain(first.kind);
    expect(['idle', 'waiting']).toContain(second.kind);
    expect(await runner().runOnce()).toEqual({ kind: 'idle' });
    expect(server.uploads.size).toBe(4); // one init per file
    expect(server.puts).toHaveLength(4 * 3); // each chunk once
    expect((await queue.list()).every((f) => f.state === 'done')).toBe(true);
  });

  it('comes back for a file another tab or the service worker holds: the holder may stop before the PACS answers', async () => {
    await queue.enqueue([file('a.dcm', 500), file('b.dcm', 500)], 'b', () => undefined, 1000);
    const [held] = await queue.list();
    const locks = {
      request: (name: string, _options: LockOptions, callback: (lock: Lock | null) => unknown) =>
        Promise.resolve(callback(name.endsWith(held.id) ? null : ({ name } as Lock))),
    } as unknown as LockManager;
    const sender = new ChunkSender(queue, { token: () => 'token', fetchFn: server.fetch, initialRate: 1 });
    expect(await new QueueRunner(queue, sender, { locks }).runOnce()).toEqual({ kind: 'waiting' });
    expect((await queue.list()).map((f) => f.state)).toEqual(['queued', 'done']);
    expect(await new QueueRunner(queue, sender, { locks: undefined }).runOnce()).toEqual({ kind: 'idle' });
    expect((await queue.list()).map((f) => f.state)).toEqual(['done', 'done']);
  });

  it('pauses the files and asks for retry after a network failure, and for sign-in on 401', async () => {
    await queue.enqueue([file('a.dcm', 1500)], 'b', () => undefined, 1000);
    server.failNext = 'network';
    expect(await runner().runOnce()).toMatchObject({ kind: 'retry' });
    expect((await queue.list())[0]).toMatchObject({ state: 'paused', message: 'The network is not available.' });
    server.failNext = 401;
    expect(await runner().runOnce()).toMatchObject({ kind: 'auth' });
    expect(await runner().runOnce()).toEqual({ kind: 'idle' });
    expect((await queue.list())[0].state).toBe('done');
  });

  it('does not hold a lane while the PACS has yet to answer: sends the next file and asks again later', async () => {
    server.finalState = 'FORWARDING';
    await queue.enqueue([file('a.dcm', 500), file('b.dcm', 500), file('c.dcm', 500)], 'b', () => undefined, 1000);
    expect(await runner().runOnce()).toEqual({ kind: 'waiting' });
    expect((await queue.list()).map((f) => f.state)).toEqual(['processing', 'processing', 'processing']);
    server.uploads.forEach((u) => (u.state = 'DONE'));
    expect(await runner().runOnce()).toEqual({ kind: 'idle' });
    expect((await queue.list()).map((f) => f.state)).toEqual(['done', 'done', 'done']);
    expect(server.puts).toHaveLength(3); // answers were asked for, nothing sent again
  });

  it('skips files still being copied in', async () => {
    const [a] = await queue.enqueue([file('a.dcm', 100)], 'b');
    await queue.update(a.id, { state: 'adding' });
    expect(await runner().runOnce()).toEqual({ kind: 'idle' });
    expect(server.uploads.size).toBe(0);
  });
});
