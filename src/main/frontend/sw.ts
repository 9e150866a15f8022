/// <reference lib="webworker" />
// RelayPACS's service worker: Vaadin's offline support (precache, offline page) plus Background Sync of the upload
// queue. Vaadin uses this file instead of generating its default one.
import { clientsClaim } from 'workbox-core';
import { matchPrecache, precacheAndRoute, getCacheKeyForURL } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import type { PrecacheEntry } from 'workbox-precaching/_types';
import { NetworkOnly } from 'workbox-strategies';
import { SYNC_TAG, syncQueue } from './background-sync';
import { UploadQueue, mayQueueOffline } from './upload-queue';

declare var self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<PrecacheEntry>;
  __WB_DISABLE_DEV_LOGS: boolean;
  additionalManifestEntries?: Array<PrecacheEntry>;
};
declare var OFFLINE_PATH: string; // defined by the Vite build

self.__WB_DISABLE_DEV_LOGS = true;
self.importScripts('sw-runtime-resources-precache.js');
self.skipWaiting();
clientsClaim();

// Entries from the build plus those Flow adds at run time (sw-runtime-resources-precache.js).
const manifestEntries: PrecacheEntry[] = self.__WB_MANIFEST || [];
const hasRootEntry = manifestEntries.some((entry) => entry.url === '.');
manifestEntries.push(...(self.additionalManifestEntries ?? []).filter((entry) => entry.url !== '.' || !hasRootEntry));
const scope = new URL(self.registration.scope);

let connectionLost = false;
const networkOnly = new NetworkOnly({
  plugins: [{
    fetchDidFail: async () => { connectionLost = true; },
    fetchDidSucceed: async ({ response }) => { connectionLost = false; return response; },
  }],
});

/**
 * With no network, someone who signed in on this device before gets the offline start page (the upload component,
 * queuing for them); anyone else the plain "no network" page.
 */
async function offlineStartPage(): Promise<Response | undefined> {
  const app = manifestEntries.find((e) => /VAADIN\/build\/offline-app-[^/]*\.js$/.test(e.url));
  if (!app || !mayQueueOffline(await UploadQueue.currentUser().catch(() => undefined), Date.now())) {
    return undefined;
  }
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<base href="${self.registration.scope}"><title>RelayPACS · offline</title>
<link rel="manifest" href="manifest.webmanifest"><link rel="stylesheet" href="styles/relaypacs.css"></head>
<body class="offline-start"><main id="offline-app"></main><script type="module" src="${app.url}"></script></body></html>`;
  return new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

async function offlinePage(): Promise<Response | undefined> {
  const start = await offlineStartPage();
  if (start) {
    return start;
  }
  const response = await matchPrecache(OFFLINE_PATH);
  if (!response) {
    return undefined;
  }
  const html = await response.text();
  return new Response(html.replace(/<base\s+href=[^>]*>/, `<base href="${self.registration.scope}">`), response);
}

function fromCache(url: URL, request: Request) {
  if (url.pathname !== scope.pathname
      && manifestEntries.some((e) => getCacheKeyForURL(e.url) === getCacheKeyForURL(`${url}`))) {
    return matchPrecache(request);
  }
  return offlinePage();
}

registerRoute(new NavigationRoute(async ({ url, request, event }) => {
  if (!self.navigator.onLine) {
    const cached = await fromCache(url, request);
    if (cached) {
      return cached;
    }
  }
  try {
    return await networkOnly.handle({ request, event });
  } catch (error) {
    const cached = await fromCache(url, request);
    if (cached) {
      return cached;
    }
    throw error;
  }
}));

precacheAndRoute(manifestEntries);

self.addEventListener('message', (event) => {
  if (typeof event.data === 'object' && event.data?.method === 'Vaadin.ServiceWorker.isConnectionLost' && 'id' in event.data) {
    event.source?.postMessage({ id: event.data.id, result: connectionLost }, []);
  }
});

// Uploads go on with the app closed: the browser fires this when the network is back.
self.addEventListener('sync', (event) => {
  const sync = event as ExtendableEvent & { tag: string };
  if (sync.tag === SYNC_TAG) {
    sync.waitUntil(syncQueue());
  }
});
