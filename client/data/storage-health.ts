/**
 * The device's storage from the user's point of view: asks for persistent storage after
 * sign-in (so the browser does not evict the conversations under pressure) and turns a
 * full disk (QuotaExceededError, from IndexedDB or localStorage) into a message the UI
 * shows, instead of losing writes silently.
 */
import { SnapshotStore } from './store';

export interface StorageHealthState {
  /** Set when a write failed because the device is out of space. */
  full: boolean;
  /** What `navigator.storage.persist()` answered; null until asked. */
  persisted: boolean | null;
}

export function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const name = (e as { name?: unknown }).name;
  // Firefox used NS_ERROR_DOM_QUOTA_REACHED for localStorage.
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

export class StorageHealth extends SnapshotStore<StorageHealthState> {
  constructor(private readonly win: Window | null = typeof window === 'undefined' ? null : window) {
    super({ full: false, persisted: null });
    // IndexedDB writes happen inside y-indexeddb, whose failed transactions surface as
    // unhandled rejections or error events: watch for the quota ones.
    win?.addEventListener('unhandledrejection', (e) => this.report(e.reason));
    win?.addEventListener('error', (e) => this.report(e.error));
  }

  /** Report an error from a storage write; returns true when it was a full disk. */
  report(e: unknown): boolean {
    if (!isQuotaError(e)) return false;
    if (!this.snapshot.full) this.patch({ full: true });
    return true;
  }

  /** The person read the message (or freed space). */
  dismiss(): void {
    if (this.snapshot.full) this.patch({ full: false });
  }

  /** Ask the browser to keep this origin's data under storage pressure (once per session). */
  async requestPersistence(): Promise<void> {
    const storage = this.win?.navigator.storage;
    if (!storage?.persist || this.snapshot.persisted !== null) return;
    try {
      const persisted = (await storage.persisted()) || (await storage.persist());
      this.patch({ persisted });
    } catch {
      this.patch({ persisted: false });
    }
  }
}
