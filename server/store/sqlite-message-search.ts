/**
 * MessageSearch on SQLite: the FTS5 index `messages_fts` (the "message search" migration), joined to the
 * projection. New messages are indexed in batches (`catchUp`), soon after their commit and
 * before every search, so that a commit does not pay for an FTS segment of its own; edits
 * and deletes of indexed messages reach the index in their own transaction (triggers).
 */
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

/** Messages indexed per transaction (a few milliseconds each). */
const CHUNK = 2000;
/** How long new messages wait for the background indexing (a search does not wait). */
const INDEX_DELAY_MS = 200;

/** An FTS5 query of prefix terms, each quoted: the words hold only letters, marks and digits. */
export const ftsQuery = (words: readonly string[]): string =>
  words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ');

export class SqliteMessageSearch implements MessageSearch {
  private readonly find;
  private readonly indexChunk: { immediate: (limit: number) => number };
  private timer:
    | { kind: 'timeout'; t: ReturnType<typeof setTimeout> }
    | { kind: 'immediate'; t: ReturnType<typeof setImmediate> }
    | null = null;
  private stopped = false;

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
         AND m.created > coalesce((SELECT p.cleared_at FROM conversation_prefs p
                                   WHERE p.user_id = @me AND p.conversation_id = c.id), -1)
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker = @me
                         AND b.blocked = CASE WHEN c.user_a = @me THEN c.user_b ELSE c.user_a END)
       ORDER BY messages_fts.rowid DESC
       LIMIT @cap`,
    );
    const upto = db.prepare<[], { upto: number }>(
      'SELECT upto FROM messages_fts_upto WHERE id = 0',
    );
    const pending = db.prepare<[number, number], { rid: number; text: string; deleted: number }>(
      'SELECT rowid AS rid, text, deleted FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ?',
    );
    const add = db.prepare<[number, string]>(
      'INSERT INTO messages_fts (rowid, text) VALUES (?, ?)',
    );
    const setUpto = db.prepare<[number]>('UPDATE messages_fts_upto SET upto = ? WHERE id = 0');
    // Immediate: the mark is read and moved under the write lock (another connection on the
    // same file may be catching up too).
    this.indexChunk = db.transaction((limit: number): number => {
      const rows = pending.all(upto.get()?.upto ?? 0, limit);
      for (const r of rows) if (r.deleted === 0) add.run(r.rid, r.text);
      const last = rows[rows.length - 1];
      if (last) setUpto.run(last.rid);
      return rows.length;
    });
  }

  /** Index every message committed since the last time (in chunks, synchronously). */
  catchUp(): void {
    while (this.indexChunk.immediate(CHUNK) === CHUNK);
  }

  /** Index new messages in the background soon (coalesced; one chunk per event-loop turn). */
  indexSoon(): void {
    if (this.timer !== null || this.stopped) return;
    const step = (): void => {
      this.timer = null;
      if (this.stopped) return;
      let full = false;
      try {
        full = this.indexChunk.immediate(CHUNK) === CHUNK;
      } catch {
        // Busy or closing: the next commit or search catches up.
        return;
      }
      if (full) this.timer = { kind: 'immediate', t: setImmediate(step) };
    };
    const t = setTimeout(step, INDEX_DELAY_MS);
    t.unref();
    this.timer = { kind: 'timeout', t };
  }

  /** Stop background indexing (the database is closing). */
  stop(): void {
    this.stopped = true;
    if (this.timer?.kind === 'timeout') clearTimeout(this.timer.t);
    else if (this.timer?.kind === 'immediate') clearImmediate(this.timer.t);
    this.timer = null;
  }

  search(q: MessageSearchQuery): MessageSearchHit[] {
    if (q.words.length === 0) return [];
    this.catchUp();
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
