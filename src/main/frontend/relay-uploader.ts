import { LitElement, html, nothing } from 'lit';
import { groupByStudy, readPicked, studyToJoin, type PickedFile } from './dicom-preview';
import { filesOf } from './folder-reader';
import { SendController, type SendingHost } from './send-controller';
import {
  describe, formatBytes, formatDuration, groupDetail, groupTitle, listedFiles, queuedGroups, studyState, type QueuedGroup,
} from './study-summary';
import { canInstall, install, onInstallChange } from './install-prompt';
import { findStudies, foundTitle, type FoundStudy } from './study-lookup';
import { uploaderStyles } from './uploader-styles';
import type { PatientDetails, QueuedFile, SendingOptions, StudySummary } from './upload-queue';
import { STORED_LANGUAGE, setLanguage, t, tn, type MessageKey } from './i18n';

/** Where this device remembers that the first-run help was dismissed (it names nobody). */
const HELP_DISMISSED = 'relaypacs-help-dismissed';

/** How long a settled study's sentence stays for screen readers before it is taken out of the page. */
const ANNOUNCE_MS = 10_000;

/** How long a kiosk shows the delivered study before clearing it for the next patient. */
export const KIOSK_RESET_MS = 8000;

/**
 * <relay-uploader>: pick files, a folder, drop them, or take a photo; see them grouped by study; one button sends
 * them. Everything picked is queued (encrypted) in IndexedDB first, so sending resumes by itself after a lost
 * network, a reload or a closed browser, and from the service worker where the browser has Background Sync. The
 * send loop is a {@link SendController}; what studies say is in study-summary.ts.
 * Properties: token (an upload-only API token from the Java view; the queue shown and sent is the one of the user it
 * stands for), maxAgeHours (how long files may wait on a device).
 */
export class RelayUploader extends LitElement implements SendingHost {
  static properties = {
    token: { type: String },
    language: { type: String },
    maxAgeHours: { type: Number },
    who: { type: String },
    offlineUntil: { type: Number },
    offlineStart: { type: Boolean },
    kiosk: { type: Boolean, reflect: true },
    batch: { type: String },
    presetPatientName: { type: String },
    presetPatientId: { type: String },
    picked: { state: true },
    reading: { state: true },
    ready: { state: true },
    patient: { state: true },
    deidentify: { state: true },
    newStudyForAttachments: { state: true },
    found: { state: true },
    helpDismissed: { state: true },
    installable: { state: true },
    lookup: { state: true },
    announced: { state: true },
  };

  static styles = uploaderStyles;

  token = '';
  /** The language the app speaks to this user ("fr"), remembered on the device for an offline start. */
  language = '';
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
  /** A fixed batch for everything picked (a QR pairing); empty: a new batch per pick. */
  batch = '';
  /** Patient details typed elsewhere (the computer of a QR pairing), put back in the form after each send. */
  presetPatientName = '';
  presetPatientId = '';
  picked: PickedFile[] = [];
  reading = 0;
  /** Who the picked photos show (a photo carries no patient data of its own). */
  patient: PatientDetails = { name: '', id: '' };
  /** The three-step help shown until dismissed on this device. */
  helpDismissed = localStorage.getItem(HELP_DISMISSED) === 'yes';
  /** The browser offers to install the app. */
  installable = canInstall();
  private stopInstallWatch?: () => void;

  /** Studies of the patient found on the clinic's PACS, and the one picked for the photos and documents to join. */
  found: FoundStudy[] = [];
  lookup: { message?: string; busy?: boolean; picked?: FoundStudy } = {};
  /** Photos and documents picked with one DICOM study go as a study of their own all the same. */
  newStudyForAttachments = false;
  /** Remove patient details from what is picked before the PACS gets it (PS3.15 Basic profile, on the server). */
  deidentify = false;

  private readonly sending = new SendController(this);
  private resetTimer?: number;

  /** Settles once the queue is open (or could not be, for want of a usable token). */
  get opened(): Promise<void> {
    return this.sending.opened;
  }

  get picking(): boolean {
    return this.picked.length > 0 || this.reading > 0;
  }

  /** What a screen reader was last told: a study that settled, in one sentence (progress itself is not read out). */
  announced = '';
  /** Studies seen on their way here: each is announced once when it settles (not those already settled on opening). */
  private underway = new Set<string>();
  private announceTimer?: number;

