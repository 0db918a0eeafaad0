/**
 * Your privacy settings (read receipts, who sees your last seen, typing indicators, being
 * found by e-mail): loaded from and saved to the server, which enforces them
 * (docs/security.md, "Privacy settings"). Each change is saved at once; a failed save
 * puts the last saved settings back and says why.
 */
import type { PrivacySettings } from '../../shared/api';
import { ApiError } from './api';
import { SnapshotStore } from './store';

export interface PrivacyState {
  /** Null until loaded (or while the server cannot be reached). */
  settings: PrivacySettings | null;
  saving: boolean;
  /** True after a change was saved (until the next one). */
  saved: boolean;
  /** What went wrong the last time, in words for people. */
  error: string | null;
}

/** The part of `Api` this store uses. */
export interface PrivacyApi {
  privacySettings(): Promise<PrivacySettings>;
  savePrivacySettings(settings: PrivacySettings): Promise<PrivacySettings>;
}

const problem = (e: unknown, what: string): string =>
  e instanceof ApiError && e.message ? e.message : `Could not ${what}. Check your connection.`;

export class PrivacySettingsStore extends SnapshotStore<PrivacyState> {
  constructor(private readonly api: PrivacyApi) {
    super({ settings: null, saving: false, saved: false, error: null });
  }

  async refresh(): Promise<void> {
    try {
      this.patch({ settings: await this.api.privacySettings(), error: null });
    } catch (e) {
      this.patch({ error: problem(e, 'load your privacy settings') });
    }
  }

  /** Change some settings and save them (shown at once; put back if the save fails). */
  async save(change: Partial<PrivacySettings>): Promise<void> {
    const before = this.snapshot.settings;
    if (!before) return;
    this.patch({ settings: { ...before, ...change }, saving: true, saved: false, error: null });
    try {
      const saved = await this.api.savePrivacySettings({ ...before, ...change });
      this.patch({ settings: saved, saving: false, saved: true });
    } catch (e) {
      this.patch({ settings: before, saving: false, error: problem(e, 'save the change') });
    }
  }
}
