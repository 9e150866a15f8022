import { Blob as NodeBlob, File as NodeFile } from 'node:buffer';
import { vi } from 'vitest';
import type { RelayUploader } from '../../main/frontend/relay-uploader';
import { UploadQueue, ownerOf } from '../../main/frontend/upload-queue';
import { FakeServer, tokenFor } from './fake-server';

/**
 * A device as a test of the page starts from: the queues of the test users (uid 1 and 2) empty, and the server a
 * fresh fake one answering fetch.
 */
export async function freshDevice(): Promise<FakeServer> {
  for (const uid of [1, 2]) {
    await (await UploadQueue.open((await ownerOf(tokenFor(uid)))!)).wipe();
  }
  const server = new FakeServer();
  vi.stubGlobal('fetch', server.fetch);
  // IndexedDB (fake-indexeddb) clones Node's Blobs, as a browser's IndexedDB clones its own.
  vi.stubGlobal('Blob', NodeBlob);
  vi.stubGlobal('File', NodeFile);
  return server;
}

/** Waits (generously: a pass through the queue can take seconds on a loaded 2-core machine) for a condition. */
export async function settle(el: RelayUploader, until: () => boolean) {
  for (let i = 0; i < 1000 && !until(); i++) {
    await new Promise((r) => setTimeout(r, 10));
    await el.updateComplete;
  }
}
