import { UploadQueue } from './upload-queue';

/**
 * What the Java side asks of this device's queue (the owner id comes from the server, for the signed-in user) when the user signs out: how many of their files are still
 * waiting, and to wipe what is theirs (files, pieces, token and key) so nothing is left behind on a shared device.
 * Another user's queue on the same browser is neither counted nor touched.
 */
declare global {
  interface Window {
    relayPacsQueue?: { pending(owner: string): Promise<number>; wipe(owner: string): Promise<void> };
  }
}

window.relayPacsQueue = {
  async pending(owner) {
    const queue = await UploadQueue.open(owner);
    try {
      return (await queue.pending()).length;
    } finally {
      queue.close();
    }
  },
  async wipe(owner) {
    await (await UploadQueue.open(owner)).wipe();
  },
};
