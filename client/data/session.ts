/**
 * Who is signed in on this device. Restores the session at boot (falling back to the
 * last signed-in user when the server cannot be reached, so the app starts offline),
 * signs in, up and out, and notices when the server ended the session.
 */
import type { User } from '../../shared/api';
import { ApiError, type Api } from './api';
import { SnapshotStore } from './store';

export type SessionState =
  | { status: 'restoring' }
  | {
      status: 'signed-out';
      /** The server ended the session (revoked or expired). */ expired: boolean;
    }
  | {
      status: 'signed-in';
      user: User;
      /** False when the user was restored from this device while the server was unreachable. */
      verified: boolean;
    };

export interface SessionOptions {
  api: Api;
  /** Where the last user is remembered; null disables remembering (tests). */
  storage?: Storage | null;
  /**
   * Runs on an explicit sign-out (in this tab or another), and before a different user
   * signs in, while the state still names the old user: close conversations and delete
   * that user's data on this device.
   */
  cleanup?: (user: User) => Promise<void>;
  /** Where other tabs' sign-in and sign-out are heard (`storage` events); null: nowhere. */
  window?: Window | null;
}

const LAST_USER_KEY = 'parley:last-user';
/**
 * Set while a sign-out made offline still has to reach the server: the device already forgot
 * the user, and the browser still holds the (HttpOnly) cookie, so the revocation is the
 * sign-out request sent again once the server answers. Not a user's key: it must outlive
 * the user's data, which the sign-out deletes at once.
 */
export const PENDING_SIGN_OUT_KEY = 'parley:pending-sign-out';

function isUser(value: unknown): value is User {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' && typeof v.email === 'string' && typeof v.displayName === 'string'
  );
}

export class Session extends SnapshotStore<SessionState> {
  private readonly api: Api;
  private readonly storage: Storage | null;
  private readonly cleanup: (user: User) => Promise<void>;

  constructor({ api, storage, cleanup, window: win }: SessionOptions) {
    super({ status: 'restoring' });
    this.api = api;
    this.storage =
      storage !== undefined ? storage : typeof localStorage === 'undefined' ? null : localStorage;
    this.cleanup = cleanup ?? (() => Promise.resolve());
    const w = win !== undefined ? win : typeof window === 'undefined' ? null : window;
    w?.addEventListener('storage', this.onStorage);
    w?.addEventListener('online', this.onOnline);
  }

  private readonly onOnline = (): void => {
    if (this.signOutPending()) void this.finishSignOut();
  };

  /** True while a sign-out made offline has not reached the server yet. */
  signOutPending(): boolean {
    try {
      return (this.storage?.getItem(PENDING_SIGN_OUT_KEY) ?? null) !== null;
    } catch {
      return false;
    }
  }

  /**
   * Send the sign-out the server missed (the cookie is still the old session's). Resolves
   * true once the server ended the session (or had no session for the cookie).
   */
  async finishSignOut(): Promise<boolean> {
    try {
      await this.api.logout();
    } catch (e) {
      if (!(e instanceof ApiError) || e.code === 'network') return false;
    }
    this.forgetPendingSignOut();
    return true;
  }

  private forgetPendingSignOut(): void {
    try {
      this.storage?.removeItem(PENDING_SIGN_OUT_KEY);
    } catch {
      // Storage disabled: nothing was remembered.
    }
  }

  /**
   * Another tab signed out (the remembered user was removed) or someone else signed in:
   * let go of this user's conversations and data too, then follow that tab.
   */
  private readonly onStorage = (e: StorageEvent): void => {
    if (e.key !== LAST_USER_KEY && e.key !== null) return;
    const user = this.user;
    if (!user || this.remembered()?.id === user.id) return;
    void this.cleanup(user).finally(() => {
      this.set({ status: 'signed-out', expired: false });
      if (this.remembered()) void this.restore();
    });
  };

  /** The signed-in user, or null. */
  get user(): User | null {
    const s = this.snapshot;
    return s.status === 'signed-in' ? s.user : null;
  }

