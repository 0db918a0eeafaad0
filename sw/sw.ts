/**
 * Parley's service worker (Workbox, injectManifest): precaches the app shell and static
 * assets, answers navigations with the precached index.html so the app starts offline,
 * and activates a new version only when the page asks (the "Reload" of the update prompt).
 *
 * It never caches API responses or anything else that belongs to a user: requests it has
 * no route for (/api/*, /sync/*, the event stream) go to the network untouched. A user's
 * data lives in IndexedDB under names scoped to that user and is deleted on sign-out.
 */
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
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

// workbox-window's `messageSkipWaiting()` posts exactly this.
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The first version takes control of open pages at once (there is nothing to replace);
// later versions wait for SKIP_WAITING, and claiming then is what fires `controllerchange`.
clientsClaim();
