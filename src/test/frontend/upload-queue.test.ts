import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadQueue, ownerOf } from '../../main/frontend/upload-queue';
import { tokenFor } from './fake-server';

function file(name: string, bytes: number, seed = 1): File {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 31 + seed) & 0xff;
  return new File([data], name, { type: 'application/dicom' });
}

/** What IndexedDB itself holds under a key, as anyone reading the browser's storage would see it. */
async function stored<T>(dbName: string, store: string, key: IDBValidKey): Promise<T> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(dbName);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const value = await new Promise<T>((resolve) => {
    const r = db.transaction(store).objectStore(store).get(key);
    r.onsuccess = () => resolve(r.result as T);
  });
  db.close();
  return value;
}

async function storedPiece(dbName: string, fileId: string, index: number): Promise<Uint8Array> {
  return new Uint8Array(await (await stored<{ data: Blob }>(dbName, 'chunks', [fileId, index])).data.arrayBuffer());
}

/** Everything IndexedDB holds for a file record, as text: what someone reading the browser's storage could see. */
async function storedRecordText(dbName: string, fileId: string): Promise<string> {
  return JSON.stringify(await stored(dbName, 'files', fileId));
}

describe('UploadQueue', () => {
  let name: string;
  let queue: UploadQueue;
  beforeEach(async () => {
    name = `test-${crypto.randomUUID()}`;
    queue = await UploadQueue.open('owner-a', name);
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
    const sealed = await storedPiece(name, entry.id, 0);
    const plain = new Uint8Array((await queue.piece(entry.id, 0))!);
    expect(sealed.length).toBe(4000 + 16); // AES-GCM tag
    expect(Buffer.from(sealed).includes(Buffer.from(plain.slice(0, 64)))).toBe(false);
    const key = await stored<CryptoKey>(name, 'settings', 'key:owner-a');
    expect(key!.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key!)).rejects.toThrow();
  });

  it('leaves out empty files, keeps the order files were added in and the study each belongs to', async () => {
    const study = { studyUid: '1.2.3', patientName: 'DOE^JANE', patientId: 'P1', studyDate: '20240101', description: 'CT', modality: 'CT' };
    const added = await queue.enqueue([file('x.dcm', 10), file('empty.dcm', 0), file('y.dcm', 10)], 'b', (f) => (f.name === 'x.dcm' ? { study } : undefined));
    expect(added.map((f) => f.name)).toEqual(['x.dcm', 'y.dcm']);
    expect((await queue.list()).map((f) => [f.name, f.study?.studyUid])).toEqual([['x.dcm', '1.2.3'], ['y.dcm', undefined]]);
  });

  it('survives closing and opening again, as after a reload, with the same key', async () => {
    const persistent = `persist-${crypto.randomUUID()}`;
    const first = await UploadQueue.open('owner-a', persistent);
    const [entry] = await first.enqueue([file('a.dcm', 1500)], 'b', () => undefined, 1000);
    await first.update(entry.id, { uploadId: 'u-1', sentBytes: 1000 });
    await first.dropPieces(entry.id, 0, 1);
    first.close();
    const again = await UploadQueue.open('owner-a', persistent);
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

  it('keeps sending options for the device', async () => {
    expect(await queue.sendingOptions()).toEqual({ wifiOnly: false, capBytesPerSecond: 0 });
    await queue.setSetting('options', { wifiOnly: true });
    expect(await queue.sendingOptions()).toEqual({ wifiOnly: true, capBytesPerSecond: 0 });
  });

  it('seals what could name a patient: file names, header summaries, typed details and messages', async () => {
    const study = { studyUid: '1.2.3', patientName: 'DOE^JANE', patientId: 'MRN-4711', studyDate: '20240101', description: 'CT HEAD', modality: 'CT' };
    const [entry] = await queue.enqueue([file('DOE_JANE_head.dcm', 10)], 'b', () => ({ study }), undefined, undefined,
      { name: 'ROE^RICHARD', id: 'MRN-0815' });
    await queue.update(entry.id, { state: 'failed', message: 'DOE_JANE_head.dcm was refused' });
    await queue.update(entry.id, { sentBytes: 10 });
    const text = await storedRecordText(name, entry.id);
    for (const secret of ['DOE', 'JANE', 'MRN-4711', 'ROE', 'MRN-0815', 'CT HEAD', '1.2.3', 'refused']) {
      expect(text).not.toContain(secret);
    }
    const again = await UploadQueue.open('owner-a', name);
    expect(await again.get(entry.id)).toMatchObject({ name: 'DOE_JANE_head.dcm', study, sentBytes: 10, state: 'failed',
      message: 'DOE_JANE_head.dcm was refused', patient: { name: 'ROE^RICHARD' } });
    again.close();
  });

  it('keeps a change of progress made while a message was being sealed', async () => {
    const [entry] = await queue.enqueue([file('a.dcm', 10)], 'b');
    await Promise.all([queue.update(entry.id, { message: 'Waiting for Wi-Fi.', state: 'paused' }), queue.update(entry.id, { sentBytes: 7 })]);
    expect(await queue.get(entry.id)).toMatchObject({ message: 'Waiting for Wi-Fi.', state: 'paused', sentBytes: 7 });
  });

  it('shows, sends and wipes one owner\'s files only: another user of the browser is not told of them', async () => {
    const [mine] = await queue.enqueue([file('a.dcm', 1500)], 'b', () => undefined, 1000);
    const other = await UploadQueue.open('owner-b', name);
    expect(await other.list()).toEqual([]);
    expect(await other.pending()).toEqual([]);
    expect(await other.get(mine.id)).toBeUndefined();
    expect(await other.update(mine.id, { state: 'done' })).toBeUndefined();
    await other.remove(mine.id);
    expect(await queue.heldPieces(mine.id)).toEqual([0, 1]);
    const [theirs] = await other.enqueue([file('b.dcm', 10)], 'c');
    await other.becomeCurrent('token-of-b');
    await other.wipe();
    expect(await UploadQueue.currentUser(name)).toBeUndefined();
    expect((await queue.list()).map((f) => f.id)).toEqual([mine.id]);
    expect(await stored(name, 'files', theirs.id)).toBeUndefined();
    expect(await stored(name, 'settings', 'key:owner-b')).toBeUndefined();
    expect(await stored(name, 'settings', 'key:owner-a')).toBeDefined();
  });

  it('wipes what waited longer than the device\'s maximum age, whoever queued it', async () => {
    const [old] = await queue.enqueue([file('a.dcm', 10)], 'b');
    const other = await UploadQueue.open('owner-b', name);
    await other.enqueue([file('b.dcm', 10)], 'c');
    other.close();
    queue.close();
    await UploadQueue.setMaxAge(3600_000, name);
    queue = await UploadQueue.open('owner-a', name, Date.now() + 2 * 3600_000);
    expect(await queue.list()).toEqual([]);
    expect(await queue.heldPieces(old.id)).toEqual([]);
    expect(await stored(name, 'settings', 'key:owner-b')).toBeUndefined();
  });

  it('refuses to open a queue for nobody', async () => {
    await expect(UploadQueue.open('', name)).rejects.toThrow('owner');
  });

  it('derives the owner from the user id in a token, and nothing from a token without one', async () => {
    expect(await ownerOf(tokenFor(7))).toBe(await ownerOf(tokenFor(7, 'renewed')));
    expect(await ownerOf(tokenFor(7))).not.toBe(await ownerOf(tokenFor(8)));
    // the same digest the server hands the sign-out (TokenServiceTest checks the Java side of this pair)
    expect(await ownerOf(tokenFor(7))).toBe('db8152d593fef81837194e56a8174a7a');
    expect(await ownerOf('not-a-token')).toBeUndefined();
    expect(await ownerOf(`x.${Buffer.from('{"sub":"a"}').toString('base64url')}.y`)).toBeUndefined();
  });
});
