import { LitElement, css, html, nothing } from 'lit';
import { requestBackgroundSync } from './background-sync';
import { ChunkSender, backoffMs } from './chunk-sender';
import { formatDate, formatName, groupByStudy, readPicked, type PickedFile, type StudyGroup } from './dicom-preview';
import { NetworkStatus, Pacer } from './network-status';
import { QueueRunner } from './queue-runner';
import { UploadQueue, ownerOf, type PatientDetails, type QueuedFile, type SendingOptions } from './upload-queue';

/**
 * <relay-uploader>: pick files, a folder, drop them, or take a photo; see them grouped by study; one button sends
 * them. Everything picked is queued (encrypted) in IndexedDB first, so sending resumes by itself after a lost
 * network, a reload or a closed browser, and from the service worker where the browser has Background Sync.
 * Properties: token (an upload-only API token from the Java view; the queue shown and sent is the one of the user it
 * stands for), maxAgeHours (how long files may wait on a device).
 */
/** How often the server is asked about files sent whole but not yet delivered to the PACS. */
/** How long a kiosk shows the delivered study before clearing it for the next patient. */
export const KIOSK_RESET_MS = 8000;
const ANSWER_POLL_MS = 2000;
const RENDER_EVERY_MS = 200;

export class RelayUploader extends LitElement {
  static properties = {
    token: { type: String },
    maxAgeHours: { type: Number },
    who: { type: String },
    offlineUntil: { type: Number },
    offlineStart: { type: Boolean },
    kiosk: { type: Boolean, reflect: true },
    batch: { type: String },
    presetPatientName: { type: String },
    presetPatientId: { type: String },
    files: { state: true },
    picked: { state: true },
    reading: { state: true },
    online: { state: true },
    notice: { state: true },
    ready: { state: true },
    options: { state: true },
    patient: { state: true },
    deidentify: { state: true },
  };

  token = '';
  /** Files left on this device longer than this are wiped, whoever queued them (an administrator's setting). */
  maxAgeHours = 0;
  /** Who files are queued as, in words (a user's name; a tablet's clinic): shown when the app starts offline. */
  who = '';
  /** A paired phone's end of pairing (epoch ms): after it, the app does not start offline for it. 0: no end. */
  offlineUntil = 0;
  /** Opened with no network by the service worker: nothing is sent here; the app takes over when the network is back. */
  offlineStart = false;
  /** A shared clinic tablet: very large targets, and the queue cleared after each delivered study. */
  kiosk = false;
  /** On a kiosk, what the last study came to, shown until the next pick. */
  ready = '';
  /** How long a kiosk shows a delivered study before clearing it. */
  kioskResetMs = KIOSK_RESET_MS;
  /** Loads the page again (a kiosk whose session ended re-signs in by its device key). */
  reloadPage = () => location.reload();
  private resetTimer?: number;
  /** A fixed batch for everything picked (a QR pairing); empty: a new batch per pick. */
  batch = '';
  /** Patient details typed elsewhere (the computer of a QR pairing), put back in the form after each send. */
  presetPatientName = '';
  presetPatientId = '';
  files: QueuedFile[] = [];
  picked: PickedFile[] = [];
  reading = 0;
  online = navigator.onLine;
  notice = '';
  options: SendingOptions = { wifiOnly: false, capBytesPerSecond: 0 };
  /** Who the picked photos show (a photo carries no patient data of its own). */
  patient: PatientDetails = { name: '', id: '' };
  /** Remove patient details from what is picked before the PACS gets it (PS3.15 Basic profile, on the server). */
  deidentify = false;

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
  private speed = { at: 0, bytes: 0, rate: 0 };
  private changed = new Map<string, QueuedFile>();
  private flushTimer?: number;
  /** Other tabs (and the service worker) tell of progress on files this tab does not send itself. */
  private channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('relaypacs-queue');

  /** Settles once the queue is open (or could not be, for want of a usable token). */
  opened: Promise<void> = Promise.resolve();

  connectedCallback() {
    super.connectedCallback();
    this.opened = this.open();
  }

