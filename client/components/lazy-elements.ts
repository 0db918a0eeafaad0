/**
 * Elements that the first paint of a signed-in user's messenger does not need load on
 * demand, each from its own chunk: the screens reached by a link (sign-in and recovery,
 * contacts, settings, admin), the notifications dialog, the voice recorder, the
 * attachments of a message (requested when a conversation opens, while its messages load)
 * the options menus (requested when the chat list or a conversation renders; until
 * then shared-styles.ts keeps their place), the results of the message and people
 * searches (first keystroke), the progress of uploads (with the first one), the
 * composer's "Replying to" bar (with the first reply or edit) and the confirmation dialog
 * (`confirmWith`: when a question is first asked).
 * Screens are rendered once their element is defined (`ready`: a screen may use its
 * properties as soon as it is connected); the smaller parts may be rendered before: the
 * browser upgrades the element when it is defined, and Lit keeps the properties set on it
 * before that. The service worker precaches every chunk, so they load offline too
 * (docs/benchmarks.md, "Issue #12's regression").
 */
import type { LazyService } from '../data/lazy-service';
import type { ConfirmDialog, ConfirmOptions } from './confirm-dialog';

const loaders = {
  'parley-login-page': () => import('./login-page'),
  'parley-recovery-page': () => import('./recovery-page'),
  'parley-admin-page': () => import('./admin-page'),
  'parley-settings-page': () => import('./settings-page'),
  'parley-people-view': () => import('./people-view'),
  'parley-notifications-dialog': () => import('./notifications-dialog'),
  'parley-voice-recorder': () => import('./voice-recorder'),
  'parley-message-attachments': () => import('./message-attachments'),
  'parley-menu-button': () => import('./menu-button'),
  'parley-message-search-results': () => import('./message-search-results'),
  'parley-people-results': () => import('./people-results'),
  'parley-outbox-progress': () => import('./outbox-progress'),
  'parley-confirm-dialog': () => import('./confirm-dialog'),
  'parley-composer-context': () => import('./composer-context'),
} satisfies Record<string, () => Promise<unknown>>;

export type LazyTag = keyof typeof loaders;

const loading = new Map<LazyTag, Promise<unknown>>();

/**
 * Start loading `tag`'s module (once; again after a failed attempt) and resolve when the
 * element is defined; rejects when the module could not be loaded (offline before the
 * service worker cached it).
 */
export async function loadElement(tag: LazyTag): Promise<void> {
  if (customElements.get(tag)) return;
  let started = loading.get(tag);
  if (!started) {
    started = loaders[tag]().catch((e: unknown) => {
      loading.delete(tag); // the next attempt loads it again
      throw e;
    });
    loading.set(tag, started);
  }
  await started;
  await customElements.whenDefined(tag);
}

/**
 * True when `tag` is defined; otherwise start loading it, ask `host` to render again once
 * it is (or, after a failure, to try again a little later), and return false: the host
 * shows "Loading…" meanwhile.
 */
export function ready(host: { requestUpdate(): void }, tag: LazyTag): boolean {
  if (customElements.get(tag)) return true;
  loadElement(tag).then(
    () => host.requestUpdate(),
    (e: unknown) => {
      console.warn(`Could not load ${tag}`, e);
      setTimeout(() => host.requestUpdate(), 2000);
    },
  );
  return false;
}

/**
 * `ready` for a data service that loads on demand: the service once loaded; otherwise start
 * loading it, ask `host` to render again once it is there (or, after a failure, to try again
 * a little later), and return null: the host shows "Loading…" meanwhile.
 */
export function loaded<T>(host: { requestUpdate(): void }, service: LazyService<T>): T | null {
  if (service.instance) return service.instance;
  service.load().then(
    () => host.requestUpdate(),
    (e: unknown) => {
      console.warn('Could not load a service', e);
      setTimeout(() => host.requestUpdate(), 2000);
    },
  );
  return null;
}

/**
 * Ask `dialog` (a `<parley-confirm-dialog>` in the host's template, defined on first use);
 * false when it was cancelled, or could not be loaded (the next question tries again).
 */
export async function confirmWith(
  dialog: ConfirmDialog | null,
  options: ConfirmOptions,
): Promise<boolean> {
  if (!dialog) return false;
  try {
    await loadElement('parley-confirm-dialog');
  } catch (e) {
    console.warn('Could not load the confirmation dialog', e);
    return false;
  }
  return dialog.ask(options); // the element was upgraded in place
}
