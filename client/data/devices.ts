/**
 * Your account's security settings: the devices signed in as you (signing one or all
 * others out), changing the password, and deleting the account. Errors come back as
 * words for people (`ApiError.message`, or the network's).
 */
import type { DeviceSession } from '../../shared/api';
import { ApiError, type Api } from './api';
import { SnapshotStore } from './store';

export interface DevicesState {
  /** Null until loaded. */
  devices: readonly DeviceSession[] | null;
  loading: boolean;
  /** What went wrong the last time, in words for people. */
  error: string | null;
}

const words = (e: unknown, fallback: string): string =>
  e instanceof ApiError ? e.message : fallback;

export class AccountSecurity extends SnapshotStore<DevicesState> {
  constructor(private readonly api: Api) {
    super({ devices: null, loading: false, error: null });
  }

  /** Load (or reload) the devices list. */
  async refresh(): Promise<void> {
    this.set({ ...this.snapshot, loading: true, error: null });
    try {
      const devices = await this.api.devices();
      this.set({ devices, loading: false, error: null });
    } catch (e) {
      this.set({
        ...this.snapshot,
        loading: false,
        error: words(e, 'The devices could not be loaded. Try again.'),
      });
    }
  }

  /** Sign out one of your other devices. */
  async signOutDevice(id: string): Promise<void> {
    try {
      await this.api.signOutDevice(id);
    } catch (e) {
      this.set({ ...this.snapshot, error: words(e, 'That device could not be signed out.') });
      return;
    }
    await this.refresh();
  }

  /** Sign out every device but this one. */
  async signOutOthers(): Promise<void> {
    try {
      await this.api.signOutOtherDevices();
    } catch (e) {
      this.set({ ...this.snapshot, error: words(e, 'The other devices could not be signed out.') });
      return;
    }
    await this.refresh();
  }

  /**
   * Change the password; throws `ApiError` (its message says why: a wrong current password,
   * a new one that is too short …). Every other device is signed out.
   */
  async changePassword(current: string, next: string): Promise<void> {
    await this.api.changePassword(current, next);
    await this.refresh();
  }

  /** Delete the account; throws `ApiError` (a wrong password, offline …). */
  deleteAccount(password: string): Promise<void> {
    return this.api.deleteAccount(password);
  }
}