  private async open() {
    this.network.onChange((online) => {
      this.online = online;
      if (online) {
        this.attempt = 0;
        this.pump();
      } else {
        void requestBackgroundSync();
      }
    });
    const owner = await ownerOf(this.token);
    if (!owner) {
      this.notice = 'Please sign in again to send images.';
      return;
    }
    if (this.maxAgeHours > 0) {
      await UploadQueue.setMaxAge(this.maxAgeHours * 3600 * 1000);
    }
    const queue = (this.queue = await UploadQueue.open(owner));
    const gone = await queue.removeAbandoned();
    if (gone.length) {
      this.notice = `${gone.length} file${gone.length > 1 ? 's were' : ' was'} not fully copied before the app closed: pick ${gone.length > 1 ? 'them' : 'it'} again.`;
    }
    this.options = await queue.sendingOptions();
    const pacer = new Pacer(() => this.options.capBytesPerSecond);
    // Only this user's files: another user's tab on the same browser may be sending theirs.
    this.channel?.addEventListener('message', (e: MessageEvent<QueuedFile>) => e.data.owner === owner && this.replace(e.data));
    const sender = new ChunkSender(queue, {
      token: () => this.token,
      onProgress: (f) => {
        this.replace(f);
        this.channel?.postMessage(f);
      },
      initialRate: await queue.setting<number>('rate'),
      onRate: (rate) => void queue.setSetting('rate', rate),
      pace: (bytes) => pacer.take(bytes),
      holdReason: () => (this.network.mustWaitForWifi(this.options.wifiOnly) ? 'Waiting for Wi-Fi.' : undefined),
    });
    this.runner = new QueueRunner(queue, sender, { onChange: (f) => this.replace(f) });
    this.files = await queue.list();
    this.refreshTimer = window.setInterval(() => this.refreshToken(), 20 * 60 * 1000);
    await this.keepToken();
    this.pump();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.clearInterval(this.refreshTimer);
    window.clearTimeout(this.retryTimer);
    this.channel?.close();
  }

  willUpdate(changed: Map<string, unknown>) {
    if ((changed.has('presetPatientName') || changed.has('presetPatientId')) && !this.patient.name && !this.patient.id) {
      this.patient = { name: this.presetPatientName, id: this.presetPatientId };
    }
  }

  updated(changed: Map<string, unknown>) {
    if (this.kiosk && changed.has('files')) {
      this.scheduleKioskReset();
    }
    if (changed.has('token') && changed.get('token') !== undefined) {
      void this.takeToken();
    }
  }

  /** Sends whatever can be sent; after a retryable failure tries again with backoff; one pass at a time. */
  async pump() {
    if (!this.runner || !this.online || !this.token || this.signInNeeded || this.offlineStart) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    window.clearTimeout(this.retryTimer);
    try {
      const sentBefore = this.sentBytes();
      const outcome = await this.runner.runOnce();
      // Progress since the last failure means the link works: start the backoff afresh.
      this.attempt = this.sentBytes() > sentBefore ? 0 : this.attempt;
      if (outcome.kind === 'auth' && this.kiosk && this.picked.length === 0 && this.reading === 0) {
        // A tablet has nobody to sign in: loading the kiosk again signs it in by its device key (unless revoked).
        this.reloadPage();
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
      } else if (outcome.kind === 'idle' && this.notice.startsWith('Please sign in')) {
        this.notice = '';
      }
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      this.pump();
    }
  }

  /** A new token for this user lets sending go on; a token of somebody else never sends this queue. */
  private async takeToken() {
    if (this.queue && (await ownerOf(this.token)) !== this.queue.owner) {
      this.signInNeeded = true;
      this.notice = 'Please sign in again to send images.';
      return;
    }
    this.signInNeeded = false;
    await this.keepToken();
    this.pump();
  }

  /** The service worker sends this user's queue with their latest token when the page is closed. */
  private async keepToken() {
    if (this.queue && this.token && (await ownerOf(this.token)) === this.queue.owner) {
      await this.queue.becomeCurrent(this.token, this.offlineStart ? await this.knownDetails()
        : { label: this.who || undefined, kiosk: this.kiosk || undefined, until: this.offlineUntil || undefined });
    }
  }

