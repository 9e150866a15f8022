import { LitElement, css, html, nothing } from 'lit';
import { AuthExpiredError, ChunkSender, RetryableError, backoffMs } from './chunk-sender';
import { NetworkStatus } from './network-status';
import { UploadQueue, type QueuedFile } from './upload-queue';

/**
 * <relay-uploader>: pick files, a folder or a photo; one button sends them. Everything picked is queued in IndexedDB
 * first, so sending resumes by itself after a lost network, a reload or a closed browser.
 * Properties: token (API bearer token from the Java view).
 */
export class RelayUploader extends LitElement {
  static properties = {
    token: { type: String },
    files: { state: true },
    picked: { state: true },
    online: { state: true },
    notice: { state: true },
  };

  token = '';
  files: QueuedFile[] = [];
  picked: File[] = [];
  online = navigator.onLine;
  notice = '';

  private queue?: UploadQueue;
  private sender?: ChunkSender;
  private network = new NetworkStatus();
  private attempts = new Map<string, number>();
  private running = new Set<string>();
  private retryTimer?: number;
  private refreshTimer?: number;
  private speed = { at: 0, bytes: 0, rate: 0 };

  async connectedCallback() {
    super.connectedCallback();
    this.network.onChange((online) => {
      this.online = online;
      if (online) {
        this.pump();
      }
    });
    this.queue = await UploadQueue.open();
    this.sender = new ChunkSender(this.queue, {
      token: () => this.token,
      onProgress: (f) => this.replace(f),
    });
    this.files = await this.queue.list();
    this.refreshTimer = window.setInterval(() => this.refreshToken(), 20 * 60 * 1000);
    this.pump();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.clearInterval(this.refreshTimer);
    window.clearTimeout(this.retryTimer);
  }

  /** Sends every unfinished file; one tab at a time per file (Web Locks), a few files at once. */
  async pump() {
    if (!this.queue || !this.sender || !this.online || !this.token) {
      return;
    }
    for (const file of await this.queue.list()) {
      if (file.state === 'done' || file.state === 'failed' || this.running.has(file.id) || this.running.size >= 2) {
        continue;
      }
      this.running.add(file.id);
      const run = () => this.sendOne(file.id);
      const work = navigator.locks
        ? navigator.locks.request(`relaypacs-file-${file.id}`, { ifAvailable: true }, (lock) => (lock ? run() : undefined))
        : run();
      Promise.resolve(work).finally(() => {
        this.running.delete(file.id);
        this.pump();
      });
    }
  }

  private async sendOne(id: string) {
    try {
      const result = await this.sender!.send(id);
      this.attempts.delete(id);
      if (result) {
        this.replace(result);
      }
    } catch (e) {
      const message = (e as Error).message;
      if (e instanceof AuthExpiredError) {
        await this.queue!.update(id, { state: 'paused', message });
        this.notice = message;
      } else if (e instanceof RetryableError) {
        const attempt = (this.attempts.get(id) ?? 0) + 1;
        this.attempts.set(id, attempt);
        await this.queue!.update(id, {
          state: 'paused',
          message: this.online ? `${message} Trying again shortly.` : 'Waiting for the network.',
        });
        window.clearTimeout(this.retryTimer);
        this.retryTimer = window.setTimeout(() => this.pump(), backoffMs(attempt));
      } else {
        await this.queue!.update(id, { state: 'failed', message });
      }
      const f = await this.queue!.get(id);
      if (f) {
        this.replace(f);
      }
    }
  }

  private async refreshToken() {
    if (!this.token) {
      return;
    }
    const r = await fetch('/api/auth/refresh', { method: 'POST', headers: { Authorization: `Bearer ${this.token}` } }).catch(() => undefined);
    if (r?.ok) {
      this.token = (await r.json()).access_token;
    }
  }

  private replace(file: QueuedFile) {
    const now = performance.now();
    const total = this.files.reduce((s, f) => s + (f.id === file.id ? file.sentBytes : f.sentBytes), 0);
    if (this.speed.at && now - this.speed.at > 1000) {
      const rate = ((total - this.speed.bytes) / (now - this.speed.at)) * 1000;
      this.speed = { at: now, bytes: total, rate: this.speed.rate ? this.speed.rate * 0.7 + rate * 0.3 : rate };
    } else if (!this.speed.at) {
      this.speed = { at: now, bytes: total, rate: 0 };
    }
    const i = this.files.findIndex((f) => f.id === file.id);
    this.files = i < 0 ? [...this.files, file] : this.files.map((f) => (f.id === file.id ? file : f));
  }

  private pick(e: Event) {
    const input = e.target as HTMLInputElement;
    this.picked = [...this.picked, ...Array.from(input.files ?? [])];
    input.value = '';
  }

