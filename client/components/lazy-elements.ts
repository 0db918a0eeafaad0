/**
 * Elements that the first paint of a signed-in user's messenger does not need load on
 * demand, each from its own chunk: the screens reached by a link (sign-in and recovery,
 * contacts, settings, admin), the notifications dialog, the voice recorder, and the
 * attachments of a message (requested when a conversation opens, while its messages load).
 * Screens are rendered once their element is defined (`ready`: a screen may use its
 * properties as soon as it is connected); the smaller parts may be rendered before: the
 * browser upgrades the element when it is defined, and Lit keeps the properties set on it
 * before that. The service worker precaches every chunk, so they load offline too
 * (docs/benchmarks.md, "Initial JavaScript").
 */
const loaders = {
  'parley-login-page': () => import('./login-page'),
  'parley-recovery-page': () => import('./recovery-page'),
  'parley-admin-page': () => import('./admin-page'),
  'parley-settings-page': () => import('./settings-page'),
  'parley-people-view': () => import('./people-view'),
  'parley-notifications-dialog': () => import('./notifications-dialog'),
  'parley-voice-recorder': () => import('./voice-recorder'),
  'parley-message-attachments': () => import('./message-attachments'),
} satisfies Record<string, () => Promise<unknown>>;

export type LazyTag = keyof typeof loaders;

const loading = new Map<LazyTag, Promise<unknown>>();

/**
 * Start loading `tag`'s module (once; again after a failed attempt) and resolve when the
 * element is defined. Safe to call from `render()`.
 */
export function loadElement(tag: LazyTag): Promise<CustomElementConstructor> {
  if (!customElements.get(tag) && !loading.has(tag)) {
    const started = loaders[tag]().catch((e: unknown) => {
      // Offline before the service worker cached it: the next render tries again.
      loading.delete(tag);
      console.warn(`Could not load ${tag}`, e);
    });
    loading.set(tag, started);
  }
  return customElements.whenDefined(tag);
}

/**
 * True when `tag` is defined; otherwise start loading it, ask `host` to render again once
 * it is, and return false (the host shows "Loading…" meanwhile).
 */
export function ready(host: { requestUpdate(): void }, tag: LazyTag): boolean {
  if (customElements.get(tag)) return true;
  void loadElement(tag).then(() => host.requestUpdate());
  return false;
}