  /** What was kept of this user when the app last ran online (an offline start keeps it as it is). */
  private async knownDetails() {
    const { label, kiosk, until } = (await UploadQueue.currentUser()) ?? {};
    return { label, kiosk, until };
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

  private sentBytes(): number {
    return this.files.reduce((s, f) => s + f.sentBytes, 0);
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
    const now = performance.now();
    const total = files.reduce((s, f) => s + f.sentBytes, 0);
    if (this.speed.at && now - this.speed.at > 1000) {
      const rate = ((total - this.speed.bytes) / (now - this.speed.at)) * 1000;
      this.speed = { at: now, bytes: total, rate: this.speed.rate ? this.speed.rate * 0.7 + rate * 0.3 : rate };
    } else if (!this.speed.at) {
      this.speed = { at: now, bytes: total, rate: 0 };
    }
    this.files = files;
  }

  private pick(e: Event) {
    const input = e.target as HTMLInputElement;
    void this.addPicked(Array.from(input.files ?? []));
    input.value = '';
  }

  private async drop(e: DragEvent) {
    e.preventDefault();
    const items = Array.from(e.dataTransfer?.items ?? []);
    const entries = items.map((i) => i.webkitGetAsEntry?.()).filter((x): x is FileSystemEntry => !!x);
    const files = entries.length ? (await Promise.all(entries.map(filesOf))).flat() : Array.from(e.dataTransfer?.files ?? []);
    await this.addPicked(files);
  }

  /** Reads each file's header (a small part of it) to show the studies before sending. */
  async addPicked(files: File[]) {
    this.ready = '';
    this.reading += files.length;
    const read: PickedFile[] = [];
    for (const file of files) {
      read.push(await readPicked(file));
      this.reading--;
    }
    this.picked = [...this.picked, ...read];
  }

  /** The one action: queue what was picked (after checking the device has room) and start sending. */
  async send() {
    await this.opened;
    if (!this.queue || this.picked.length === 0) {
      return;
    }
    const photos = this.picked.some((p) => p.kind === 'photo');
    if (photos && (!this.patient.name.trim() || !this.patient.id.trim())) {
      this.notice = 'Enter the patient\'s name and ID for the photos: the PACS files them under that patient.';
      return;
    }
    const bytes = this.picked.reduce((s, p) => s + p.file.size, 0);
    const estimate = await navigator.storage?.estimate?.();
    if (estimate?.quota && estimate.usage !== undefined && estimate.quota - estimate.usage < bytes * 1.1) {
      this.notice = `This device does not have room to keep ${formatBytes(bytes)} safe while sending. Free some space or send fewer files at once.`;
      return;
    }
    await navigator.storage?.persist?.();
    this.notice = '';
    const picked = this.picked;
    this.picked = [];
    const studies = new Map(picked.map((p) => [p.file, p.study]));
    // Sending starts with the first file queued; the rest are copied in meanwhile.
    const added = await this.queue.enqueue(picked.map((p) => p.file), this.batch || crypto.randomUUID(), (f) => studies.get(f), undefined,
      (file) => {
        this.replace(file);
        this.pump();
      }, photos ? this.patientForDicom() : undefined, this.deidentify);
    this.patient = { name: this.presetPatientName, id: this.presetPatientId };
    this.deidentify = false;
    const empty = picked.length - added.length;
    if (empty > 0) {
      this.notice = `${empty} empty file${empty > 1 ? 's were' : ' was'} left out.`;
    }
    this.files = await this.queue.list();
    void requestBackgroundSync();
    this.pump();
  }

  /** The details as DICOM writes them: "Family^Given" names. */
  private patientForDicom(): PatientDetails {
    const p = this.patient;
    const name = p.name.includes(',') ? p.name.split(',').map((s) => s.trim()).join('^') : p.name.trim();
    return { ...p, name, id: p.id.trim() };
  }

  private setPatient(field: keyof PatientDetails, e: Event) {
    this.patient = { ...this.patient, [field]: (e.target as HTMLInputElement).value };
  }

  /**
   * On a kiosk, once everything picked has settled, the list is cleared after a moment so the next patient never
   * sees the last one's files; what failed is on the server's dashboard for staff.
   */
  private scheduleKioskReset() {
    const settled = this.files.length > 0 && this.files.every((f) => f.state === 'done' || f.state === 'failed');
    window.clearTimeout(this.resetTimer);
    if (!settled) {
      return;
    }
    const failed = this.files.filter((f) => f.state === 'failed').length;
    this.resetTimer = window.setTimeout(async () => {
      await this.clearFinished();
      this.ready = failed ? `${failed} file${failed > 1 ? 's' : ''} could not be delivered; staff can see why on the dashboard. `
        + 'Ready for the next patient.' : 'Delivered. Ready for the next patient.';
    }, this.kioskResetMs);
  }

  async clearFinished() {
    for (const f of this.files.filter((x) => x.state === 'done' || x.state === 'failed')) {
      await this.queue!.remove(f.id);
    }
    this.files = await this.queue!.list();
  }

  private async setOptions(change: Partial<SendingOptions>) {
    this.options = { ...this.options, ...change };
    await this.opened;
    await this.queue?.setSetting('options', this.options);
    this.pump();
  }

  render() {
    const total = this.files.reduce((s, f) => s + f.size, 0);
    const sent = this.sentBytes();
    const active = this.files.filter((f) => f.state !== 'done' && f.state !== 'failed');
    const left = this.speed.rate > 0 ? (total - sent) / this.speed.rate : 0;
    return html`
      <div class="network ${this.online ? 'on' : 'off'}" role="status">
        ${this.online ? 'Online' : 'Offline — your images are safe on this device and will be sent when the network is back'}
      </div>
      <div class="pick" @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${this.drop}>
        <label class="button">Choose files<input type="file" multiple @change=${this.pick} data-pick="files" /></label>
        <label class="button">Choose a folder<input type="file" webkitdirectory @change=${this.pick} data-pick="folder" /></label>
        <label class="button">Take a photo<input type="file" accept="image/*" capture="environment" @change=${this.pick} data-pick="camera" /></label>
        <span class="hint">or drop files and folders here</span>
      </div>
      ${this.reading ? html`<p class="reading" role="status">Reading ${this.reading} file${this.reading > 1 ? 's' : ''}…</p>` : nothing}
      ${this.picked.length ? this.renderPicked() : nothing}
      ${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : nothing}
      ${this.ready ? html`<p class="ready" role="status">${this.ready}</p>` : nothing}
      ${this.files.length
        ? html`<div class="overall" aria-live="polite">
              <progress max=${total} .value=${sent}></progress>
              <span>${active.length ? `${formatBytes(sent)} of ${formatBytes(total)} (${total ? Math.floor((sent * 100) / total) : 0}%)` : 'Nothing left to send'}
                ${active.length && this.speed.rate > 0 ? html` · ${formatBytes(this.speed.rate)}/s · about ${formatDuration(left)} left` : nothing}</span>
            </div>
            <div class="studies">${queuedGroups(this.files).map((g) => this.renderQueued(g))}</div>
            <button class="secondary" @click=${this.clearFinished}>Clear finished</button>`
        : nothing}
      ${this.kiosk ? nothing : this.renderSendingOptions()}
    `;
  }

  private renderPicked() {
    const count = this.picked.length;
    return html`
      <div class="picked">
        ${groupByStudy(this.picked).map((g) => html`<div class="study picked-study" data-kind=${g.kind}>
            <span class="title">${groupTitle(g.study, g.kind)}</span>
            <span class="detail">${groupDetail(g)}</span>
          </div>`)}
      </div>
      ${this.picked.some((p) => p.kind === 'photo') ? this.renderPatientForm() : nothing}
      <label class="check deidentify"><input type="checkbox" data-option="deidentify" .checked=${this.deidentify}
          @change=${(e: Event) => (this.deidentify = (e.target as HTMLInputElement).checked)} />
        Remove patient details before sending (de-identify)</label>
      <button class="send" @click=${this.send}>Send ${count} file${count > 1 ? 's' : ''} (${formatBytes(this.picked.reduce((s, p) => s + p.file.size, 0))})</button>`;
  }

  private renderPatientForm() {
    const field = (key: keyof PatientDetails, label: string, type = 'text', required = false) => html`
      <label>${label}${required ? ' *' : ''}
        <input type=${type} data-patient=${key} .value=${this.patient[key] ?? ''} ?required=${required}
          autocomplete="off" @input=${(e: Event) => this.setPatient(key, e)} />
      </label>`;
    return html`<fieldset class="patient">
        <legend>Who do the photos show?</legend>
        ${field('name', 'Patient name (family, given)', 'text', true)}
        ${field('id', 'Patient ID', 'text', true)}
        ${field('birth_date', 'Birth date', 'date')}
        <label>Sex
          <select data-patient="sex" @change=${(e: Event) => this.setPatient('sex', e)}>
            ${[['', 'Not given'], ['F', 'Female'], ['M', 'Male'], ['O', 'Other']].map(([v, l]) =>
              html`<option value=${v} ?selected=${(this.patient.sex ?? '') === v}>${l}</option>`)}
          </select>
        </label>
        ${field('study_description', 'What the photos are of (e.g. wound, left leg)')}
      </fieldset>`;
  }

  private renderQueued(g: QueuedGroup) {
    const size = g.files.reduce((s, f) => s + f.size, 0);
    const sent = g.files.reduce((s, f) => s + f.sentBytes, 0);
    const state = studyState(g.files, this.online);
    const listed = listedFiles(g.files);
    const count = (...states: QueuedFile['state'][]) => g.files.filter((f) => states.includes(f.state)).length;
    // Counts for the whole study (the list below may be capped): what is waiting, sent whole, delivered.
    return html`<section class="study queued-study ${state.tone}" data-state=${state.tone} data-files=${g.files.length}
        data-waiting=${count('queued', 'paused')} data-sent=${count('processing', 'done')} data-done=${count('done')}>
        <span class="title">${groupTitle(g.files[0].study, g.kind)}</span>
        <progress max=${size} .value=${sent}></progress>
        <span class="state">${state.text}</span>
        <details>
          <summary>${g.files.length} file${g.files.length > 1 ? 's' : ''}, ${formatBytes(size)}: show each</summary>
          <ul class="files">
            ${listed.map((f) => html`<li class="file ${f.state}" data-state=${f.state}>
                <span class="name">${f.name}</span>
                <span class="state">${describe(f, this.online)}</span>
              </li>`)}
          </ul>
          ${listed.length < g.files.length ? html`<p class="more">…and ${g.files.length - listed.length} more files, counted above.</p>` : nothing}
        </details>
      </section>`;
  }

  private renderSendingOptions() {
    const caps = [0, 125_000, 250_000, 1_000_000]; // none, 1, 2 and 8 Mbit/s
    return html`<details class="options">
        <summary>Sending options</summary>
        ${this.network.knowsConnectionType
          ? html`<label class="check"><input type="checkbox" data-option="wifi" .checked=${this.options.wifiOnly}
                @change=${(e: Event) => this.setOptions({ wifiOnly: (e.target as HTMLInputElement).checked })} />
                Wait for Wi-Fi (do not use mobile data)</label>`
          : nothing}
        <label class="select">Use at most
          <select data-option="cap" @change=${(e: Event) => this.setOptions({ capBytesPerSecond: Number((e.target as HTMLSelectElement).value) })}>
            ${caps.map((c) => html`<option value=${c} ?selected=${c === this.options.capBytesPerSecond}>${c ? `${(c * 8) / 1_000_000} Mbit/s` : 'all the bandwidth'}</option>`)}
          </select>
        </label>
      </details>`;
  }

  static styles = css`
    :host([kiosk]) { font-size: 1.35rem; }
    :host([kiosk]) .pick .button, :host([kiosk]) button { min-height: 88px; font-size: 1.5rem; padding: 0 2rem; }
    :host([kiosk]) .pick { gap: 1.25rem; }
    :host { display: block; font-size: 1.05rem; }
    .network { padding: 0.5rem 0.75rem; border-radius: 8px; margin-bottom: 0.75rem; font-weight: 600; }
    .network.on { background: #e6f4ea; color: #0d5c2e; }
    .network.off { background: #fdecea; color: #8a1c12; }
    .pick { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; padding: 0.5rem; border: 2px dashed #c3ccd6; border-radius: 10px; }
    .hint { color: #56606b; }
    .button, button, select { display: inline-flex; align-items: center; justify-content: center; min-height: 48px; min-width: 48px;
      padding: 0 1.25rem; border-radius: 8px; border: 2px solid #0b5cad; color: #0b5cad; background: #fff;
      font-size: 1.05rem; font-weight: 600; cursor: pointer; }
    .button input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    button.send { margin-top: 0.75rem; width: 100%; min-height: 56px; background: #0b5cad; color: #fff; font-size: 1.2rem; }
    .notice { color: #8a1c12; font-weight: 600; }
    .ready { color: #0b6b2f; font-weight: 700; font-size: 1.4em; }
    .picked, .studies { display: grid; gap: 0.5rem; margin-top: 0.75rem; }
    .study { display: grid; gap: 0.25rem; padding: 0.75rem; border-radius: 10px; background: #f4f6f8; }
    .study .title { font-weight: 700; overflow-wrap: anywhere; }
    .study .detail { color: #3d4650; }
    .study.done .state { color: #0d5c2e; font-weight: 600; }
    .study.failed .state { color: #8a1c12; font-weight: 600; }
    .overall { margin: 1rem 0 0.5rem; display: grid; gap: 0.25rem; }
    progress { width: 100%; height: 12px; }
    summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; color: #0b5cad; font-weight: 600; }
    summary::-webkit-details-marker { display: none; }
    summary::before { content: '▸'; width: 1.25rem; }
    details[open] > summary::before { content: '▾'; }
    .files { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.25rem; }
    .more { color: #3d4650; margin: 0.25rem 0 0; }
    .file { display: grid; gap: 0.1rem; padding: 0.25rem 0; border-top: 1px solid #dde3e9; }
    .file .name { overflow-wrap: anywhere; }
    .file.failed .state { color: #8a1c12; }
    button.secondary { margin-top: 0.75rem; }
    .patient { display: grid; gap: 0.5rem; margin-top: 0.75rem; border: 2px solid #c3ccd6; border-radius: 10px; padding: 0.75rem; }
    .patient legend { font-weight: 700; padding: 0 0.25rem; }
    .patient label { display: grid; gap: 0.2rem; font-weight: 600; }
    .patient input, .patient select { min-height: 48px; font-size: 1.05rem; padding: 0 0.75rem; border: 2px solid #8a96a3;
      border-radius: 8px; color: #1b1f24; justify-content: flex-start; }
    .options { margin-top: 1rem; }
    label.check { display: flex; gap: 0.75rem; align-items: center; min-height: 48px; }
    label.check input { width: 28px; height: 28px; }
    .options label { display: flex; gap: 0.75rem; align-items: center; min-height: 48px; }
    .options input[type=checkbox] { width: 28px; height: 28px; }
  `;
}

interface QueuedGroup {
  kind: 'dicom' | 'photo' | 'other';
  files: QueuedFile[];
}

/** Queued files by study (the DICOM header's Study Instance UID), else by batch and kind, in the order queued. */
function queuedGroups(files: QueuedFile[]): QueuedGroup[] {
  const groups = new Map<string, QueuedGroup>();
  for (const f of files) {
    const kind = f.study ? 'dicom' : f.type.startsWith('image/') ? 'photo' : 'other';
    const key = f.study?.studyUid ?? `${f.batchId}:${kind}`;
    const group = groups.get(key) ?? { kind, files: [] };
    group.files.push(f);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function groupTitle(study: QueuedFile['study'], kind: string): string {
  if (study) {
    const who = [formatName(study.patientName), study.patientId && `ID ${study.patientId}`].filter(Boolean).join(' · ');
    const what = [formatDate(study.studyDate), study.description].filter(Boolean).join(' · ');
    return [who || 'Unnamed patient', what].filter(Boolean).join(' — ');
  }
  return kind === 'photo' ? 'Photos' : kind === 'dicom' ? 'Medical images (details are read on the server)' : 'Other files';
}

function groupDetail(g: StudyGroup): string {
  const files = `${g.files.length} file${g.files.length > 1 ? 's' : ''}, ${formatBytes(g.bytes)}`;
  if (g.kind === 'dicom') {
    return [g.modalities.join(', '), files].filter(Boolean).join(' · ');
  }
  return g.kind === 'photo' ? `${files} · will be turned into DICOM on the server`
    : `${files} · not recognised as medical images here; the server will check them`;
}

/** A study's file list shows at most this many rows: a 2,000-slice CT redrawn five times a second would stall the page. */
export const MAX_LISTED = 100;

/** The files a study lists: all of a small study; of a large one the failed first, then in order, up to MAX_LISTED. */
export function listedFiles(files: QueuedFile[]): QueuedFile[] {
  if (files.length <= MAX_LISTED) {
    return files;
  }
  return [...files.filter((f) => f.state === 'failed'), ...files.filter((f) => f.state !== 'failed')].slice(0, MAX_LISTED);
}

/** One plain sentence for a study, and its tone. */
export function studyState(files: QueuedFile[], online: boolean): { tone: string; text: string } {
  const count = (pred: (f: QueuedFile) => boolean) => files.filter(pred).length;
  const failed = files.filter((f) => f.state === 'failed');
  const skipped = count((f) => f.state === 'done' && (f.skipped ?? 0) > 0);
  const unfinished = count((f) => f.state !== 'done' && f.state !== 'failed');
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (unfinished === 0) {
    const parts: string[] = [];
    if (files.length - failed.length - skipped > 0) parts.push('Delivered to the PACS');
    const saved = compressedInTransit(files);
    if (saved) parts.push(saved);
    if (skipped) parts.push(`${plural(skipped, 'file is not a medical image and was', 'files are not medical images and were')} skipped`);
    if (failed.length) parts.push(`${plural(failed.length, 'file was', 'files were')} not delivered: ${failed[0].message ?? 'unknown reason'}`);
    return { tone: failed.length ? 'failed' : 'done', text: parts.join('. ') };
  }
  if (!online) {
    return { tone: 'waiting', text: 'Waiting for network' };
  }
  const paused = files.find((f) => f.state === 'paused');
  if (paused?.message) {
    return { tone: 'waiting', text: paused.message };
  }
  if (files.every((f) => f.state === 'processing' || f.state === 'done' || f.state === 'failed')) {
    return { tone: 'active', text: 'Received, checking and delivering to the PACS' };
  }
  const size = files.reduce((s, f) => s + f.size, 0);
  const sent = files.reduce((s, f) => s + f.sentBytes, 0);
  const saved = compressedInTransit(files);
  return { tone: 'active', text: `Sending: ${formatBytes(sent)} of ${formatBytes(size)} (${size ? Math.floor((sent * 100) / size) : 0}%)${saved ? ` · ${saved}` : ''}` };
}

/** "Sent 38.0 MB for 100.0 MB of images (compressed in transit)", when compression saved something worth saying. */
export function compressedInTransit(files: QueuedFile[]): string | undefined {
  const plain = files.reduce((s, f) => s + f.sentBytes, 0);
  const wire = files.reduce((s, f) => s + (f.wireBytes ?? f.sentBytes), 0);
  return plain > 0 && wire < plain * 0.95 ? `Sent ${formatBytes(wire)} for ${formatBytes(plain)} of images (compressed in transit)` : undefined;
}

function describe(f: QueuedFile, online: boolean): string {
  switch (f.state) {
    case 'adding': return 'Being copied to this device';
    case 'queued': return online ? 'Waiting to be sent' : 'Waiting for network';
    case 'sending': return `Sending: ${f.size ? Math.floor((f.sentBytes * 100) / f.size) : 0}%`;
    case 'processing': return 'Received, checking and delivering to the PACS';
    case 'paused': return online ? f.message ?? 'Waiting to be sent' : 'Waiting for network';
    case 'done': return f.message ?? 'Delivered to the PACS';
    case 'failed': return `Not delivered: ${f.message ?? 'unknown reason'}`;
  }
}

/** Every file in a dropped folder, recursively. */
async function filesOf(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    return [await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const all: File[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) {
      return all;
    }
    for (const child of batch) {
      all.push(...(await filesOf(child)));
    }
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
