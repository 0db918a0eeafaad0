/// <reference types="vite/client" />
/** Boot: build the services, mount the app shell, restore the session, register the SW. */
import './styles/theme.css';
import { createAppServices } from './app-services';
import './components/app-shell';
import type { Subscribable } from './data/store';
import { ServiceWorkerUpdates } from './pwa/register-service-worker';

/**
 * Define an element the first time it has something to show: its module loads then (the
 * element keeps the properties set before; a failed load tries again on the next change).
 */
function loadWhen<T>(
  store: Subscribable<T>,
  shown: (s: T) => boolean,
  load: () => Promise<unknown>,
): void {
  let started = false;
  const check = (): void => {
    if (started || !shown(store.snapshot)) return;
    started = true;
    load().then(stop, (e: unknown) => {
      started = false;
      console.warn('Could not load an alert', e);
    });
  };
  const stop = store.subscribe(check);
  check();
}

const services = createAppServices();
const shell = document.createElement('parley-app-shell');
shell.services = services;
const updates = new ServiceWorkerUpdates();
const updatePrompt = document.createElement('parley-update-prompt');
updatePrompt.updates = updates;
const storageAlert = document.createElement('parley-storage-alert');
storageAlert.health = services.storage;
loadWhen(
  updates,
  (s) => s.available,
  () => import('./components/update-prompt'),
);
loadWhen(
  services.storage,
  (s) => s.full,
  () => import('./components/storage-alert'),
);
document.querySelector('.boot')?.remove();
document.body.append(shell, updatePrompt, storageAlert);
void services.start();
// The dev server has no /sw.js: the service worker only exists in a build.
if (import.meta.env.PROD) updates.register();
