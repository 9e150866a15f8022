// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer, tokenFor } from './fake-server';
import { freshDevice, settle } from './fresh-device';
import { UploadQueue, ownerOf } from '../../main/frontend/upload-queue';
import '../../main/frontend/relay-uploader';
import type { RelayUploader } from '../../main/frontend/relay-uploader';
import { MAX_LISTED, compressedInTransit, formatBytes, formatDuration, listedFiles } from '../../main/frontend/study-summary';

function text(el: RelayUploader): string {
  return el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
}

describe('<relay-uploader>', () => {
  let server: FakeServer;
  let el: RelayUploader;

  beforeEach(async () => {
    // Each test starts with an empty queue, as on a fresh device.
    server = await freshDevice();
    el = document.createElement('relay-uploader') as RelayUploader;
    el.token = tokenFor(1);
    document.body.append(el);
    await settle(el, () => !!el.shadowRoot?.querySelector('.pick'));
  });

  afterEach(() => {
    el.remove();
    vi.unstubAllGlobals();
  });

  it('shows three steps of help until they are dismissed on this device, and never on a kiosk', async () => {
    expect(el.shadowRoot!.querySelectorAll('.help li')).toHaveLength(3);
    (el.shadowRoot!.querySelector('button.dismiss-help') as HTMLButtonElement).click();
    await settle(el, () => !el.shadowRoot!.querySelector('.help'));
    const again = document.createElement('relay-uploader') as RelayUploader;
    again.token = tokenFor(1);
    document.body.append(again);
    await settle(again, () => !!again.shadowRoot?.querySelector('.pick'));
    expect(again.shadowRoot!.querySelector('.help')).toBeNull();
    again.remove();
    localStorage.removeItem('relaypacs-help-dismissed');
  });

  it('offers to install the app when the browser does, and hands the choice to the browser', async () => {
    expect(el.shadowRoot!.querySelector('button.install')).toBeNull();
    const prompt = vi.fn(async () => undefined);
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }),
      { prompt, userChoice: Promise.resolve({ outcome: 'accepted' as const }) });
    window.dispatchEvent(offer);
    expect(offer.defaultPrevented).toBe(true);
    await settle(el, () => !!el.shadowRoot!.querySelector('button.install'));
    (el.shadowRoot!.querySelector('button.install') as HTMLButtonElement).click();
    await settle(el, () => !el.shadowRoot!.querySelector('button.install'));
    expect(prompt).toHaveBeenCalledOnce();
  });

  it('offers files, a folder and the camera with large targets', () => {
    const inputs = [...el.shadowRoot!.querySelectorAll('input[type=file]')].map((i) => i.getAttribute('data-pick'));
    expect(inputs).toEqual(['files', 'folder', 'camera']);
    expect(el.shadowRoot!.querySelector('input[data-pick=camera]')!.getAttribute('capture')).toBe('environment');
    expect(text(el)).toContain('Online');
  });

  it('sends what was picked with one action and says when it is delivered', async () => {
    const files = [new File([new Uint8Array(3000)], 'a.dcm'), new File([new Uint8Array(10)], 'b.dcm')];
    const input = el.shadowRoot!.querySelector('input[data-pick=files]') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: files, configurable: true });
    input.dispatchEvent(new Event('change'));
    await settle(el, () => !!el.shadowRoot!.querySelector('button.send'));
    const send = el.shadowRoot!.querySelector('button.send') as HTMLButtonElement;
    expect(send.textContent).toContain('Send 2 files');
    send.click();
    await settle(el, () => el.shadowRoot!.querySelectorAll('li.file[data-state=done]').length === 2);
    expect(text(el)).toContain('Delivered to the PACS');
    expect(text(el)).toContain('Nothing left to send');
    // a screen reader is told once, when the study settles
    await settle(el, () => !!el.shadowRoot!.querySelector('.announce')?.textContent?.trim());
    expect(el.shadowRoot!.querySelector('.announce[aria-live=polite]')!.textContent).toMatch(/: Delivered to the PACS/);
    (el.shadowRoot!.querySelector('button.clear-finished') as HTMLButtonElement).click();
    await settle(el, () => el.shadowRoot!.querySelectorAll('li.file').length === 0);
    expect(el.shadowRoot!.querySelectorAll('li.file')).toHaveLength(0);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.announce')!.textContent!.trim(), 'nothing of the study is left').toBe('');
  });

  it('on a kiosk, clears a delivered study for the next patient and hides the sending options', async () => {
    el.kiosk = true;
    el.kioskResetMs = 50;
    await el.updateComplete;
    expect(el.hasAttribute('kiosk')).toBe(true);
    expect(text(el)).not.toContain('Sending options');
    pickFiles([new File([new Uint8Array(2000)], 'patient-a.dcm')]);
    await settle(el, () => !!el.shadowRoot!.querySelector('button.send'));
    (el.shadowRoot!.querySelector('button.send') as HTMLButtonElement).click();
    await settle(el, () => text(el).includes("Ready for the next patient"));
    expect(text(el)).toContain('Delivered. Ready for the next patient.');
    expect(text(el)).not.toContain('patient-a.dcm');
    expect(el.shadowRoot!.querySelectorAll('li.file')).toHaveLength(0);
  });

  function pickFiles(files: File[]) {
    const input = el.shadowRoot!.querySelector('input[data-pick=files]') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: files, configurable: true });
    input.dispatchEvent(new Event('change'));
  }

  it('shows picked DICOM files by study, with patient and modality, before sending', async () => {
    const ct = readFileSync('/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm');
    pickFiles([new File([ct], 'a.dcm'), new File([ct], 'b.dcm'), new File(['notes'], 'notes.txt')]);
    await settle(el, () => el.shadowRoot!.querySelectorAll('.picked-study').length === 2);
    const groups = [...el.shadowRoot!.querySelectorAll('.picked-study')].map((g) => g.textContent!.replace(/\s+/g, ' ').trim());
    expect(groups[0]).toContain('CompressedSamples, CT1 · ID 1CT1 — 2004-01-19');
    expect(groups[0]).toContain('CT · 2 files');
    expect(groups[1]).toContain('Other files');
    expect(el.shadowRoot!.querySelector('fieldset.patient')).toBeNull();
  });

  it('asks who the photos show and sends that with them', async () => {
    const jpeg = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3, 4])], 'wound.jpg', { type: 'image/jpeg' });
    pickFiles([jpeg]);
    await settle(el, () => !!el.shadowRoot!.querySelector('fieldset.patient'));
    (el.shadowRoot!.querySelector('button.send') as HTMLButtonElement).click();
    await settle(el, () => text(el).includes('Enter the patient'));
    expect(server.inits).toHaveLength(0);
    const type = (key: string, value: string) => {
      const input = el.shadowRoot!.querySelector(`[data-patient=${key}]`) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input'));
    };
    type('name', 'Doe, Jane');
    type('id', 'RP-1');
    type('sex', 'F');
    const deidentify = el.shadowRoot!.querySelector('input[data-option=deidentify]') as HTMLInputElement;
    deidentify.checked = true;
    deidentify.dispatchEvent(new Event('change'));
    (el.shadowRoot!.querySelector('button.send') as HTMLButtonElement).click();
    await settle(el, () => server.inits.length === 1);
    expect(server.inits[0].patient).toEqual({ name: 'Doe^Jane', id: 'RP-1', sex: 'F' });
    expect(server.inits[0].deidentify).toBe(true);
  });

  it('lets photos and a PDF picked with one CT study join it, said before sending, or go as a new study', async () => {
    const ct = readFileSync('/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm');
    const jpeg = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3, 4])], 'wound.jpg', { type: 'image/jpeg' });
    const pdf = new File(['%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n'], 'Referral.pdf', { type: 'application/pdf' });
    pickFiles([new File([ct], 'ct.dcm'), jpeg, pdf]);
    await settle(el, () => !!el.shadowRoot!.querySelector('.joins'));
    expect(text(el)).toContain('The photos and documents join this study: CompressedSamples, CT1 · ID 1CT1 — 2004-01-19');
    expect(text(el)).toContain('Documents (PDF)');
    expect(el.shadowRoot!.querySelector('fieldset.patient')).toBeNull();
    const newStudy = el.shadowRoot!.querySelector('input[data-option=new-study]') as HTMLInputElement;
    newStudy.checked = true;
    newStudy.dispatchEvent(new Event('change'));
    await settle(el, () => !!el.shadowRoot!.querySelector('fieldset.patient'));
    newStudy.checked = false;
    newStudy.dispatchEvent(new Event('change'));
    await settle(el, () => !el.shadowRoot!.querySelector('fieldset.patient'));
    (el.shadowRoot!.querySelector('button.send') as HTMLButtonElement).click();
    await settle(el, () => server.inits.length === 3);
    const joined = server.inits.filter((i) => i.patient).map((i) => i.patient);
    expect(joined).toHaveLength(3); // the batch's details go with each file; the server uses them for photos and documents
    expect(joined[0]).toEqual({ name: 'CompressedSamples^CT1', id: '1CT1', study_instance_uid: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
      study_date: '20040119', accession_number: undefined, study_description: 'e+1' });
  });

  it('finds the patient\'s study on the PACS by exact ID and sends the photos into it', async () => {
    server.studiesOnThePacs = [{ study_instance_uid: '1.2.3.4', study_date: '20241103', description: 'Chest', modalities: ['CT'] }];
    pickFiles([new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3, 4])], 'wound.jpg', { type: 'image/jpeg' })]);
    await settle(el, () => !!el.shadowRoot!.querySelector('button.find-study'));
    (el.shadowRoot!.querySelector('button.find-study') as HTMLButtonElement).click();
    await settle(el, () => text(el).includes('Enter the patient ID first'));
    const type = (key: string, value: string) => {
      const input = el.shadowRoot!.querySelector(`[data-patient=${key}]`) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    type('name', 'Doe, Jane');
    type('id', 'RP-9');
    (el.shadowRoot!.querySelector('button.find-study') as HTMLButtonElement).click();
    await settle(el, () => !!el.shadowRoot!.querySelector('button.join-study'));
    expect(server.lookups).toEqual([{ patient_id: 'RP-9' }]);
    const join = el.shadowRoot!.querySelector('button.join-study') as HTMLButtonElement;
    expect(join.textContent).toContain('Join: 2024-11-03 · CT · Chest');
    join.click();
    await settle(el, () => text(el).includes('They join the study of 2024-11-03 · CT · Chest on the PACS.'));
    (el.shadowRoot!.querySelector('button.send') as HTMLButtonElement).click();
    await settle(el, () => server.inits.length === 1);
    expect(server.inits[0].patient).toEqual({ name: 'Doe^Jane', id: 'RP-9', study_instance_uid: '1.2.3.4', study_date: '20241103' });
  });

  it('keeps the queue and asks for a new sign-in when the token has expired', async () => {
    server.failNext = 401;
    pickFiles([new File([new Uint8Array(100)], 'a.dcm')]);
    await settle(el, () => !!el.shadowRoot!.querySelector('button.send'));
    (el.shadowRoot!.querySelector('button.send') as HTMLButtonElement).click();
    await settle(el, () => el.shadowRoot!.querySelector('li.file')?.getAttribute('data-state') === 'paused');
    expect(text(el)).toContain('Please sign in again');
    expect(el.shadowRoot!.querySelector('li.file')!.getAttribute('data-state')).toBe('paused');
    el.token = tokenFor(1, 'fresh');
    await settle(el, () => el.shadowRoot!.querySelector('li.file')?.getAttribute('data-state') === 'done');
    expect(text(el)).not.toContain('Please sign in again');
  });

  it('on a shared browser, the next user neither sees nor sends the files the last one left queued', async () => {
    window.dispatchEvent(new Event('offline')); // queued with no network
    pickFiles([new File([new Uint8Array(100)], 'DOE_JANE.dcm')]);
    await settle(el, () => !!el.shadowRoot!.querySelector('button.send'));
    (el.shadowRoot!.querySelector('button.send') as HTMLButtonElement).click();
    await settle(el, () => el.shadowRoot!.querySelector('li.file')?.getAttribute('data-state') === 'queued');
    expect(server.inits).toHaveLength(0);
    el.remove(); // the tab is closed without signing out
    const next = document.createElement('relay-uploader') as RelayUploader;
    next.token = tokenFor(2);
    document.body.append(next);
    await settle(next, () => !!next.shadowRoot?.querySelector('.pick'));
    await new Promise((r) => setTimeout(r, 300));
    expect(text(next)).not.toContain('DOE_JANE');
    expect(next.shadowRoot!.querySelectorAll('li.file')).toHaveLength(0);
    expect(server.initTokens).not.toContain(tokenFor(2));
    // a token of somebody else handed to the first user's page does not send their queue either
    next.remove();
    el = document.createElement('relay-uploader') as RelayUploader;
    el.token = tokenFor(1);
    document.body.append(el);
    await settle(el, () => el.shadowRoot!.querySelector('li.file')?.getAttribute('data-state') === 'done');
    expect(new Set(server.initTokens)).toEqual(new Set([tokenFor(1)]));
    el.token = tokenFor(2);
    await settle(el, () => text(el).includes('Please sign in again'));
    expect(text(el)).toContain('Please sign in again');
  });

  it('asks for a sign-in when handed no usable token', async () => {
    const lost = document.createElement('relay-uploader') as RelayUploader;
    lost.token = 'garbage';
    document.body.append(lost);
    await settle(lost, () => text(lost).includes('Please sign in again'));
    expect(text(lost)).toContain('Please sign in again');
    lost.remove();
  });

  it('on a kiosk whose session ended, loads the kiosk again (it signs in by its device key) instead of asking for a sign-in', async () => {
    el.kiosk = true;
    el.reloadPage = vi.fn();
    await el.updateComplete;
    server.failNext = 401;
    pickFiles([new File([new Uint8Array(100)], 'a.dcm')]);
    await settle(el, () => !!el.shadowRoot!.querySelector('button.send'));
    (el.shadowRoot!.querySelector('button.send') as HTMLButtonElement).click();
    await settle(el, () => (el.reloadPage as ReturnType<typeof vi.fn>).mock.calls.length > 0);
    expect(el.reloadPage).toHaveBeenCalled();
    expect(text(el)).not.toContain('Please sign in again');
  });

  it('keeps a chosen bandwidth cap for the next visit', async () => {
    await el.opened;
    const select = el.shadowRoot!.querySelector('select[data-option=cap]') as HTMLSelectElement;
    select.value = '125000';
    select.dispatchEvent(new Event('change'));
    // the next visit starts once the choice is on the device
    const stored = await UploadQueue.open((await ownerOf(tokenFor(1)))!);
    for (let i = 0; i < 500 && (await stored.sendingOptions()).capBytesPerSecond !== 125000; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    stored.close();
    const again = document.createElement('relay-uploader') as RelayUploader;
    again.token = tokenFor(1);
    document.body.append(again);
    const cap = () => (again.shadowRoot?.querySelector('select[data-option=cap] option[selected]') as HTMLOptionElement | null)?.value;
    await settle(again, () => cap() === '125000');
    expect(cap()).toBe('125000');
    again.remove();
  });

  it('shows plainly when the network is gone', async () => {
    window.dispatchEvent(new Event('offline'));
    await el.updateComplete;
    expect(text(el)).toContain('Offline');
    window.dispatchEvent(new Event('online'));
    await el.updateComplete;
    expect(text(el)).toContain('Online');
  });

  it('lists every file of a small study, and of a large one the failed first, up to a cap', () => {
    const files = Array.from({ length: 250 }, (_, i) => ({ id: `f${i}`, state: i === 200 ? 'failed' : 'done' }) as Parameters<typeof listedFiles>[0][number]);
    expect(listedFiles(files.slice(0, 10))).toHaveLength(10);
    const listed = listedFiles(files);
    expect(listed).toHaveLength(MAX_LISTED);
    expect(listed[0].id).toBe('f200');
    expect(listed[1].id).toBe('f0');
  });

  it('says how much compression in transit saved, when it saved something', () => {
    const f = (sentBytes: number, wireBytes?: number) => ({ sentBytes, wireBytes } as Parameters<typeof compressedInTransit>[0][number]);
    expect(compressedInTransit([f(60 << 20, 20 << 20), f(40 << 20, 18 << 20)]))
      .toBe('Sent 38.0 MB for 100.0 MB of images (compressed in transit)');
    expect(compressedInTransit([f(100, 99)])).toBeUndefined();
    expect(compressedInTransit([f(100)])).toBeUndefined();
  });

  it('formats sizes and times for people', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(150)).toBe('3 min');
    expect(formatDuration(5400)).toBe('1.5 h');
  });
});
