// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { Blob as NodeBlob, File as NodeFile } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from './fake-server';
import { formatBytes, formatDuration, type RelayUploader } from '../../main/frontend/relay-uploader';

async function settle(el: RelayUploader, until: () => boolean) {
  for (let i = 0; i < 200 && !until(); i++) {
    await new Promise((r) => setTimeout(r, 10));
    await el.updateComplete;
  }
}

function text(el: RelayUploader): string {
  return el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
}

describe('<relay-uploader>', () => {
  let server: FakeServer;
  let el: RelayUploader;

  beforeEach(async () => {
    server = new FakeServer();
    vi.stubGlobal('fetch', server.fetch);
    // IndexedDB (fake-indexeddb) clones Node's Blobs, as a browser's IndexedDB clones its own.
    vi.stubGlobal('Blob', NodeBlob);
    vi.stubGlobal('File', NodeFile);
    el = document.createElement('relay-uploader') as RelayUploader;
    el.token = 'token';
    document.body.append(el);
    await settle(el, () => !!el.shadowRoot?.querySelector('.pick'));
  });

  afterEach(() => {
    el.remove();
    vi.unstubAllGlobals();
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
    (el.shadowRoot!.querySelector('button.secondary') as HTMLButtonElement).click();
    await settle(el, () => el.shadowRoot!.querySelectorAll('li.file').length === 0);
    expect(el.shadowRoot!.querySelectorAll('li.file')).toHaveLength(0);
  });

  it('shows plainly when the network is gone', async () => {
    window.dispatchEvent(new Event('offline'));
    await el.updateComplete;
    expect(text(el)).toContain('Offline');
    window.dispatchEvent(new Event('online'));
    await el.updateComplete;
    expect(text(el)).toContain('Online');
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
