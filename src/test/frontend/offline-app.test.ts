// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { returnToAppWhenReachable, serverReachable, startOffline } from '../../main/frontend/offline-app';
import type { RelayUploader } from '../../main/frontend/relay-uploader';
import { UploadQueue, ownerOf, type CurrentUserDetails } from '../../main/frontend/upload-queue';
import { FakeServer, tokenFor } from './fake-server';
import { freshDevice, settle } from './fresh-device';

describe('the offline start page', () => {
  let root: HTMLElement;
  let server: FakeServer;

  const signedInBefore = async (uid: number, details: CurrentUserDetails) => {
    const queue = await UploadQueue.open((await ownerOf(tokenFor(uid)))!);
    await queue.becomeCurrent(tokenFor(uid), details);
    queue.close();
  };

  beforeEach(async () => {
    server = await freshDevice();
    root = document.createElement('main');
    document.body.append(root);
  });

  afterEach(() => {
    root.remove();
    vi.unstubAllGlobals();
  });

  it('on a device where nobody signed in, says there is no network and offers nothing to pick', async () => {
    expect(await startOffline(root)).toBeUndefined();
    expect(root.textContent).toContain('No network right now');
    expect(root.querySelector('relay-uploader')).toBeNull();
  });

  it('queues as the user who last signed in, says so, and sends nothing until the app takes over', async () => {
    await signedInBefore(1, { label: 'radiographer.one' });
    const uploader = (await startOffline(root))!;
    expect(root.querySelector('.offline-who')!.textContent).toBe('Queuing as radiographer.one — not you? Sign in when the network is back.');
    await settle(uploader, () => !!uploader.shadowRoot?.querySelector('.pick'));
    await uploader.addPicked([new File([new Uint8Array(300)], 'a.dcm'), new File([new Uint8Array(200)], 'b.dcm')]);
    await uploader.send();
    await settle(uploader, () => uploader.shadowRoot!.querySelectorAll('li.file').length === 2);
    expect(uploader.shadowRoot!.querySelectorAll('li.file')).toHaveLength(2);
    expect(server.inits).toHaveLength(0);
    const queue = await UploadQueue.open((await ownerOf(tokenFor(1)))!);
    expect((await queue.pending()).map((f) => f.name)).toEqual(['a.dcm', 'b.dcm']);
    queue.close();
    // what was known of the user is kept for the next offline start
    expect((await UploadQueue.currentUser())?.label).toBe('radiographer.one');
  });

  it('starts a tablet in kiosk mode with its clinic', async () => {
    await signedInBefore(2, { label: 'Hill Clinic', kiosk: true });
    const uploader = (await startOffline(root))!;
    expect(root.querySelector('h1')!.textContent).toBe('Hill Clinic');
    expect(uploader.kiosk).toBe(true);
    expect(root.querySelector('.offline-who')!.textContent).toBe('Queuing for Hill Clinic.');
  });

  it('goes to the app once the server answers, but not while picked files wait to be queued', async () => {
    await signedInBefore(1, { label: 'radiographer.one' });
    const uploader = (await startOffline(root))!;
    await settle(uploader, () => !!uploader.shadowRoot?.querySelector('.pick'));
    const reload = vi.fn();
    let up = false;
    const check = returnToAppWhenReachable(uploader, reload, async () => up);
    await check();
    expect(reload).not.toHaveBeenCalled(); // the server is still out of reach
    up = true;
    await uploader.addPicked([new File([new Uint8Array(10)], 'a.dcm')]);
    await check();
    expect(reload).not.toHaveBeenCalled(); // picked, not yet queued: a reload would lose the pick
    await uploader.send();
    await check();
    expect(reload).toHaveBeenCalledOnce();
  });

  it('counts any answer of the server as reachable, and a failed fetch as not', async () => {
    expect(await serverReachable(async () => new Response(null, { status: 503 }))).toBe(true);
    expect(await serverReachable(async () => { throw new TypeError('Failed to fetch'); })).toBe(false);
  });

  it('does not start a paired phone whose pairing has ended', async () => {
    await signedInBefore(1, { label: 'this phone', until: 1_000 });
    expect(await startOffline(root, 999)).toBeDefined();
    expect(await startOffline(root, 1_000)).toBeUndefined();
    expect(root.textContent).toContain('No network right now');
  });
});
