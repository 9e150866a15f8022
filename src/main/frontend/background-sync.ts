import { t } from './i18n';
import { ChunkSender } from './chunk-sender';
import { NetworkStatus, Pacer } from './network-status';
import { QueueRunner } from './queue-runner';
import { UploadQueue } from './upload-queue';

/**
 * Sending from the service worker, so that uploads go on with the app closed where the browser supports Background
 * Sync. The page registers the sync when it queues files or loses the network; the browser fires it when the network
 * is back. It sends the queue of whoever signed in last on this device, with the upload-only token the page keeps
 * for them; nobody else's.
 */
export const SYNC_TAG = 'relaypacs-upload';

/** One pass over the queue. Rejects when something is left to retry, so that the browser fires the sync again later. */
export async function syncQueue(fetchFn: typeof fetch = (i, init) => fetch(i, init), queueName?: string): Promise<void> {
  const current = await UploadQueue.currentUser(queueName);
  if (!current) {
    return; // signed out: the queue waits for the next sign-in
  }
  const { token } = current;
  const queue = await UploadQueue.open(current.owner, queueName);
  // Open pages hear of progress made here.
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('relaypacs-queue');
  try {
    const options = await queue.sendingOptions();
    const network = new NetworkStatus();
    const pacer = new Pacer(() => options.capBytesPerSecond);
    const sender = new ChunkSender(queue, {
      token: () => token,
      fetchFn,
      onProgress: (f) => channel?.postMessage(f),
      initialRate: await queue.setting<number>('rate'),
      onRate: (rate) => void queue.setSetting('rate', rate),
      pace: (bytes) => pacer.take(bytes),
      holdReason: () => (network.mustWaitForWifi(options.wifiOnly) ? t('send.wifi') : undefined),
    });
    const outcome = await new QueueRunner(queue, sender).runOnce();
    if (outcome.kind === 'retry') {
      throw new Error(outcome.message);
    }
  } finally {
    channel?.close();
    queue.close();
  }
}

/** Asks the browser for a Background Sync; quietly nothing where it is not supported. */
export async function requestBackgroundSync(): Promise<boolean> {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    const sync = (registration as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined)?.sync;
    if (!sync) {
      return false;
    }
    await sync.register(SYNC_TAG);
    return true;
  } catch {
    return false;
  }
}
