/** ConversationStore on better-sqlite3: conversations, the messages projection, read markers, receipts. */
import type { MessageRecord } from '../../shared/api';
import type { Db } from './database';
import { newId } from './ids';
import {
  UNREAD_CAP,
  type ConversationRow,
  type ConversationStore,
  type MessageFacts,
  type ProjectionChange,
} from './conversation-store';
import {
  MESSAGE_COLUMNS,
  attachmentsJson,
  toConversation,
  toFacts,
  toMessage,
  type RawConversation,
  type RawFacts,
  type RawMessage,
  type RawReaction,
} from './rows';

export class SqliteConversationStore implements ConversationStore {
  private readonly q;
  private readonly inReadTransaction: (read: () => unknown) => unknown;

  constructor(private readonly db: Db) {
    this.inReadTransaction = db.transaction((read: () => unknown) => read());
    this.q = {
      insert: db.prepare(
        'INSERT OR IGNORE INTO conversations (id, user_a, user_b, opened_by, created, activity, accepted) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      accept: db.prepare<[string, string]>(
        'UPDATE conversations SET accepted = 1 WHERE user_a = ? AND user_b = ?',
      ),
      byPair: db.prepare<[string, string], RawConversation>(
        'SELECT * FROM conversations WHERE user_a = ? AND user_b = ?',
      ),
      byId: db.prepare<[string], RawConversation>('SELECT * FROM conversations WHERE id = ?'),
      forUser: db.prepare<[string, string], RawConversation>(
        'SELECT * FROM conversations WHERE user_a = ? OR user_b = ? ORDER BY activity DESC',
      ),
      touch: db.prepare<[number, string, number]>(
        'UPDATE conversations SET activity = ? WHERE id = ? AND activity < ?',
      ),
      insertMessage: db.prepare(
        'INSERT OR IGNORE INTO messages (conversation_id, id, sender, text, created, stored, reply_to, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // Deleted for everyone: nothing of its content stays (the reply link and time do).
      deleteMessage: db.prepare<[string, string]>(
        "UPDATE messages SET text = '', attachments = NULL, deleted = 1 WHERE conversation_id = ? AND id = ?",
      ),
      purgeReactions: db.prepare<[string, string]>(
        'DELETE FROM message_reactions WHERE conversation_id = ? AND message_id = ?',
      ),
      // Only to a message that is there and not deleted (the validator checked the document).
      addReaction: db.prepare<[string, string, string, string, number, string, string]>(
        `INSERT INTO message_reactions (conversation_id, message_id, user_id, emoji, at)
         SELECT ?, ?, ?, ?, ? WHERE EXISTS
           (SELECT 1 FROM messages WHERE conversation_id = ? AND id = ? AND deleted = 0)
         ON CONFLICT (conversation_id, message_id, user_id, emoji) DO UPDATE SET at = excluded.at`,
      ),
      removeReaction: db.prepare<[string, string, string, string]>(
        'DELETE FROM message_reactions WHERE conversation_id = ? AND message_id = ? AND user_id = ? AND emoji = ?',
      ),
      reactionsOfOne: db.prepare<[string, string], RawReaction>(
        `SELECT message_id, user_id, emoji FROM message_reactions
         WHERE conversation_id = ? AND message_id = ? ORDER BY at, user_id`,
      ),
      reactionsOf: db.prepare<[string, string], RawReaction>(
        `SELECT message_id, user_id, emoji FROM message_reactions
         WHERE conversation_id = ? AND message_id IN (SELECT value FROM json_each(?))
         ORDER BY at, user_id`,
      ),
      editMessage: db.prepare<[string, number, string, string]>(
        'UPDATE messages SET text = ?, edited = ? WHERE conversation_id = ? AND id = ? AND deleted = 0',
      ),
      // The newest in arrival order (the document's order), not by its author's clock.
      last: db.prepare<[string], RawMessage>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND deleted = 0 ORDER BY rowid DESC LIMIT 1`,
      ),
      pageFirst: db.prepare<[string, number], RawMessage>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND deleted = 0 ORDER BY created DESC, id DESC LIMIT ?`,
      ),
      // A row-value comparison lets SQLite bound the index range: constant cost at any depth.
      pageBefore: db.prepare<[string, number, string, number], RawMessage>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND (created, id) < (?, ?) AND deleted = 0
         ORDER BY created DESC, id DESC LIMIT ?`,
      ),
      // A read marker only moves forward (in arrival order at the server).
      setRead: db.prepare(
        `INSERT INTO read_markers (conversation_id, user_id, up_to, up_to_seq, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET up_to = excluded.up_to, up_to_seq = excluded.up_to_seq, at = excluded.at
         WHERE excluded.up_to_seq >= read_markers.up_to_seq`,
      ),
      messageSeq: db.prepare<[string, string], { seq: number }>(
        'SELECT rowid AS seq FROM messages WHERE conversation_id = ? AND id = ?',
      ),
      // Unread: the other person's messages that reached the server after the reader's marker.
      getReceived: db.prepare<[string], { user_id: string; sv: Buffer }>(
        'SELECT user_id, sv FROM doc_received WHERE doc = ?',
      ),
      setReceived: db.prepare<[string, string, Uint8Array]>(
        'INSERT INTO doc_received (doc, user_id, sv) VALUES (?, ?, ?) ON CONFLICT (doc, user_id) DO UPDATE SET sv = excluded.sv',
      ),
      // Recount (capped: a badge shows "999+" at most) after a read marker moves or a delete.
      recount: db.prepare<[string, string, string], { n: number }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM messages m WHERE m.conversation_id = ? AND m.deleted = 0 AND m.sender != ?
         AND m.rowid > coalesce((SELECT up_to_seq FROM read_markers r WHERE r.conversation_id = m.conversation_id AND r.user_id = ?), 0)
         LIMIT ${UNREAD_CAP})`,
      ),
      setUnread: db.prepare<[string, string, number]>(
        `INSERT INTO unread_counts (conversation_id, user_id, n) VALUES (?, ?, ?)
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET n = excluded.n`,
      ),
      addUnread: db.prepare<[string, string, number]>(
        `INSERT INTO unread_counts (conversation_id, user_id, n) VALUES (?, ?, min(?, ${UNREAD_CAP}))
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET n = min(n + excluded.n, ${UNREAD_CAP})`,
      ),
      unread: db.prepare<[string, string], { n: number }>(
        'SELECT n FROM unread_counts WHERE conversation_id = ? AND user_id = ?',
      ),
      seal: db.prepare<[string, number]>(
        'UPDATE conversations SET epoch = epoch + 1 WHERE id = ? AND epoch = ?',
      ),
      // Covered by the primary key's index: one B-tree descent, no table row.
      exists: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM messages WHERE conversation_id = ? AND id = ?',
      ),
      facts: db.prepare<[string], RawFacts>(
        'SELECT id, sender, created, stored FROM messages WHERE conversation_id = ?',
      ),
      factsOf: db.prepare<[string, string], RawFacts>(
        'SELECT id, sender, created, stored FROM messages WHERE conversation_id = ? AND id = ?',
      ),
      senderOf: db.prepare<[string, string], { sender: string }>(
        'SELECT sender FROM messages WHERE conversation_id = ? AND id = ?',
      ),
    };
  }

  /**
   * Run `read` in one read transaction: its statements share one snapshot and one WAL read
   * lock instead of taking and releasing it each (≈2 µs per statement saved).
   */
  readTogether<T>(read: () => T): T {
    return this.inReadTransaction(read) as T;
  }

  /** The pair's conversation, created when missing; the same id from either side, even concurrently. */
  openPair(
    self: string,
    peer: string,
    accepted: boolean,
  ): { conversation: ConversationRow; created: boolean } {
    const [a, b] = self < peer ? [self, peer] : [peer, self];
    const now = Date.now();
    const info = this.q.insert.run(newId('c'), a, b, self, now, now, accepted ? 1 : 0);
    const row = this.q.byPair.get(a, b);
    if (!row) throw new Error('conversation vanished after insert');
    return { conversation: toConversation(row), created: info.changes === 1 };
  }

  /** Mark the pair's conversation (if any) as accepted: no longer a message request. */
  acceptPair(x: string, y: string): void {
    const [a, b] = x < y ? [x, y] : [y, x];
    this.q.accept.run(a, b);
  }

  byPair(x: string, y: string): ConversationRow | null {
    const [a, b] = x < y ? [x, y] : [y, x];
    const r = this.q.byPair.get(a, b);
    return r ? toConversation(r) : null;
  }

  byId(id: string): ConversationRow | null {
    const r = this.q.byId.get(id);
    return r ? toConversation(r) : null;
  }

  forUser(userId: string): ConversationRow[] {
    return this.q.forUser.all(userId, userId).map(toConversation);
  }

  /** Apply what an accepted update changed to the projection, in one transaction. */
  applyProjection(
    conversationId: string,
    participants: readonly [string, string],
    change: ProjectionChange,
  ): void {
    this.db.transaction(() => {
      let latest = 0;
      for (const m of change.added) {
        this.q.insertMessage.run(
          conversationId,
          m.id,
          m.from,
          m.text,
          m.at,
          m.stored,
          m.replyTo ?? null,
          attachmentsJson(m.attachments),
        );
        latest = Math.max(latest, m.at);
      }
      for (const e of change.edited) this.q.editMessage.run(e.text, e.at, conversationId, e.id);
      for (const r of change.reactionsRemoved ?? [])
        this.q.removeReaction.run(conversationId, r.messageId, r.userId, r.emoji);
      for (const r of change.reactionsAdded ?? [])
        this.q.addReaction.run(
          conversationId,
          r.messageId,
          r.userId,
          r.emoji,
          r.at,
          conversationId,
          r.messageId,
        );
      // Last: an edit or reaction in the same update as the deletion must not survive it.
      for (const id of change.deleted) {
        this.q.deleteMessage.run(conversationId, id);
        this.q.purgeReactions.run(conversationId, id);
      }
      for (const r of change.reads) {
        const seq = this.q.messageSeq.get(conversationId, r.upTo)?.seq;
        if (seq !== undefined) this.q.setRead.run(conversationId, r.userId, r.upTo, seq, r.at);
      }
      // Unread counts: new messages add to the other participant's; a moved read marker or a
      // delete recounts (bounded by the cap).
      const recount = new Set<string>(change.reads.map((r) => r.userId));
      if (change.deleted.length > 0) for (const p of participants) recount.add(p);
      for (const p of participants) {
        if (recount.has(p)) continue;
        const n = change.added.filter((m) => m.from !== p).length;
        if (n > 0) this.q.addUnread.run(conversationId, p, n);
      }
      for (const p of recount)
        this.q.setUnread.run(conversationId, p, this.q.recount.get(conversationId, p, p)?.n ?? 0);
      if (latest > 0) this.q.touch.run(Math.max(latest, Date.now()), conversationId, latest);
    })();
  }

  markRead(
    conversationId: string,
    participants: readonly [string, string],
    userId: string,
    upTo: string,
    at: number,
  ): void {
    this.applyProjection(conversationId, participants, {
      added: [],
      deleted: [],
      edited: [],
      reads: [{ userId, upTo, at }],
    });
  }

  /** The state vectors each participant's device last reported holding (type 101), per user. */
  received(doc: string): Map<string, Uint8Array> {
    return new Map(this.q.getReceived.all(doc).map((r) => [r.user_id, new Uint8Array(r.sv)]));
  }

  setReceived(doc: string, userId: string, sv: Uint8Array): void {
    this.q.setReceived.run(doc, userId, sv);
  }

  /**
   * Seal the live document of `epoch`: the conversation's next epoch becomes the live one.
   * Returns the live epoch afterwards (unchanged when `epoch` was not the live one).
   */
  sealEpoch(conversationId: string, epoch: number): number {
    this.q.seal.run(conversationId, epoch);
    return this.q.byId.get(conversationId)?.epoch ?? epoch;
  }

  /** True when the conversation's projection has a message with this id (any epoch). */
  hasMessage(conversationId: string, messageId: string): boolean {
    return this.q.exists.get(conversationId, messageId) !== undefined;
  }

  /** The author of a message in the projection, or undefined when there is none. */
  senderOf(conversationId: string, messageId: string): string | undefined {
    return this.q.senderOf.get(conversationId, messageId)?.sender;
  }

  readonly messageFactsNow = (
    conversationId: string,
    messageId: string,
  ): MessageFacts | undefined => {
    const r = this.q.factsOf.get(conversationId, messageId);
    return r ? toFacts(r) : undefined;
  };

  messageFactsOf(conversationId: string): Map<string, MessageFacts> {
    return new Map(this.q.facts.all(conversationId).map((r) => [r.id, toFacts(r)]));
  }

  lastMessage(conversationId: string): MessageRecord | null {
    const r = this.q.last.get(conversationId);
    // One message: an index lookup, not the JSON list of `withReactions` (every summary asks).
    return r ? toMessage(r, this.q.reactionsOfOne.all(conversationId, r.id)) : null;
  }

  /** Rows as records, each with its reactions (one query for the lot). */
  private withReactions(conversationId: string, rows: RawMessage[]): MessageRecord[] {
    if (rows.length === 0) return [];
    const reactions = this.q.reactionsOf.all(conversationId, JSON.stringify(rows.map((r) => r.id)));
    return rows.map((r) => toMessage(r, reactions));
  }

  unread(conversationId: string, userId: string): number {
    return this.q.unread.get(conversationId, userId)?.n ?? 0;
  }

  /** Newest first; `before` is the cursor returned as `next` by the previous page. */
  page(
    conversationId: string,
    before: { at: number; id: string } | null,
    limit: number,
  ): MessageRecord[] {
    const rows = before
      ? this.q.pageBefore.all(conversationId, before.at, before.id, limit)
      : this.q.pageFirst.all(conversationId, limit);
    return this.withReactions(conversationId, rows);
  }
}
