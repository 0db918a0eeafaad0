/**
 * Push notifications on this device (issue #13): whether the browser can do them, the
 * permission, this device's subscription (saved on the server, removed on sign-out), and
 * the user's notification settings (the same on every device). The permission is asked
 * only from `enable()`, which the UI calls from a button the person pressed.
 */
import type { NotificationSettings } from '../../shared/api';
import { ApiError, type Api } from './api';
import { SnapshotStore } from './store';

/**
 * - `unsupported`: this browser has no Web Push.
 * - `needs-install`: iOS/iPadOS Safari: only an app added to the Home Screen can get pushes.
 * - `blocked`: the person (or the browser) denied the permission; only site settings undo it.
 * - `off`: possible, not turned on for this device.
 * - `on`: this device is subscribed.
 */
export type PushAvailability = 'unsupported' | 'needs-install' | 'blocked' | 'off' | 'on';

export interface PushState {
  availability: PushAvailability;
  /** Null until loaded (or while offline). */
  settings: NotificationSettings | null;
  busy: boolean;
  /** What went wrong the last time, in words for people. */
  error: string | null;
}

/** The browser parts the class uses (injectable for unit tests). */
export interface PushEnvironment {
  readonly notificationPermission: () => NotificationPermission | null;
  readonly requestPermission: () => Promise<NotificationPermission>;
  readonly registration: () => Promise<ServiceWorkerRegistration | null>;
  readonly isAppleMobile: boolean;
  readonly standalone: boolean;
}

export function browserPushEnvironment(win: Window = window): PushEnvironment {
  const nav = win.navigator as Navigator & { standalone?: boolean };
  const hasPush =
    'serviceWorker' in nav && 'PushManager' in win && 'Notification' in win;
  return {
    notificationPermission: () => (hasPush ? Notification.permission : null),
    requestPermission: () => Notification.requestPermission(),
    registration: async () =>
      hasPush ? ((await nav.serviceWorker.getRegistration()) ?? null) : null,
    isAppleMobile:
      /iPad|iPhone|iPod/.test(nav.userAgent) ||
      (nav.platform === 'MacIntel' && nav.maxTouchPoints > 1),
    standalone: nav.standalone === true || win.matchMedia?.('(display-mode: standalone)').matches,
  };
}

const fromBase64Url = (s: string): Uint8Array<ArrayBuffer> => {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '=');
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};

const sameKey = (a: ArrayBuffer | null, b: Uint8Array): boolean => {
  if (!a || a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  return x.every((v, i) => v === b[i]);
};

const message = (e: unknown): string =>
  e instanceof ApiError ? e.message : 'Notifications could not be turned on. Try again.';

export class PushNotifications extends SnapshotStore<PushState> {
  constructor(
    private readonly api: Api,
    private readonly env: PushEnvironment = browserPushEnvironment(),
  ) {
    super({ availability: 'off', settings: null, busy: false, error: null });
    this.patch({ availability: this.baseAvailability() });
  }

  private baseAvailability(): PushAvailability {
    const permission = this.env.notificationPermission();
    if (permission === null)
      return this.env.isAppleMobile && !this.env.standalone ? 'needs-install' : 'unsupported';
    if (permission === 'denied') return 'blocked';
    return 'off';
  }

  /** Read this device's state and the settings; renew a subscription made with an old key. */
  async refresh(): Promise<void> {
    let availability = this.baseAvailability();
    try {
      const settings = await this.api.notificationSettings();
      this.patch({ settings });
      if (availability === 'off' && this.env.notificationPermission() === 'granted') {
        const reg = await this.env.registration();
        const sub = await reg?.pushManager.getSubscription();
        if (sub) {
          const key = fromBase64Url(await this.api.pushKey());
          // The deployment's keys were rotated: subscribe again with the new one.
          const current = sameKey(sub.options.applicationServerKey, key)
            ? sub
            : await this.resubscribe(reg!, sub, key);
          await this.api.savePushSubscription(current.toJSON());
          availability = 'on';
        }
      }
    } catch {
      // Offline: keep what is known.
    }
    this.patch({ availability });
  }

  /** Turn notifications on for this device (call from a button press: it asks permission). */
  async enable(): Promise<void> {
    this.patch({ busy: true, error: null });
    try {
      const permission = await this.env.requestPermission();
      if (permission !== 'granted') {
        this.patch({ availability: permission === 'denied' ? 'blocked' : 'off' });
        return;
      }
      const reg = await this.env.registration();
      if (!reg) throw new Error('no service worker');
      const key = fromBase64Url(await this.api.pushKey());
      const existing = await reg.pushManager.getSubscription();
      const sub =
        existing && sameKey(existing.options.applicationServerKey, key)
          ? existing
          : await this.resubscribe(reg, existing, key);
      await this.api.savePushSubscription(sub.toJSON());
      const settings = this.snapshot.settings;
      if (settings && !settings.enabled)
        this.patch({
          settings: await this.api.saveNotificationSettings({ ...settings, enabled: true }),
        });
      this.patch({ availability: 'on' });
    } catch (e) {
      this.patch({ error: message(e) });
    } finally {
      this.patch({ busy: false });
    }
  }

  /** Turn notifications off for this device only. */
  async disable(): Promise<void> {
    this.patch({ busy: true, error: null });
    try {
      const reg = await this.env.registration();
      const sub = await reg?.pushManager.getSubscription();
      if (sub) {
        await this.api.deletePushSubscription(sub.endpoint);
        await sub.unsubscribe();
      }
      this.patch({ availability: this.baseAvailability() });
    } catch (e) {
      this.patch({ error: message(e) });
    } finally {
      this.patch({ busy: false });
    }
  }

  /** Change what notifications show, or the switch for every device. */
  async saveSettings(settings: NotificationSettings): Promise<void> {
    this.patch({ busy: true, error: null });
    try {
      this.patch({ settings: await this.api.saveNotificationSettings(settings) });
    } catch (e) {
      this.patch({ error: message(e) });
    } finally {
      this.patch({ busy: false });
    }
  }

  /**
   * Signing out: this device stops getting pushes at once (the server also dropped the
   * subscription with the session).
   */
  async forget(): Promise<void> {
    try {
      const reg = await this.env.registration();
      const sub = await reg?.pushManager.getSubscription();
      await sub?.unsubscribe();
    } catch {
      // Nothing to undo.
    }
  }

  private async resubscribe(
    reg: ServiceWorkerRegistration,
    old: PushSubscription | null,
    key: Uint8Array<ArrayBuffer>,
  ): Promise<PushSubscription> {
    await old?.unsubscribe();
    return await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  }
}
