/**
 * Per-user conversation preferences (issue #14): pinned, archived, and "delete chat for me"
 * (a cleared point: messages written at or before it are gone for that user only). Kept on
 * the server so every device of the user agrees. The seam; SQLite and PostgreSQL implement it.
 */
import type { Awaitable } from './storage';

export interface ConversationPrefs {
  /** When the user pinned it (ms; pins sort by this, the latest on top), or null. */
  pinnedAt: number | null;
  archived: boolean;
  /**
   * "Delete chat for me": messages whose time (`at`) is at or before this are gone for this
   * user — history, list preview, unread, search; null when never cleared.
   */
  clearedAt: number | null;
}

export const NO_PREFS: ConversationPrefs = { pinnedAt: null, archived: false, clearedAt: null };

/** How many conversations one user may pin (WhatsApp's limit is 3; Telegram's 5). */
export const MAX_PINS = 5;

/** What a conversation's summary and list need of one viewer, read in one statement. */
export interface ViewerState {
  prefs: ConversationPrefs;
  /** The viewer's mute (`until` null: until unmuted), or null when not muted. */
  mute: { until: number | null } | null;
  /** The viewer declined it (a message request). */
  hidden: boolean;
  /** The viewer's stored unread count. */
  unread: number;
}

export interface ConversationPrefsStore {
  /** The user's preferences for one conversation (NO_PREFS when none). */
  get(userId: string, conversationId: string): Awaitable<ConversationPrefs>;
  /**
   * Preferences, mute, declined and unread count of one viewer in one statement (a summary
   * is built per message for each participant listening: one round trip, not four).
   */
  viewerState(userId: string, conversationId: string): Awaitable<ViewerState>;
  /**
   * Pin at `at` (already pinned: kept where it is) — false, and nothing changes, when the user
   * already has `max` other pinned conversations; or unpin (`at` null, always true).
   */
  setPinned(
    userId: string,
    conversationId: string,
    at: number | null,
    max: number,
  ): Awaitable<boolean>;
  setArchived(userId: string, conversationId: string, archived: boolean): Awaitable<void>;
  /**
   * Delete the chat for `userId`: cleared at `at` (never moved back), unpinned, unarchived,
   * and the user's unread count of the conversation back to 0 — in one transaction.
   */
  clear(userId: string, conversationId: string, at: number): Awaitable<void>;
}
