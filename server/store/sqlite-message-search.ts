/** MessageSearch on SQLite: the FTS5 index `messages_fts` (migration 7), joined to the projection. */
import type { Db } from './database';
import {
  SEARCH_CANDIDATES,
  rankHits,
  type MessageSearch,
  type MessageSearchHit,
  type MessageSearchQuery,
} from './message-search';
import { toMessage, type RawMessage } from './rows';

type Row = RawMessage & { peer: string };

/** An FTS5 query of prefix terms, each quoted: the words hold only letters, marks and digits. */
export const ftsQuery = (words: readonly string[]): string =>
  words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ');

export class SqliteMessageSearch implements MessageSearch {
  private readonly find;

  constructor(db: Db) {
    // The index hands out matches newest first (by rowid: arrival order) and the joins keep
    // the searcher's listed conversations, so the scan stops after `cap` of theirs.
    this.find = db.prepare<{ match: string; me: string; before: number; cap: number }, Row>(
      `SELECT m.*,
         CASE WHEN c.user_a = @me THEN c.user_b ELSE c.user_a END AS peer
       FROM messages_fts
       JOIN messages m ON m.rowid = messages_fts.rowid
       JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_fts MATCH @match
         AND (c.user_a = @me OR c.user_b = @me)
         AND m.deleted = 0 AND m.created < @before
         AND NOT EXISTS (SELECT 1 FROM conversation_hidden h WHERE h.conversation_id = c.id AND h.user_id = @me)
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker = @me
                         AND b.blocked = CASE WHEN c.user_a = @me THEN c.user_b ELSE c.user_a END)
       ORDER BY messages_fts.rowid DESC
       LIMIT @cap`,
    );
  }

  search(q: MessageSearchQuery): MessageSearchHit[] {
    if (q.words.length === 0) return [];
    const hits = this.find
      .all({
        match: ftsQuery(q.words),
        me: q.userId,
        before: q.before ?? Number.MAX_SAFE_INTEGER,
        cap: SEARCH_CANDIDATES,
      })
      .map((r) => ({ message: toMessage(r), peer: r.peer }));
    return rankHits(hits, q);
  }
}
