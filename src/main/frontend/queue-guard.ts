import { UploadQueue } from './upload-queue';

/**
 * What the Java side asks of this device's queue when the user signs out: how many files are still waiting, and
 * to wipe the queue (files, pieces, token and key) so nothing is left behind on a shared device.
 */
declare global {
  interface Window {
    relayPacsQueue?: { pending(): Promise<number>; wipe(): Promise<void> };
  }
}

window.relayPacsQueue = {
  async pending() {
    const queue = await UploadQueue.open();
    try {
      return (await queue.pending()).length;
    } finally {
      queue.close();
    }
  },
  async wipe() {
    const queue = await UploadQueue.open();
    await queue.wipe();
  },
};
