import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadQueue } from '../../main/frontend/upload-queue';

function file(name: string, bytes: number, seed = 1): File {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 31 + seed) & 0xff;
  return new File([data], name, { type: 'application/dicom' });
}

/** What IndexedDB itself holds for a piece, as anyone reading the browser's storage would see it. */
async function storedPiece(dbName: string, fileId: string, index: number): Promise<Uint8Array> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(dbName);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const piece = await new Promise<{ data: Blob }>((resolve) => {
    const r = db.transaction('chunks').objectStore('chunks').get([fileId, index]);
    r.onsuccess = () => resolve(r.result);
  });
  db.close();
  return new Uint8Array(await piece.data.arrayBuffer());
}

describe('UploadQueue', () => {
  let name: string;
  let queue: UploadQueue;
  beforeEach(async () => {
    name = `test-${crypto.randomUUID()}`;
    queue = await UploadQueue.open(name);
  });
  afterEach(() => queue.close());

  it('copies each picked file into pieces of the chosen size and gives them back intact', async () => {
    const [entry] = await queue.enqueue([file('a.dcm', 2500)], 'batch-1', () => undefined, 1000);
    expect(entry.totalPieces).toBe(3);
    expect(entry.state).toBe('queued');
    expect(entry.batchId).toBe('batch-1');
    expect(await queue.heldPieces(entry.id)).toEqual([0, 1, 2]);
    const last = new Uint8Array((await queue.piece(entry.id, 2))!);
    expect(last.length).toBe(500);
    expect(last[0]).toBe((2000 * 31 + 1) & 0xff);
  });

  it('keeps pieces encrypted at rest under a key that cannot be read out', async () => {
    const [entry] = await queue.enqueue([file('a.dcm', 4000)], 'b', () => undefined, 4000);
    const stored = await storedPiece(name, entry.id, 0);
    const plain = new Uint8Array((await queue.piece(entry.id, 0))!);
    expect(stored.length).toBe(4000 + 16); // AES-GCM tag
    expect(Buffer.from(stored).includes(Buffer.from(plain.slice(0, 64)))).toBe(false);
    const key = await queue.setting<CryptoKey>('key');
    expect(key!.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key!)).rejects.toThrow();
  });

  it('leaves out empty files, keeps the order files were added in and the study each belongs to', async () => {
    const study = { studyUid: '1.2.3', patientName: 'DOE^JANE', patientId: 'P1', studyDate: '20240101', description: 'CT', modality: 'CT' };
    const added = await queue.enqueue([file('x.dcm', 10), file('empty.dcm', 0), file('y.dcm', 10)], 'b', (f) => (f.name === 'x.dcm' ? study : undefined));
    expect(added.map((f) => f.name)).toEqual(['x.dcm', 'y.dcm']);
    expect((await queue.list()).map((f) => [f.name, f.study?.studyUid])).toEqual([['x.dcm', '1.2.3'], ['y.dcm', undefined]]);
  });

  it('survives closing and opening again, as after a reload, with the same key', async () => {
    const persistent = `persist-${crypto.randomUUID()}`;
    const first = await UploadQueue.open(persistent);
    const [entry] = await first.enqueue([file('a.dcm', 1500)], 'b', () => undefined, 1000);
    await first.update(entry.id, { uploadId: 'u-1', sentBytes: 1000 });
    await first.dropPieces(entry.id, 0, 1);
    first.close();
    const again = await UploadQueue.open(persistent);
    expect((await again.get(entry.id))?.uploadId).toBe('u-1');
    expect(await again.heldPieces(entry.id)).toEqual([1]);
    expect(new Uint8Array((await again.piece(entry.id, 1))!)[0]).toBe((1000 * 31 + 1) & 0xff);
    again.close();
  });

  it('forgets a file with whatever is left of it', async () => {
    const [a, b] = await queue.enqueue([file('a.dcm', 1500), file('b.dcm', 1500)], 'b', () => undefined, 1000);
    await queue.remove(a.id);
    expect(await queue.get(a.id)).toBeUndefined();
    expect(await queue.heldPieces(a.id)).toEqual([]);
    expect(await queue.heldPieces(b.id)).toEqual([0, 1]);
    expect(await queue.update('missing', { state: 'done' })).toBeUndefined();
  });

  it('counts what is pending and forgets copies cut short by a closed tab', async () => {
    const [a, b, c] = await queue.enqueue([file('a.dcm', 10), file('b.dcm', 10), file('c.dcm', 10)], 'b');
    await queue.update(a.id, { state: 'done' });
    await queue.update(b.id, { state: 'adding' });
    expect((await queue.pending()).map((f) => f.name)).toEqual(['b.dcm', 'c.dcm']);
    expect(await queue.removeAbandoned(Date.now())).toEqual([]); // still being copied, maybe by another tab
    expect((await queue.removeAbandoned(Date.now() + 10 * 60 * 1000)).map((f) => f.id)).toEqual([b.id]);
    expect((await queue.list()).map((f) => f.id)).toEqual([a.id, c.id]);
  });

  it('keeps sending options and wipes everything, key and token included', async () => {
    expect(await queue.sendingOptions()).toEqual({ wifiOnly: false, capBytesPerSecond: 0 });
    await queue.setSetting('options', { wifiOnly: true });
    await queue.setSetting('token', 'secret');
    expect(await queue.sendingOptions()).toEqual({ wifiOnly: true, capBytesPerSecond: 0 });
    await queue.enqueue([file('a.dcm', 10)], 'b');
    const oldKey = await queue.setting<CryptoKey>('key');
    await queue.wipe();
    queue = await UploadQueue.open(name);
    expect(await queue.list()).toEqual([]);
    expect(await queue.setting('token')).toBeUndefined();
    expect(await queue.setting('key')).not.toBe(oldKey);
  });
});
