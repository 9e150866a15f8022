import { t, tn } from './i18n';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { requestBackgroundSync } from './background-sync';
import { ChunkSender, backoffMs } from './chunk-sender';
import { NetworkStatus, Pacer } from './network-status';
import { QueueRunner } from './queue-runner';
import { secondsLeft } from './study-summary';
import { UploadQueue, ownerOf, type FileFacts, type PatientDetails, type QueuedFile, type SendingOptions } from './upload-queue';

/** How often the server is asked about files sent whole but not yet delivered to the PACS. */
const ANSWER_POLL_MS = 2000;
/** The file list is redrawn at most this often while chunks fly. */
const RENDER_EVERY_MS = 200;

/** What the send loop needs from the element it serves. */
export interface SendingHost extends ReactiveControllerHost {
  token: string;
  maxAgeHours: number;
  who: string;
  offlineUntil: number;
  offlineStart: boolean;
  kiosk: boolean;
  /** Files are being picked or read: loading the page again now would lose them. */
  readonly picking: boolean;
  /** Loads the page again (a kiosk whose session ended re-signs in by its device key). */
  reloadPage(): void;
  /** The queued files changed (a kiosk clears a settled study). */
  filesChanged(): void;
}

/**
 * The send loop of <relay-uploader>, as a Lit reactive controller: opens this user's queue, sends it whenever the
 * network allows (backing off after failures, polling while the server delivers), keeps the service worker's token
 * current, and batches progress into redraws. The element only picks, shows and asks.
 */
export class SendController implements ReactiveController {
  files: QueuedFile[] = [];
  online = navigator.onLine;
  options: SendingOptions = { wifiOnly: false, capBytesPerSecond: 0 };
  /** Bytes per second on the wire, smoothed, while sending. */
  rate = 0;
  /** Settles once the queue is open (or could not be, for want of a usable token). */
  opened: Promise<void> = Promise.resolve();

  private message = '';
  private queue?: UploadQueue;
  private runner?: QueueRunner;
  private network = new NetworkStatus();
  private attempt = 0;
  private running = false;
  private again = false;
  /** Set when the server refused the token: nothing is tried until the Java side hands over a new one. */
  private signInNeeded = false;
  private retryTimer?: number;
  private refreshTimer?: number;
  private speed = { at: 0, bytes: 0 };
  private changed = new Map<string, QueuedFile>();
  private flushTimer?: number;
  /** Other tabs (and the service worker) tell of progress on files this tab does not send itself. */
  private channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('relaypacs-queue');

  constructor(private readonly host: SendingHost) {
    host.addController(this);
  }

  /** What the user should know now (a plain sentence), or empty. */
  get notice(): string {
    return this.message;
  }

  set notice(message: string) {
    this.message = message;
    this.host.requestUpdate();
  }

  get knowsConnectionType(): boolean {
    return this.network.knowsConnectionType;
  }

  get sentBytes(): number {
    return this.files.reduce((s, f) => s + f.sentBytes, 0);
  }

  hostConnected() {
    this.opened = this.open();
  }

  hostDisconnected() {
    window.clearInterval(this.refreshTimer);
    window.clearTimeout(this.retryTimer);
    this.channel?.close();
  }

  private async open() {
    this.network.onChange((online) => {
      this.online = online;
      this.host.requestUpdate();
      if (online) {
        this.attempt = 0;
        void this.pump();
      } else {
        void requestBackgroundSync();
      }
    });
    const owner = await ownerOf(this.host.token);
    if (!owner) {
      this.notice = t('send.signInAgain');
      return;
    }
    if (this.host.maxAgeHours > 0) {
      await UploadQueue.setMaxAge(this.host.maxAgeHours * 3600 * 1000);
    }
    const queue = (this.queue = await UploadQueue.open(owner));
    const gone = await queue.removeAbandoned();
    if (gone.length) {
      this.notice = tn('send.notCopied', gone.length);
    }
    this.options = await queue.sendingOptions();
    const pacer = new Pacer(() => this.options.capBytesPerSecond);
    // Only this user's files: another user's tab on the same browser may be sending theirs.
    this.channel?.addEventListener('message', (e: MessageEvent<QueuedFile>) => e.data.owner === owner && this.replace(e.data));
    const sender = new ChunkSender(queue, {
      token: () => this.host.token,
      onProgress: (f) => {
        this.replace(f);
        this.channel?.postMessage(f);
      },
      initialRate: await queue.setting<number>('rate'),
      onRate: (rate) => void queue.setSetting('rate', rate),
      pace: (bytes) => pacer.take(bytes),
      holdReason: () => (this.network.mustWaitForWifi(this.options.wifiOnly) ? t('send.wifi') : undefined),
    });
    this.runner = new QueueRunner(queue, sender, { onChange: (f) => this.replace(f) });
    this.show(await queue.list());
    this.refreshTimer = window.setInterval(() => this.refreshToken(), 20 * 60 * 1000);
    await this.keepToken();
    void this.pump();
  }