  /** The one action: queue what was picked (after checking the device has room) and start sending. */
  async send() {
    if (!this.queue || this.picked.length === 0) {
      return;
    }
    const bytes = this.picked.reduce((s, f) => s + f.size, 0);
    const estimate = await navigator.storage?.estimate?.();
    if (estimate?.quota && estimate.usage !== undefined && estimate.quota - estimate.usage < bytes * 1.1) {
      this.notice = `This device does not have room to keep ${formatBytes(bytes)} safe while sending. Free some space or send fewer files at once.`;
      return;
    }
    await navigator.storage?.persist?.();
    this.notice = '';
    const added = await this.queue.enqueue(this.picked, crypto.randomUUID());
    const empty = this.picked.length - added.length;
    if (empty > 0) {
      this.notice = `${empty} empty file${empty > 1 ? 's were' : ' was'} left out.`;
    }
    this.picked = [];
    this.files = await this.queue.list();
    this.pump();
  }

  async clearFinished() {
    for (const f of this.files.filter((x) => x.state === 'done' || x.state === 'failed')) {
      await this.queue!.remove(f.id);
    }
    this.files = await this.queue!.list();
  }

  render() {
    const total = this.files.reduce((s, f) => s + f.size, 0);
    const sent = this.files.reduce((s, f) => s + f.sentBytes, 0);
    const active = this.files.filter((f) => f.state !== 'done' && f.state !== 'failed');
    const left = this.speed.rate > 0 ? (total - sent) / this.speed.rate : 0;
    return html`
      <div class="network ${this.online ? 'on' : 'off'}" role="status">
        ${this.online ? 'Online' : 'Offline — your images are safe on this device and will be sent when the network is back'}
      </div>
      <div class="pick">
        <label class="button">Choose files<input type="file" multiple @change=${this.pick} data-pick="files" /></label>
        <label class="button">Choose a folder<input type="file" webkitdirectory @change=${this.pick} data-pick="folder" /></label>
        <label class="button">Take a photo<input type="file" accept="image/*" capture="environment" @change=${this.pick} data-pick="camera" /></label>
      </div>
      ${this.picked.length
        ? html`<p class="picked">${this.picked.length} file${this.picked.length > 1 ? 's' : ''} picked (${formatBytes(this.picked.reduce((s, f) => s + f.size, 0))})</p>
            <button class="send" @click=${this.send}>Send ${this.picked.length} file${this.picked.length > 1 ? 's' : ''}</button>`
        : nothing}
      ${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : nothing}
      ${this.files.length
        ? html`<div class="overall" aria-live="polite">
              <progress max=${total} .value=${sent}></progress>
              <span>${active.length ? `${formatBytes(sent)} of ${formatBytes(total)} (${total ? Math.floor((sent * 100) / total) : 0}%)` : 'Nothing left to send'}
                ${active.length && this.speed.rate > 0 ? html` · ${formatBytes(this.speed.rate)}/s · about ${formatDuration(left)} left` : nothing}</span>
            </div>
            <ul class="files">
              ${this.files.map((f) => html`<li class="file ${f.state}" data-state=${f.state}>
                  <span class="name">${f.name}</span>
                  <progress max=${f.size} .value=${f.sentBytes}></progress>
                  <span class="state">${describe(f)}</span>
                </li>`)}
            </ul>
            <button class="secondary" @click=${this.clearFinished}>Clear finished</button>`
        : nothing}
    `;
  }

  static styles = css`
    :host { display: block; font-size: 1.05rem; }
    .network { padding: 0.5rem 0.75rem; border-radius: 8px; margin-bottom: 0.75rem; font-weight: 600; }
    .network.on { background: #e6f4ea; color: #0d5c2e; }
    .network.off { background: #fdecea; color: #8a1c12; }
    .pick { display: flex; flex-wrap: wrap; gap: 0.75rem; }
    .button, button { display: inline-flex; align-items: center; justify-content: center; min-height: 48px; min-width: 48px;
      padding: 0 1.25rem; border-radius: 8px; border: 2px solid #0b5cad; color: #0b5cad; background: #fff;
      font-size: 1.05rem; font-weight: 600; cursor: pointer; }
    .button input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    button.send { margin-top: 0.75rem; width: 100%; min-height: 56px; background: #0b5cad; color: #fff; font-size: 1.2rem; }
    .notice { color: #8a1c12; font-weight: 600; }
    .overall { margin: 1rem 0 0.5rem; display: grid; gap: 0.25rem; }
    progress { width: 100%; height: 12px; }
    .files { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.5rem; }
    .file { display: grid; gap: 0.2rem; padding: 0.5rem; border-radius: 8px; background: #f4f6f8; }
    .file .name { font-weight: 600; overflow-wrap: anywhere; }
    .file.done .state { color: #0d5c2e; }
    .file.failed .state { color: #8a1c12; }
    button.secondary { margin-top: 0.75rem; }
  `;
}

function describe(f: QueuedFile): string {
  switch (f.state) {
    case 'queued': return 'Waiting to be sent';
    case 'sending': return `Sending: ${f.size ? Math.floor((f.sentBytes * 100) / f.size) : 0}%`;
    case 'processing': return 'Received, checking and delivering to the PACS';
    case 'paused': return f.message ?? 'Waiting for the network';
    case 'done': return f.message ?? 'Delivered to the PACS';
    case 'failed': return `Not delivered: ${f.message ?? 'unknown reason'}`;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} KB`;
  return `${n} bytes`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

customElements.define('relay-uploader', RelayUploader);