  /** A study that settles is announced; on a kiosk, it is cleared for the next patient. */
  filesChanged() {
    for (const g of queuedGroups(this.sending.files)) {
      const state = studyState(g.files, this.sending.online);
      const key = g.files[0].id;
      if (state.tone !== 'done' && state.tone !== 'failed') {
        this.underway.add(key);
      } else if (this.underway.delete(key)) {
        this.announced = `${groupTitle(g.files[0].study, g.kind)}: ${state.text}`;
        // it names a patient: not left in the page once read out (a shared device, the next patient)
        window.clearTimeout(this.announceTimer);
        this.announceTimer = window.setTimeout(() => (this.announced = ''), ANNOUNCE_MS);
      }
    }
    if (this.kiosk) {
      this.scheduleKioskReset();
    }
  }

  connectedCallback() {
    super.connectedCallback();
    this.stopInstallWatch = onInstallChange(() => (this.installable = canInstall()));
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.stopInstallWatch?.();
  }

  private dismissHelp() {
    localStorage.setItem(HELP_DISMISSED, 'yes');
    this.helpDismissed = true;
  }

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('language') && this.language) {
      setLanguage(this.language);
      localStorage.setItem(STORED_LANGUAGE, this.language);
    }
    if ((changed.has('presetPatientName') || changed.has('presetPatientId')) && !this.patient.name && !this.patient.id) {
      this.patient = { name: this.presetPatientName, id: this.presetPatientId };
    }
  }

  updated(changed: Map<string, unknown>) {
    if (changed.has('token') && changed.get('token') !== undefined) {
      void this.sending.takeToken();
    }
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
    if (!this.sending.ready || this.picked.length === 0) {
      return;
    }
    const attachments = this.picked.some((p) => p.kind === 'photo' || p.kind === 'document');
    const joining = this.joining;
    if (attachments && !joining && (!this.patient.name.trim() || !this.patient.id.trim())) {
      this.sending.notice = t('patient.required');
      return;
    }
    const bytes = this.picked.reduce((s, p) => s + p.file.size, 0);
    const estimate = await navigator.storage?.estimate?.();
    if (estimate?.quota && estimate.usage !== undefined && estimate.quota - estimate.usage < bytes * 1.1) {
      this.sending.notice = t('storage.full', formatBytes(bytes));
      return;
    }
    await navigator.storage?.persist?.();
    this.sending.notice = '';
    const picked = this.picked;
    this.picked = [];
    const facts = new Map(picked.map((p) => [p.file, { study: p.study, samples: p.samples }]));
    // Sending starts with the first file queued; the rest are copied in meanwhile.
    const added = await this.sending.enqueue(picked.map((p) => p.file), this.batch || crypto.randomUUID(),
      (f) => facts.get(f), !attachments ? undefined : joining ? joinedStudy(joining) : this.patientForFoundStudy(), this.deidentify);
    this.patient = { name: this.presetPatientName, id: this.presetPatientId };
    this.deidentify = false;
    this.newStudyForAttachments = false;
    this.found = [];
    this.lookup = {};
    const empty = picked.length - added;
    if (empty > 0) {
      this.sending.notice = tn('empty', empty);
    }
  }

  /** The DICOM study the picked photos and documents join, unless the user asked for a new study. */
  get joining(): StudySummary | undefined {
    return this.newStudyForAttachments ? undefined : studyToJoin(this.picked);
  }

  /** The details entered, and the study found on the PACS when one was picked: the photos then join it. */
  private patientForFoundStudy(): PatientDetails {
    const picked = this.lookup.picked;
    return picked ? { ...this.patientForDicom(), study_instance_uid: picked.study_instance_uid, study_date: picked.study_date || undefined }
      : this.patientForDicom();
  }

  private async lookUp() {
    if (!this.patient.id.trim()) {
      this.lookup = { message: t('lookup.needId') };
      return;
    }
    this.lookup = { busy: true };
    try {
      const answer = await findStudies(this.token, { patientId: this.patient.id.trim() });
      this.found = answer.studies;
      this.lookup = { message: answer.unavailable ?? (answer.studies.length ? undefined
        : t('lookup.none')) };
    } catch (e) {
      this.found = [];
      this.lookup = { message: (e as Error).message };
    }
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
    const files = this.sending.files;
    const settled = files.length > 0 && files.every((f) => f.state === 'done' || f.state === 'failed');
    window.clearTimeout(this.resetTimer);
    if (!settled) {
      return;
    }
    const failed = files.filter((f) => f.state === 'failed').length;
    this.resetTimer = window.setTimeout(async () => {
      await this.clearFinished();
      this.ready = failed ? tn('kiosk.failed', failed) : t('kiosk.delivered');
    }, this.kioskResetMs);
  }

  async clearFinished() {
    this.announced = '';
    await this.sending.clearFinished();
  }

  private setOptions(change: Partial<SendingOptions>) {
    void this.sending.setOptions(change);
  }

  render() {
    const { files, online, notice, rate } = this.sending;
    const total = files.reduce((s, f) => s + f.size, 0);
    const sent = this.sending.sentBytes;
    const active = files.filter((f) => f.state !== 'done' && f.state !== 'failed');
    const left = this.sending.secondsLeft;
    return html`
      ${this.kiosk || this.helpDismissed ? nothing : html`<section class="help" aria-labelledby="help-title">
          <h2 id="help-title">${t('help.title')}</h2>
          <ol>
            <li><strong>${t('help.choose.lead')}</strong> ${t('help.choose')}</li>
            <li><strong>${t('help.check.lead')}</strong> ${t('help.check')}</li>
            <li><strong>${t('help.done.lead')}</strong> ${t('help.done')}</li>
          </ol>
          <button class="secondary dismiss-help" @click=${this.dismissHelp}>${t('help.dismiss')}</button>
        </section>`}
      ${this.installable && !this.kiosk ? html`<button class="secondary install" @click=${() => install()}>${t('install')}</button>` : nothing}
      <div class="network ${online ? 'on' : 'off'}" role="status">
        ${online ? t('network.online') : t('network.offline')}
      </div>
      <div class="pick" @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${this.drop}>
        <label class="button">${t('pick.files')}<input type="file" multiple @change=${this.pick} data-pick="files" /></label>
        <label class="button">${t('pick.folder')}<input type="file" webkitdirectory @change=${this.pick} data-pick="folder" /></label>
        <label class="button">${t('pick.camera')}<input type="file" accept="image/*" capture="environment" @change=${this.pick} data-pick="camera" /></label>
        <span class="hint">${t('pick.drop')}</span>
      </div>
      ${this.reading ? html`<p class="reading" role="status">${tn('reading', this.reading)}</p>` : nothing}
      ${this.picked.length ? this.renderPicked() : nothing}
      ${notice ? html`<p class="notice" role="alert">${notice}</p>` : nothing}
      ${this.ready ? html`<p class="ready" role="status">${this.ready}</p>` : nothing}
      <p class="announce" role="status" aria-live="polite">${this.announced}</p>
      ${files.length
        ? html`<div class="overall" aria-live="polite">
              <progress max=${total} .value=${sent}></progress>
              <span>${active.length ? t('progress.sent', formatBytes(sent), formatBytes(total), total ? Math.floor((sent * 100) / total) : 0) : t('progress.nothingLeft')}
                ${active.length && rate > 0 ? t('progress.rate', formatBytes(rate), formatDuration(left)) : nothing}</span>
            </div>
            <div class="studies">${queuedGroups(files).map((g) => this.renderQueued(g))}</div>
            <button class="secondary clear-finished" @click=${this.clearFinished}>${t('clearFinished')}</button>`
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
      ${this.renderAttachments()}
      <label class="check deidentify"><input type="checkbox" data-option="deidentify" .checked=${this.deidentify}
          @change=${(e: Event) => (this.deidentify = (e.target as HTMLInputElement).checked)} />
        ${t('deidentify')}</label>
      <button class="send" @click=${this.send}>${tn('send', count, formatBytes(this.picked.reduce((s, p) => s + p.file.size, 0)))}</button>`;
  }

  /** Photos and documents join the DICOM study picked with them (said before sending), or need the patient's details. */
  private renderAttachments() {
    if (!this.picked.some((p) => p.kind === 'photo' || p.kind === 'document')) {
      return nothing;
    }
    const study = studyToJoin(this.picked);
    const choice = study ? html`<label class="check new-study"><input type="checkbox" data-option="new-study"
          .checked=${this.newStudyForAttachments}
          @change=${(e: Event) => (this.newStudyForAttachments = (e.target as HTMLInputElement).checked)} />
        ${t('attach.newStudy')}</label>` : nothing;
    return study && !this.newStudyForAttachments
      ? html`<p class="joins" role="status">${t('attach.joins')} <strong>${groupTitle(study, 'dicom')}</strong></p>${choice}`
      : html`${this.renderPatientForm()}${choice}`;
  }

  private renderPatientForm() {
    const field = (key: keyof PatientDetails, label: MessageKey, type = 'text', required = false) => html`
      <label>${t(label)}${required ? ' *' : ''}
        <input type=${type} data-patient=${key} .value=${this.patient[key] ?? ''} ?required=${required}
          autocomplete="off" @input=${(e: Event) => this.setPatient(key, e)} />
      </label>`;
    return html`<fieldset class="patient">
        <legend>${t('patient.legend')}</legend>
        ${field('name', 'patient.name', 'text', true)}
        ${field('id', 'patient.id', 'text', true)}
        ${field('birth_date', 'patient.birthDate', 'date')}
        <label>${t('patient.sex')}
          <select data-patient="sex" @change=${(e: Event) => this.setPatient('sex', e)}>
            ${(['', 'F', 'M', 'O'] as const).map((v) =>
              html`<option value=${v} ?selected=${(this.patient.sex ?? '') === v}>${t(v ? `patient.sex.${v}` : 'patient.sex.none')}</option>`)}
          </select>
        </label>
        ${field('study_description', 'patient.description')}
        ${this.renderLookup()}
      </fieldset>`;
  }

  /** Finding the patient's study on the PACS, for the photos and documents to join; else they make a new study. */
  private renderLookup() {
    const picked = this.lookup.picked;
    if (picked) {
      return html`<p class="joins" role="status">${t('lookup.joins', foundTitle(picked))}</p>
        <button class="secondary" @click=${() => (this.lookup = {})}>${t('lookup.newStudy')}</button>`;
    }
    return html`<button class="secondary find-study" ?disabled=${this.lookup.busy} @click=${this.lookUp}>
        ${t('lookup.find')}</button>
      ${this.lookup.message ? html`<p class="notice" role="status">${this.lookup.message}</p>` : nothing}
      ${this.found.length ? html`<ul class="found" aria-label=${t('lookup.found')}>${this.found.map((s) => html`<li>
          <button class="secondary join-study" @click=${() => (this.lookup = { picked: s })}>${t('lookup.join', foundTitle(s))}</button>
        </li>`)}</ul>` : nothing}`;
  }

  private renderQueued(g: QueuedGroup) {
    const size = g.files.reduce((s, f) => s + f.size, 0);
    const sent = g.files.reduce((s, f) => s + f.sentBytes, 0);
    const state = studyState(g.files, this.sending.online);
    const listed = listedFiles(g.files);
    const count = (...states: QueuedFile['state'][]) => g.files.filter((f) => states.includes(f.state)).length;
    // Counts for the whole study (the list below may be capped): what is waiting, sent whole, delivered.
    return html`<section class="study queued-study ${state.tone}" data-state=${state.tone} data-files=${g.files.length}
        data-waiting=${count('queued', 'paused')} data-sent=${count('processing', 'done')} data-done=${count('done')}>
        <span class="title">${groupTitle(g.files[0].study, g.kind)}</span>
        <progress max=${size} .value=${sent}></progress>
        <span class="state">${state.text}</span>
        <details>
          <summary>${tn('files.summary', g.files.length, formatBytes(size))}</summary>
          <ul class="files">
            ${listed.map((f) => html`<li class="file ${f.state}" data-state=${f.state}>
                <span class="name">${f.name}</span>
                <span class="state">${describe(f, this.sending.online)}</span>
              </li>`)}
          </ul>
          ${listed.length < g.files.length ? html`<p class="more">${t('files.more', g.files.length - listed.length)}</p>` : nothing}
        </details>
      </section>`;
  }

  private renderSendingOptions() {
    const caps = [0, 125_000, 250_000, 1_000_000]; // none, 1, 2 and 8 Mbit/s
    return html`<details class="options">
        <summary>${t('options.title')}</summary>
        ${this.sending.knowsConnectionType
          ? html`<label class="check"><input type="checkbox" data-option="wifi" .checked=${this.sending.options.wifiOnly}
                @change=${(e: Event) => this.setOptions({ wifiOnly: (e.target as HTMLInputElement).checked })} />
                ${t('options.wifi')}</label>`
          : nothing}
        <label class="select">${t('options.cap')}
          <select data-option="cap" @change=${(e: Event) => this.setOptions({ capBytesPerSecond: Number((e.target as HTMLSelectElement).value) })}>
            ${caps.map((c) => html`<option value=${c} ?selected=${c === this.sending.options.capBytesPerSecond}>${c ? t('options.cap.mbit', (c * 8) / 1_000_000) : t('options.cap.all')}</option>`)}
          </select>
        </label>
      </details>`;
  }
}

/** Photos and documents joining a DICOM study carry its patient and study as the header says them. */
function joinedStudy(study: StudySummary): PatientDetails {
  return {
    name: study.patientName, id: study.patientId, study_instance_uid: study.studyUid,
    study_date: study.studyDate || undefined, accession_number: study.accession, study_description: study.description || undefined,
  };
}

customElements.define('relay-uploader', RelayUploader);
