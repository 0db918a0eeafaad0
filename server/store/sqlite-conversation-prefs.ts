/** ConversationPrefsStore on SQLite (embedded mode). */
import type { Db } from './database';
import {
  NO_PREFS,
  type ConversationPrefs,
  type ConversationPrefsStore,
  type ViewerState,
} from './conversation-prefs';
import { toViewerState, viewerStateSql, type ViewerStateRow } from './viewer-state';

interface Row {
  pinned_at: number | null;
  archived: number;
  cleared_at: number | null;
}

export const toPrefs = (r: {
  pinned_at: number | string | null;
  archived: number | boolean;
  cleared_at: number | string | null;
}): ConversationPrefs => ({
  pinnedAt: r.pinned_at === null ? null : Number(r.pinned_at),
  archived: r.archived === true || r.archived === 1,
  clearedAt: r.cleared_at === null ? null : Number(r.cleared_at),
});

export class SqliteConversationPrefs implements ConversationPrefsStore {
  private readonly q;
  private readonly pinTx: (u: string, c: string, at: number, max: number) => boolean;
  private readonly clearTx: (u: string, c: string, at: number) => void;

  constructor(db: Db) {
    this.q = {
      get: db.prepare<[string, string], Row>(
        'SELECT pinned_at, archived, cleared_at FROM conversation_prefs WHERE user_id = ? AND conversation_id = ?',
      ),
      viewerState: db.prepare<{ u: string; c: string }, ViewerStateRow>(viewerStateSql('@u', '@c')),
      otherPins: db.prepare<[string, string], { n: number }>(
        'SELECT count(*) AS n FROM conversation_prefs WHERE user_id = ? AND conversation_id <> ? AND pinned_at IS NOT NULL',
      ),
      pin: db.prepare<[string, string, number]>(
        `INSERT INTO conversation_prefs (user_id, conversation_id, pinned_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id, conversation_id)
         DO UPDATE SET pinned_at = coalesce(pinned_at, excluded.pinned_at)`,
      ),
      unpin: db.prepare<[string, string]>(
        'UPDATE conversation_prefs SET pinned_at = NULL WHERE user_id = ? AND conversation_id = ?',
      ),
      archive: db.prepare<[string, string, number]>(
        `INSERT INTO conversation_prefs (user_id, conversation_id, archived) VALUES (?, ?, ?)
         ON CONFLICT (user_id, conversation_id) DO UPDATE SET archived = excluded.archived`,
      ),
      clear: db.prepare<[string, string, number]>(
        `INSERT INTO conversation_prefs (user_id, conversation_id, cleared_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id, conversation_id) DO UPDATE SET pinned_at = NULL, archived = 0,
           cleared_at = max(coalesce(cleared_at, 0), excluded.cleared_at)`,
      ),
      noUnread: db.prepare<[string, string]>(
        'UPDATE unread_counts SET n = 0 WHERE user_id = ? AND conversation_id = ?',
      ),
    };
    this.pinTx = db.transaction((u: string, c: string, at: number, max: number): boolean => {
      const pinned = this.q.get.get(u, c)?.pinned_at;
      if (pinned === null || pinned === undefined) {
        if ((this.q.otherPins.get(u, c)?.n ?? 0) >= max) return false;
      }
      this.q.pin.run(u, c, at);
      return true;
    });
    this.clearTx = db.transaction((u: string, c: string, at: number): void => {
      this.q.clear.run(u, c, at);
      this.q.noUnread.run(u, c);
    });
  }

  get(userId: string, conversationId: string): ConversationPrefs {
    const r = this.q.get.get(userId, conversationId);
    return r ? toPrefs(r) : NO_PREFS;
  }

  viewerState(userId: string, conversationId: string): ViewerState {
    const r = this.q.viewerState.get({ u: userId, c: conversationId });
    if (!r) throw new Error('the viewer state query answered no row');
    return toViewerState(r);
  }

  setPinned(userId: string, conversationId: string, at: number | null, max: number): boolean {
    if (at === null) {
      this.q.unpin.run(userId, conversationId);
      return true;
    }
    return this.pinTx(userId, conversationId, at, max);
  }

  setArchived(userId: string, conversationId: string, archived: boolean): void {
    this.q.archive.run(userId, conversationId, archived ? 1 : 0);
  }

  clear(userId: string, conversationId: string, at: number): void {
    this.clearTx(userId, conversationId, at);
  }
}
