import './relay-uploader';
import type { RelayUploader } from './relay-uploader';
import { UploadQueue, mayQueueOffline } from './upload-queue';
import { language, t } from './i18n';

/**
 * The app opened with no network (served by the service worker): the upload component on its own, so a clinic can
 * pick, photograph and queue as the user who last signed in on this device. Nothing is sent from here: when the
 * network is back, the page reloads into the app, which sends the queue (after a sign-in if the session ended).
 */
export async function startOffline(root: HTMLElement, now = Date.now()): Promise<RelayUploader | undefined> {
  const current = await UploadQueue.currentUser();
  document.documentElement.lang = language();
  root.replaceChildren();
  if (!mayQueueOffline(current, now)) {
    root.append(heading(t('offline.nobody.title')), paragraph(t('offline.nobody')), retryButton());
    return undefined;
  }
  const uploader = document.createElement('relay-uploader') as RelayUploader;
  uploader.token = current!.token;
  uploader.kiosk = !!current!.kiosk;
  uploader.offlineStart = true;
  uploader.id = 'uploader';
  const who = current!.label ?? t('offline.lastPerson');
  root.append(heading(current!.kiosk ? who : t('offline.title')),
    paragraph(current!.kiosk ? t('offline.kiosk') : t('offline.intro')),
    whoLine(current!.kiosk ? t('offline.queuingFor', who) : t('offline.queuingAs', who)),
    uploader);
  return uploader;
}

function heading(text: string) {
  const h = document.createElement('h1');
  h.textContent = text;
  return h;
}

function paragraph(text: string) {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

function whoLine(text: string) {
  const p = paragraph(text);
  p.className = 'offline-who';
  p.setAttribute('role', 'status');
  return p;
}

function retryButton() {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = t('offline.retry');
  button.addEventListener('click', () => location.reload());
  return button;
}

/** How often the page looks whether the server can be reached again. */
export const PROBE_MS = 5000;

/**
 * Resolves true once the server answers (any answer: it is reachable). The browser's "online" alone is not enough:
 * the network may be back before the server is, or the service worker may not know yet.
 */
export async function serverReachable(fetchFn: typeof fetch = (i, init) => fetch(i, init)): Promise<boolean> {
  try {
    await fetchFn('actuator/health/liveness', { cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Goes to the app once the server is reachable, but never while files are picked and not yet queued (they would
 * have to be picked again).
 */
export function returnToAppWhenReachable(uploader: RelayUploader | undefined, reload: () => void = () => location.reload(),
                                         reachable: () => Promise<boolean> = () => serverReachable()): () => Promise<void> {
  let probing = false;
  return async () => {
    const busy = uploader && (uploader.picked.length > 0 || uploader.reading > 0);
    if (probing || busy || !navigator.onLine) {
      return;
    }
    probing = true;
    try {
      if (await reachable()) {
        reload();
      }
    } finally {
      probing = false;
    }
  };
}

const root = typeof document === 'undefined' ? null : document.getElementById('offline-app');
if (root) {
  void startOffline(root).then((uploader) => {
    const check = returnToAppWhenReachable(uploader);
    window.addEventListener('online', () => void check());
    window.setInterval(() => void check(), PROBE_MS);
  });
}
