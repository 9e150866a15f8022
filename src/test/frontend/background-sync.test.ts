import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYNC_TAG, requestBackgroundSync, syncQueue } from '../../main/frontend/background-sync';
import { UploadQueue, ownerOf } from '../../main/frontend/upload-queue';
import { FakeServer, tokenFor } from './fake-server';

describe('Background Sync', () => {
  let name: string;
  let server: FakeServer;
  const alice = tokenFor(1);
  let owner: string;

  beforeEach(async () => {
    name = `sync-${crypto.randomUUID()}`;
    server = new FakeServer();
    owner = (await ownerOf(alice))!;
    const queue = await UploadQueue.open(owner, name);
    await queue.enqueue([new File([new Uint8Array(3000)], 'a.dcm')], 'b');
    queue.close();
  });
  afterEach(() => vi.unstubAllGlobals());

  const states = async (of = owner) => {
    const queue = await UploadQueue.open(of, name);
    const list = await queue.list();
    queue.close();
    return list.map((f) => f.state);
  };

  const signIn = async (token: string) => {
    const queue = await UploadQueue.open((await ownerOf(token))!, name);
    await queue.becomeCurrent(token);
    queue.close();
  };

  it('sends the queue of whoever signed in last, with the token the page left for them', async () => {
    await signIn(alice);
    const seen: string[] = [];
    await syncQueue((input, init) => {
      seen.push((init?.headers as Record<string, string>).Authorization);
      return server.fetch(input, init);
    }, name);
    expect(await states()).toEqual(['done']);
    expect(new Set(seen)).toEqual(new Set([`Bearer ${alice}`]));
  });

  it('never sends one user\'s queue with the token of the next user on the same browser', async () => {
    const bob = tokenFor(2);
    await signIn(alice);
    await signIn(bob); // Bob signs in on the shared browser; Alice never signed out
    await syncQueue(server.fetch, name);
    expect(server.uploads.size).toBe(0);
    expect(await states()).toEqual(['queued']); // Alice's file waits for her
    await signIn(alice);
    await syncQueue(server.fetch, name);
    expect(await states()).toEqual(['done']);
  });

  it('does nothing while signed out', async () => {
    await syncQueue(server.fetch, name);
    expect(server.uploads.size).toBe(0);
    expect(await states()).toEqual(['queued']);
  });

  it('rejects when the network fails, so the browser fires the sync again', async () => {
    await signIn(alice);
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
