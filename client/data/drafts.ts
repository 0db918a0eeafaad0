/**
 * Half-written messages, per conversation, kept in localStorage under the user's prefix
 * (`parley:<userId>:draft:<conversationId>`), so a draft survives a reload (the update
 * prompt's "Reload", a crash, closing the tab) and is deleted with the user's data.
 */
import type { StorageHealth } from './storage-health';

export const draftKey = (userId: string, conversationId: string): string =>
  `parley:${userId}:draft:${conversationId}`;

export class Drafts {
  private readonly storage: Storage | null;
  private readonly health: StorageHealth | null;

  constructor(
    private readonly userId: string,
    opts: { storage?: Storage | null; health?: StorageHealth | null } = {},
  ) {
    this.storage =
      opts.storage !== undefined
        ? opts.storage
        : typeof localStorage === 'undefined'
          ? null
          : localStorage;
    this.health = opts.health ?? null;
  }

  /** The draft of a conversation, '' when there is none. */
  get(conversationId: string): string {
    try {
      return this.storage?.getItem(draftKey(this.userId, conversationId)) ?? '';
    } catch {
      return '';
    }
  }

  /** Keep `text` as the draft; blank text removes it. */
  set(conversationId: string, text: string): void {
    const key = draftKey(this.userId, conversationId);
    try {
      if (text.trim().length === 0) this.storage?.removeItem(key);
      else this.storage?.setItem(key, text);
    } catch (e) {
      this.health?.report(e);
    }
  }
}