  /** Sends whatever can be sent; after a retryable failure tries again with backoff; one pass at a time. */
  async pump() {
    const host = this.host;
    if (!this.runner || !this.online || !host.token || this.signInNeeded || host.offlineStart) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    window.clearTimeout(this.retryTimer);
    try {
      const sentBefore = this.sentBytes;
      const outcome = await this.runner.runOnce();
      // Progress since the last failure means the link works: start the backoff afresh.
      this.attempt = this.sentBytes > sentBefore ? 0 : this.attempt;
      if (outcome.kind === 'auth' && host.kiosk && !host.picking) {
        // A tablet has nobody to sign in: loading the kiosk again signs it in by its device key (unless revoked).
        host.reloadPage();
      } else if (outcome.kind === 'auth') {
        this.signInNeeded = true;
        this.notice = outcome.message;
      } else if (outcome.kind === 'waiting') {
        this.retryTimer = window.setTimeout(() => this.pump(), ANSWER_POLL_MS);
      } else if (outcome.kind === 'retry') {
        this.attempt++;
        // the server's Retry-After (rate limit, maintenance) wins over a shorter backoff
        this.retryTimer = window.setTimeout(() => this.pump(), Math.max(backoffMs(this.attempt), outcome.retryAfterMs ?? 0));
        void requestBackgroundSync();
      } else if (outcome.kind === 'idle' && [t('send.signInAgain'), t('sender.signIn')].includes(this.notice)) {
        this.notice = '';
      }
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      void this.pump();
    }
  }

  /**
   * Queues picked files and starts sending with the first one copied in; returns how many were queued (empty
   * files are left out).
   */
  async enqueue(files: File[], batchId: string, factsOf: (f: File) => FileFacts | undefined, patient?: PatientDetails,
    deidentify = false): Promise<number> {
    await this.opened;
    if (!this.queue) {
      return 0;
    }
    const added = await this.queue.enqueue(files, batchId, factsOf, undefined, (file) => {
      this.replace(file);
      void this.pump();
    }, patient, deidentify);
    this.show(await this.queue.list());
    void requestBackgroundSync();
    void this.pump();
    return added.length;
  }

  /** Whether the queue is open: files can be queued. */
  get ready(): boolean {
    return !!this.queue;
  }

  /** Removes delivered and failed files from this device's list. */
  async clearFinished() {
    for (const f of this.files.filter((x) => x.state === 'done' || x.state === 'failed')) {
      await this.queue!.remove(f.id);
    }
    this.show(await this.queue!.list());
  }

  async setOptions(change: Partial<SendingOptions>) {
    this.options = { ...this.options, ...change };
    this.host.requestUpdate();
    await this.opened;
    await this.queue?.setSetting('options', this.options);
    void this.pump();
  }

  /** A new token for this user lets sending go on; a token of somebody else never sends this queue. */
  async takeToken() {
    if (this.queue && (await ownerOf(this.host.token)) !== this.queue.owner) {
      this.signInNeeded = true;
      this.notice = t('send.signInAgain');
      return;
    }
    this.signInNeeded = false;
    await this.keepToken();
    void this.pump();
  }

  /** The service worker sends this user's queue with their latest token when the page is closed. */
  private async keepToken() {
    const host = this.host;
    if (this.queue && host.token && (await ownerOf(host.token)) === this.queue.owner) {
      await this.queue.becomeCurrent(host.token, host.offlineStart ? await this.knownDetails()
        : { label: host.who || undefined, kiosk: host.kiosk || undefined, until: host.offlineUntil || undefined });
    }
  }

  /** What was kept of this user when the app last ran online (an offline start keeps it as it is). */
  private async knownDetails() {
    const { label, kiosk, until } = (await UploadQueue.currentUser()) ?? {};
    return { label, kiosk, until };
  }

  private async refreshToken() {
    if (!this.host.token) {
      return;
    }
    const r = await fetch('/api/auth/refresh', { method: 'POST', headers: { Authorization: `Bearer ${this.host.token}` } })
      .catch(() => undefined);
    if (r?.ok) {
      this.host.token = (await r.json()).access_token;
    }
  }

  /**
   * Takes a file's new state; the list is redrawn at most every RENDER_EVERY_MS, so a queue of hundreds of files
   * sending many small chunks does not keep the main thread busy redrawing.
   */
  private replace(file: QueuedFile) {
    this.changed.set(file.id, file);
    this.flushTimer ??= window.setTimeout(() => this.flush(), RENDER_EVERY_MS);
  }

  private flush() {
    this.flushTimer = undefined;
    const changed = this.changed;
    this.changed = new Map();
    const known = new Set(this.files.map((f) => f.id));
    const files = this.files.map((f) => changed.get(f.id) ?? f);
    changed.forEach((f, id) => !known.has(id) && files.push(f));
    // The rate is measured in bytes on the wire (compressed where that paid): what the link really carries.
    const now = performance.now();
    const wire = files.reduce((s, f) => s + (f.wireBytes ?? f.sentBytes), 0);
    if (this.speed.at && now - this.speed.at > 1000) {
      const rate = ((wire - this.speed.bytes) / (now - this.speed.at)) * 1000;
      this.speed = { at: now, bytes: wire };
      this.rate = this.rate ? this.rate * 0.7 + rate * 0.3 : rate;
    } else if (!this.speed.at) {
      this.speed = { at: now, bytes: wire };
    }
    this.show(files);
  }

  /** Seconds until everything is sent, from the wire rate. */
  get secondsLeft(): number {
    return secondsLeft(this.files, this.rate);
  }

  private show(files: QueuedFile[]) {
    this.files = files;
    this.host.requestUpdate();
    this.host.filesChanged();
  }
}