  /**
   * Start as the last user of this device at once (the app opens from IndexedDB without
   * waiting for a slow or absent network), then ask the server, which stays the
   * authority: another user replaces them, a 401 ends the session (keeping the data).
   */
  async restore(): Promise<void> {
    // Signed out while offline: the cookie may still be valid, but the user left. End the
    // session on the server first (or later, when it answers); never sign back in from it.
    if (this.signOutPending()) {
      this.set({ status: 'signed-out', expired: false });
      await this.finishSignOut();
      return;
    }
    const remembered = this.remembered();
    if (remembered) this.set({ status: 'signed-in', user: remembered, verified: false });
    try {
      const user = await this.api.me();
      await this.signedIn(user, true);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'network' && remembered) return;
      if (remembered) this.expire();
      else this.set({ status: 'signed-out', expired: false });
    }
  }

  /** Sign in; throws `ApiError` (its message is fit to show). */
  async signIn(email: string, password: string): Promise<User> {
    const user = await this.api.login({ email, password });
    await this.signedIn(user, true);
    return user;
  }

  /** Create an account and sign in; throws `ApiError` (its message is fit to show). */
  async signUp(input: {
    email: string;
    password: string;
    displayName: string;
    invite?: string;
  }): Promise<User> {
    const user = await this.api.register(input);
    await this.signedIn(user, true);
    return user;
  }

  /** "Forgot password?": resolves with the server's answer (the same whether or not the account exists). */
  forgotPassword(email: string): Promise<string> {
    return this.api.forgotPassword(email);
  }

  /** Use a one-time link: set a new password and sign in (every other session ends). */
  async resetPassword(token: string, password: string): Promise<User> {
    const user = await this.api.resetPassword(token, password);
    await this.signedIn(user, true);
    return user;
  }

  /**
   * Sign out and delete this user's data on the device, even when the server is unreachable:
   * then the session ends on the server as soon as it can be reached (`finishSignOut`, at the
   * next start, when the browser comes online, or by the next sign-in, which replaces it).
   */
  async signOut(): Promise<void> {
    const user = this.user;
    try {
      await this.api.logout();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.code === 'network') {
        try {
          this.storage?.setItem(PENDING_SIGN_OUT_KEY, String(Date.now()));
        } catch {
          // Storage full or disabled: the session ends when it expires or at the next sign-in.
        }
      }
    }
    if (user) await this.cleanup(user);
    this.storage?.removeItem(LAST_USER_KEY);
    this.set({ status: 'signed-out', expired: false });
  }

  /**
   * The signed-in user's own record changed (their profile, here or on another device):
   * show and remember the new one. Ignored when someone else is signed in by now.
   */
  updateUser(user: User): void {
    const s = this.snapshot;
    if (s.status !== 'signed-in' || s.user.id !== user.id) return;
    try {
      this.storage?.setItem(LAST_USER_KEY, JSON.stringify(user));
    } catch {
      // Storage full or disabled: the next start shows the old record until the server answers.
    }
    this.set({ status: 'signed-in', user, verified: s.verified });
  }

  /** The server no longer accepts the session (HTTP 401 or socket close 4401). */
  expire(): void {
    if (this.snapshot.status !== 'signed-in') return;
    this.set({ status: 'signed-out', expired: true });
  }

  private async signedIn(user: User, verified: boolean): Promise<void> {
    // A new sign-in replaced the cookie (and the server revoked the old session with it).
    this.forgetPendingSignOut();
    // Someone else used this device last: nothing of theirs may stay (or be shown).
    const previous = this.remembered();
    if (previous && previous.id !== user.id) await this.cleanup(previous);
    try {
      this.storage?.setItem(LAST_USER_KEY, JSON.stringify(user));
    } catch {
      // Storage full or disabled: offline start just won't be available.
    }
    this.set({ status: 'signed-in', user, verified });
  }

  private remembered(): User | null {
    try {
      const raw = this.storage?.getItem(LAST_USER_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      return isUser(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
}
