/**
 * Parley's service worker (Workbox, injectManifest): precaches the app shell and static
 * assets, answers navigations with the precached index.html so the app starts offline,
 * and activates a new version only when the page asks (the "Reload" of the update prompt).
 *
 * The only API responses it caches are attachment downloads (immutable: content never
 * changes under an id), so photos, files and voice notes already seen stay viewable
 * offline (attachment-cache.ts); sign-out deletes that cache with the user's IndexedDB
 * data. Everything else (/api/*, /sync/*, the event stream) goes to the network untouched.
 */
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isAttachmentRequest, serveAttachment } from './attachment-cache';
// Push notifications: show, replace, clear and open.
import './push';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Client routes (/, /c/<id>, /sign-in, …) are the single page; never the API, the sync
// sockets, the health check or anything that looks like a file.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api(\/|$)/, /^\/sync(\/|$)/, /^\/healthz$/, /\/[^/]+\.[^/]+$/],
  }),
);

registerRoute(({ url, request }) => isAttachmentRequest(url, request), serveAttachment);

// workbox-window's `messageSkipWaiting()` posts exactly this.
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The first version takes control of open pages at once (there is nothing to replace);
// later versions wait for SKIP_WAITING, and claiming then is what fires `controllerchange`.
clientsClaim();
