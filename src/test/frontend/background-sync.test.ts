import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYNC_TAG, requestBackgroundSync, syncQueue } from '../../main/frontend/background-sync';
import { UploadQueue } from '../../main/frontend/upload-queue';
import { FakeServer } from './fake-server';

describe('Background Sync', () => {
  let name: string;
  let server: FakeServer;

  beforeEach(async () => {
    name = `sync-${crypto.randomUUID()}`;
    server = new FakeServer();
    const queue = await UploadQueue.open(name);
    await queue.enqueue([new File([new Uint8Array(3000)], 'a.dcm')], 'b');
    queue.close();
  });
  afterEach(() => vi.unstubAllGlobals());

  const states = async () => {
    const queue = await UploadQueue.open(name);
    const list = await queue.list();
    queue.close();
    return list.map((f) => f.state);
  };

  it('sends the queue with the token the page left in IndexedDB', async () => {
    const queue = await UploadQueue.open(name);
    await queue.setSetting('token', 'page-token');
    queue.close();
    const seen: string[] = [];
    await syncQueue((input, init) => {
      seen.push((init?.headers as Record<string, string>).Authorization);
      return server.fetch(input, init);
    }, name);
    expect(await states()).toEqual(['done']);
    expect(new Set(seen)).toEqual(new Set(['Bearer page-token']));
  });

  it('does nothing while signed out', async () => {
    await syncQueue(server.fetch, name);
    expect(server.uploads.size).toBe(0);
    expect(await states()).toEqual(['queued']);
  });

  it('rejects when the network fails, so the browser fires the sync again', async () => {
    const queue = await UploadQueue.open(name);
    await queue.setSetting('token', 't');
    queue.close();
    server.failNext = 'network';
    await expect(syncQueue(server.fetch, name)).rejects.toThrow('The network is not available.');
    expect(await states()).toEqual(['paused']);
  });

  it('registers the sync where the browser has it and says so where it does not', async () => {
    const register = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { serviceWorker: { getRegistration: async () => ({ sync: { register } }) } });
    expect(await requestBackgroundSync()).toBe(true);
    expect(register).toHaveBeenCalledWith(SYNC_TAG);
    vi.stubGlobal('navigator', { serviceWorker: { getRegistration: async () => ({}) } });
    expect(await requestBackgroundSync()).toBe(false);
    vi.stubGlobal('navigator', {});
    expect(await requestBackgroundSync()).toBe(false);
  });
});
