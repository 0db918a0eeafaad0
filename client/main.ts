/// <reference types="vite/client" />
/** Boot: build the services, mount the app shell, restore the session, register the SW. */
import './styles/theme.css';
import { createAppServices } from './app-services';
import './components/app-shell';
import './components/storage-alert';
import './components/update-prompt';
import { ServiceWorkerUpdates } from './pwa/register-service-worker';

const services = createAppServices();
const shell = document.createElement('parley-app-shell');
shell.services = services;
const updates = new ServiceWorkerUpdates();
const updatePrompt = document.createElement('parley-update-prompt');
updatePrompt.updates = updates;
const storageAlert = document.createElement('parley-storage-alert');
storageAlert.health = services.storage;
document.querySelector('.boot')?.remove();
document.body.append(shell, updatePrompt, storageAlert);
void services.start();
// The dev server has no /sw.js: the service worker only exists in a build.
if (import.meta.env.PROD) updates.register();
