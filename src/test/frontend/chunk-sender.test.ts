import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { AuthExpiredError, ChunkSender, Deflater, HoldError, RetryableError, backoffMs, chunkSizeFor, deflateHere, mayCompress } from '../../main/frontend/chunk-sender';
import { FakeServer } from './fake-server';
import { readPicked } from '../../main/frontend/dicom-preview';
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
    queue = await UploadQueue.open('owner-a', `sender-${crypto.randomUUID()}`);
    server = new FakeServer();
    progress = [];
    // A measured rate of 1 byte/s: the slowest link, one piece per chunk.
    sender = new ChunkSender(queue, { token: () => 'token', fetchFn: server.fetch, onProgress: (f) => progress.push(f), initialRate: 1 });
  });

  it('compresses in transit what compresses, and the server gets the bytes as they were', async () => {
    const ct = readFileSync('/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm');
    const [f] = await queue.enqueue([new File([ct], 'CT_small.dcm')], 'b', () => undefined, 16 * 1024);
    const done = (await sender.send(f.id))!;
    expect(done.state).toBe('done');
    expect(done.compress).toBe(true);
    expect(server.compressedPuts).toBeGreaterThan(0);
    expect(done.sentBytes).toBe(ct.length);
    expect(done.wireBytes).toBe(server.wireBytes);
    expect(server.wireBytes / ct.length).toBeLessThan(0.8);
  });

  it('filters the pixel samples before deflating when that packs tighter, and the server gets the bytes as they were', async () => {
    const ct = readFileSync('/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm');
    const picked = await readPicked(new File([ct], 'CT_small.dcm'));
    expect(picked.samples).toEqual({ offset: 6300, length: 128 * 128 * 2 }); // padding follows the pixel data
    const [f] = await queue.enqueue([picked.file], 'b', () => ({ samples: picked.samples }), 16 * 1024);
    const done = (await sender.send(f.id))!;
    expect(done.state).toBe('done');
    expect(done.filterSamples).toBe(true);
    expect(server.filteredPuts).toBe(3); // the three 16 KB chunks that hold samples
    expect(server.wireBytes / ct.length).toBeLessThan(0.6);
  });

  it('keeps deflate alone when filtering does not pay (samples that are noise)', async () => {
    const noise = new Uint8Array(3000);
    crypto.getRandomValues(noise);
    noise.fill(0, 0, 1000);
    const [f] = await queue.enqueue([new File([noise], 'noise.dcm')], 'b', () => ({ samples: { offset: 0, length: 3000 } }), 1000);
    await sender.send(f.id);
    expect(server.filteredPuts).toBe(0);
  });

  it('deflates in a worker, and right here when the worker fails', async () => {
    // A worker as the page has one: messages in, deflated bytes out (here computed on this thread).
    const listeners: Record<string, ((e: { data: unknown }) => void)[]> = {};
    let broken = false;
    const worker = {
      addEventListener: (type: string, l: (e: { data: unknown }) => void) => (listeners[type] ??= []).push(l),
      postMessage: async (m: { id: number; bytes: ArrayBuffer }) => {
        const data = broken ? { id: m.id, error: 'no' } : { id: m.id, bytes: await deflateHere(m.bytes) };
        listeners.message.forEach((l) => l({ data }));
      },
      terminate: vi.fn(),
    } as unknown as Worker;
    const deflater = new Deflater(() => worker);
    const zeros = new Uint8Array(10_000).buffer;
    const viaWorker = await deflater.deflate(zeros);
    expect(viaWorker.byteLength).toBeLessThan(100);
    broken = true;
    expect((await deflater.deflate(zeros)).byteLength).toBe(viaWorker.byteLength); // fell back, same result
    listeners.error.forEach((l) => l({ data: undefined }));
    expect(worker.terminate).toHaveBeenCalled();
    expect((await deflater.deflate(zeros)).byteLength).toBe(viaWorker.byteLength);
    expect((await new Deflater(() => { throw new Error('no workers here'); }).deflate(zeros)).byteLength).toBe(viaWorker.byteLength);
  });

  it('sends as they are files that do not compress, and images that are compressed already', async () => {
    const noise = new Uint8Array(3000);
    crypto.getRandomValues(noise);
    const [random, photo] = await queue.enqueue([new File([noise], 'noise.dcm'),
      new File([new Uint8Array(3000)], 'wound.jpg', { type: 'image/jpeg' })], 'b', () => undefined, 1000);
    expect((await sender.send(random.id))?.compress).toBe(false);
    expect((await sender.send(photo.id))?.compress).toBeUndefined();
    expect(server.compressedPuts).toBe(0);
    expect(server.wireBytes).toBe(6000);
    expect(mayCompress({ type: '', name: 'scan.ZIP' })).toBe(false);
  });

  it('falls back to sending as it is when the server does not decode compressed chunks', async () => {
    server.decodes = false;
    const [f] = await queue.enqueue([new File([new Uint8Array(3000)], 'zeros.dcm')], 'b', () => undefined, 1000);
    await expect(sender.send(f.id)).rejects.toThrow('sent again without compression');
    expect((await queue.get(f.id))?.compress).toBe(false);
    const done = await sender.send(f.id);
    expect(done?.state).toBe('done');
    expect(server.compressedPuts).toBe(0);
  });

  it('costs a small file two requests: init, and its chunk completing it, answered with the server\'s word', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 500)], 'b', () => undefined, 1000);
    expect((await sender.send(f.id))?.state).toBe('done');
    expect(server.requests).toEqual(['POST /api/upload/init', 'PUT /api/upload/{id}/chunk']);
  });

  it('sends every chunk once with its digest, completes and reports delivery', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 2500)], 'b', () => undefined, 1000);
    const done = await sender.send(f.id);
    expect(done?.state).toBe('done');
    expect(done?.message).toBe('Delivered to the PACS');
    expect(server.puts.sort()).toEqual([0, 1, 2]);
    expect(await queue.heldPieces(f.id)).toEqual([]);
    expect(progress.some((p) => p.state === 'sending' && p.sentBytes > 0)).toBe(true);
  });

  it('after a lost network sends only the chunks the server is missing', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 4000)], 'b', () => undefined, 1000);
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
    const [f] = await queue.enqueue([file('a.dcm', 1500)], 'b', () => undefined, 1000);
    server.failNext = 401;
    await expect(sender.send(f.id)).rejects.toBeInstanceOf(AuthExpiredError);
    expect(await queue.heldPieces(f.id)).toEqual([0, 1]);
  });

  it('treats a busy server as worth retrying', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 1500)], 'b', () => undefined, 1000);
    server.failNext = 503;
    await expect(sender.send(f.id)).rejects.toBeInstanceOf(RetryableError);
  });

  it('keeps the server’s Retry-After when it is sending too fast', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 1500)], 'b', () => undefined, 1000);
    server.failNext = 429;
    const error = await sender.send(f.id).catch((e) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.message).toContain('Wait 7 seconds');
    expect(await queue.heldPieces(f.id)).toEqual([0, 1]);
  });

  it('reports a refusal in the server’s words and frees the device', async () => {
    const [f] = await queue.enqueue([file('huge.dcm', 1500)], 'b', () => undefined, 1000);
    server.initStatus = 413;
    const failed = await sender.send(f.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.message).toBe('The file is too large for this server.');
    expect(await queue.heldPieces(f.id)).toEqual([]);
  });

  it('reports the server’s reason when processing fails', async () => {
    const [f] = await queue.enqueue([file('list.txt', 500)], 'b', () => undefined, 1000);
    server.finalState = 'FAILED';
    const failed = await sender.send(f.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.message).toBe('It went wrong');
  });

  it('starts again when the server has forgotten an upload and the device still holds every chunk', async () => {
    const [f] = await queue.enqueue([file('a.dcm', 1500)], 'b', () => undefined, 1000);
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


describe('ChunkSender on links of different speeds', () => {
  it('sizes chunks to about a second of sending, in whole pieces', () => {
    expect(chunkSizeFor(undefined, 128 * 1024)).toBe(128 * 1024);
    expect(chunkSizeFor(125_000, 128 * 1024)).toBe(128 * 1024); // 1 Mbit/s
    expect(chunkSizeFor(1_250_000, 128 * 1024)).toBe(1024 * 1024); // 10 Mbit/s
    expect(chunkSizeFor(1e9, 128 * 1024)).toBe(4 * 1024 * 1024); // capped
  });

  it('puts a chunk together from several pieces and drops them once the server has it', async () => {
    const queue = await UploadQueue.open('owner-a', `pieces-${crypto.randomUUID()}`);
    const server = new FakeServer();
    const sender = new ChunkSender(queue, { token: () => 't', fetchFn: server.fetch, initialRate: 4000 });
    const [f] = await queue.enqueue([file('a.dcm', 5500)], 'b', () => undefined, 1000);
    const done = await sender.send(f.id);
    expect(done?.chunkSize).toBe(4000);
    expect(server.puts.sort()).toEqual([0, 1]);
    expect([...server.uploads.values()][0].chunks).toEqual(new Map([[0, 4000], [1, 1500]]));
    expect(await queue.heldPieces(f.id)).toEqual([]);
  });

  it('waits as the bandwidth cap says, and holds without sending when told to', async () => {
    const queue = await UploadQueue.open('owner-a', `pace-${crypto.randomUUID()}`);
    const server = new FakeServer();
    const paced: number[] = [];
    let hold: string | undefined = 'Waiting for Wi-Fi.';
    const sender = new ChunkSender(queue, {
      token: () => 't', fetchFn: server.fetch, initialRate: 1,
      pace: async (bytes) => void paced.push(bytes), holdReason: () => hold,
    });
    const [f] = await queue.enqueue([file('a.dcm', 2500)], 'b', () => undefined, 1000);
    await expect(sender.send(f.id)).rejects.toBeInstanceOf(HoldError);
    expect(server.uploads.size).toBe(0);
    hold = undefined;
    expect((await sender.send(f.id))?.state).toBe('done');
    expect(paced.sort()).toEqual([1000, 1000, 500]);
  });

  it('reports the measured rate and says which files were not medical images', async () => {
    const queue = await UploadQueue.open('owner-a', `rate-${crypto.randomUUID()}`);
    const server = new FakeServer();
    server.instances = [{ state: 'SKIPPED', message: 'This file is not a DICOM file.' }];
    const rates: number[] = [];
    const sender = new ChunkSender(queue, { token: () => 't', fetchFn: server.fetch, initialRate: 1, onRate: (r) => rates.push(r) });
    const [f] = await queue.enqueue([file('note.txt', 1500)], 'b', () => undefined, 1000);
    const done = await sender.send(f.id);
    expect(done).toMatchObject({ state: 'done', skipped: 1, message: 'Not a medical image, skipped: This file is not a DICOM file.' });
    expect(rates.length).toBeGreaterThan(0);
  });
});

describe('ChunkSender on a half-dead link', () => {
  it('gives up on a request that never answers and says so, so the retry can go on', async () => {
    const queue = await UploadQueue.open('owner-a', `hang-${crypto.randomUUID()}`);
    const [f] = await queue.enqueue([file('a.dcm', 100)], 'b');
    const timeouts: number[] = [];
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      timeouts.push(ms);
      fn(); // the request's time is up at once
      return 0;
    }) as never);
    try {
      // Never answers; only the abort signal ends it, as with fetch.
      const hanging: typeof fetch = (_input, init) => new Promise((_resolve, reject) => {
        const fail = () => reject(new DOMException('aborted', 'AbortError'));
        if (init?.signal?.aborted) {
          fail();
        }
        init?.signal?.addEventListener('abort', fail);
      });
      const sender = new ChunkSender(queue, { token: () => 't', fetchFn: hanging, initialRate: 1 });
      await expect(sender.send(f.id)).rejects.toThrow('The network stopped answering.');
      expect(timeouts[0]).toBe(30_000);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
