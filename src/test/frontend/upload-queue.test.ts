import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadQueue } from '../../main/frontend/upload-queue';

function file(name: string, bytes: number, seed = 1): File {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 31 + seed) & 0xff;
  return new File([data], name, { type: 'application/dicom' });
}

describe('UploadQueue', () => {
  let queue: UploadQueue;
  beforeEach(async () => {
    queue = await UploadQueue.open(`test-${crypto.randomUUID()}`);
  });
  afterEach(() => queue.close());

  it('copies each picked file into chunks of the chosen size', async () => {
    const [entry] = await queue.enqueue([file('a.dcm', 2500)], 'batch-1', 1000);
    expect(entry.totalChunks).toBe(3);
    expect(entry.state).toBe('queued');
    expect(entry.batchId).toBe('batch-1');
    expect(await queue.heldChunks(entry.id)).toEqual([0, 1, 2]);
    const last = new Uint8Array(await (await queue.chunk(entry.id, 2))!.arrayBuffer());
    expect(last.length).toBe(500);
    expect(last[0]).toBe((2000 * 31 + 1) & 0xff);
  });

  it('leaves out empty files and keeps the order files were added in', async () => {
    const added = await queue.enqueue([file('x.dcm', 10), file('empty.dcm', 0), file('y.dcm', 10)], 'b');
    expect(added.map((f) => f.name)).toEqual(['x.dcm', 'y.dcm']);
    expect((await queue.list()).map((f) => f.name)).toEqual(['x.dcm', 'y.dcm']);
  });

  it('survives closing and opening again, as after a reload', async () => {
    const name = `persist-${crypto.randomUUID()}`;
    const first = await UploadQueue.open(name);
    const [entry] = await first.enqueue([file('a.dcm', 1500)], 'b', 1000);
    await first.update(entry.id, { uploadId: 'u-1', sentBytes: 1000 });
    await first.dropChunk(entry.id, 0);
    first.close();
    const again = await UploadQueue.open(name);
    expect((await again.get(entry.id))?.uploadId).toBe('u-1');
    expect(await again.heldChunks(entry.id)).toEqual([1]);
    again.close();
  });

  it('forgets a file with whatever is left of it', async () => {
    const [a, b] = await queue.enqueue([file('a.dcm', 1500), file('b.dcm', 1500)], 'b', 1000);
    await queue.remove(a.id);
    expect(await queue.get(a.id)).toBeUndefined();
    expect(await queue.heldChunks(a.id)).toEqual([]);
    expect(await queue.heldChunks(b.id)).toEqual([0, 1]);
    expect(await queue.update('missing', { state: 'done' })).toBeUndefined();
  });
});
