/**
 * ConversationStore on PostgreSQL: conversations, epochs, receipts and the reads of the
 * messages projection (written by `PgStorage.commit`, see doc-write.ts).
 */
import type pg from 'pg';
import type { MessageRecord } from '../../../shared/api';
import type { ConversationRow, ConversationStore, MessageFacts } from '../conversation-store';
import { newId } from '../ids';
import { markReadOutsideDoc } from './doc-write';
import { bytes, first, rows, run, statement } from './pool';
import {
  MESSAGE_COLUMNS,
  toConversation,
  toFacts,
  toMessage,
  type RawConversation,
  type RawFacts,
  type RawMessage,
  type RawReaction,
} from '../rows';

const CONVERSATION = 'id, user_a, user_b, opened_by, created, activity, accepted, epoch';
const MESSAGE = MESSAGE_COLUMNS;

const q = {
  // Insert or find in one statement. Its two halves share one snapshot, so exactly one
  // returns the row, unless another process inserted it after the snapshot (see openPair).
  open: statement(
    `WITH ins AS (
       INSERT INTO conversations (id, user_a, user_b, opened_by, created, activity, accepted)
       VALUES ($1, $2, $3, $4, $5, $5, $6)
       ON CONFLICT (user_a, user_b) DO NOTHING RETURNING ${CONVERSATION}
     )
     SELECT true AS fresh, * FROM ins
     UNION ALL SELECT false, ${CONVERSATION} FROM conversations WHERE user_a = $2 AND user_b = $3`,
  ),
  accept: statement('UPDATE conversations SET accepted = true WHERE user_a = $1 AND user_b = $2'),
  byPair: statement(`SELECT ${CONVERSATION} FROM conversations WHERE user_a = $1 AND user_b = $2`),
  byId: statement(`SELECT ${CONVERSATION} FROM conversations WHERE id = $1`),
  forUser: statement(
    `SELECT ${CONVERSATION} FROM conversations WHERE user_a = $1 OR user_b = $1
     ORDER BY activity DESC`,
  ),
  getReceived: statement('SELECT user_id, sv FROM doc_received WHERE doc = $1'),
  setReceived: statement(
    `INSERT INTO doc_received (doc, user_id, sv) VALUES ($1, $2, $3)
     ON CONFLICT (doc, user_id) DO UPDATE SET sv = excluded.sv`,
  ),
  seal: statement(
    'UPDATE conversations SET epoch = epoch + 1 WHERE id = $1 AND epoch = $2 RETURNING epoch',
  ),
  epoch: statement('SELECT epoch FROM conversations WHERE id = $1'),
  senderOf: statement('SELECT sender FROM messages WHERE conversation_id = $1 AND id = $2'),
  facts: statement('SELECT id, sender, created, stored FROM messages WHERE conversation_id = $1'),
  reactionsOf: statement(
    `SELECT message_id, user_id, emoji FROM message_reactions
     WHERE conversation_id = $1 AND message_id = ANY ($2::text[]) ORDER BY at, user_id`,
  ),
  // The newest in arrival order (the document's order), not by its author's clock.
  last: statement(
    `SELECT ${MESSAGE} FROM messages WHERE conversation_id = $1 AND NOT deleted
     ORDER BY seq DESC LIMIT 1`,
  ),
  unread: statement('SELECT n FROM unread_counts WHERE conversation_id = $1 AND user_id = $2'),
  pageFirst: statement(
    `SELECT ${MESSAGE} FROM messages WHERE conversation_id = $1 AND NOT deleted
     ORDER BY created DESC, id DESC LIMIT $2`,
  ),
  // A row-value comparison bounds the index range: constant cost at any depth.
  pageBefore: statement(
    `SELECT ${MESSAGE} FROM messages
     WHERE conversation_id = $1 AND (created, id) < ($2, $3) AND NOT deleted
     ORDER BY created DESC, id DESC LIMIT $4`,
  ),
};

const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

export class PgConversationStore implements ConversationStore {
  constructor(private readonly pool: pg.Pool) {}

  async markRead(
    conversationId: string,
    _participants: readonly [string, string],
    userId: string,
    upTo: string,
    at: number,
  ): Promise<void> {
    await markReadOutsideDoc(this.pool, conversationId, userId, upTo, at);
  }

  /** The pair's conversation, created when missing; the same id from either side, even concurrently. */
  async openPair(
    self: string,
    peer: string,
    accepted: boolean,
  ): Promise<{ conversation: ConversationRow; created: boolean }> {
    const [a, b] = ordered(self, peer);
    const r = await first<RawConversation & { fresh: boolean }>(this.pool, q.open, [
      newId('c'),
      a,
      b,
      self,
      Date.now(),
      accepted,
    ]);
    if (r) return { conversation: toConversation(r), created: r.fresh };
    // Another process inserted the pair after this statement's snapshot: the insert waited
    // for it and did nothing; the next statement sees its row.
    const other = await first<RawConversation>(this.pool, q.byPair, [a, b]);
    if (!other) throw new Error('conversation vanished after insert');
    return { conversation: toConversation(other), created: false };
  }

  /** Mark the pair's conversation (if any) as accepted: no longer a message request. */
  async acceptPair(x: string, y: string): Promise<void> {
    await run(this.pool, q.accept, ordered(x, y));
  }

  async byPair(x: string, y: string): Promise<ConversationRow | null> {
    const r = await first<RawConversation>(this.pool, q.byPair, ordered(x, y));
    return r ? toConversation(r) : null;
  }

  async byId(id: string): Promise<ConversationRow | null> {
    const r = await first<RawConversation>(this.pool, q.byId, [id]);
    return r ? toConversation(r) : null;
  }

  async forUser(userId: string): Promise<ConversationRow[]> {
    return (await rows<RawConversation>(this.pool, q.forUser, [userId])).map(toConversation);
  }

  /** The state vectors each participant's device last reported holding (type 101), per user. */
  async received(doc: string): Promise<Map<string, Uint8Array>> {
    const all = await rows<{ user_id: string; sv: Buffer }>(this.pool, q.getReceived, [doc]);
    return new Map(all.map((r) => [r.user_id, bytes(r.sv)]));
  }

  async setReceived(doc: string, userId: string, sv: Uint8Array): Promise<void> {
    await run(this.pool, q.setReceived, [doc, userId, sv]);
  }

  /**
   * Seal the live document of `epoch`: one conditional UPDATE, so of two processes racing
   * exactly one moves the epoch. The loser's UPDATE waited for the winner's commit, so its
   * follow-up read (a new snapshot) sees the winner's epoch.
   */
  async sealEpoch(conversationId: string, epoch: number): Promise<number> {
    const sealed = await first<{ epoch: number }>(this.pool, q.seal, [conversationId, epoch]);
    if (sealed) return sealed.epoch;
    return (await first<{ epoch: number }>(this.pool, q.epoch, [conversationId]))?.epoch ?? epoch;
  }

  /** The author of a message in the projection, or undefined when there is none. */
  async senderOf(conversationId: string, messageId: string): Promise<string | undefined> {
    return (await first<{ sender: string }>(this.pool, q.senderOf, [conversationId, messageId]))
      ?.sender;
  }

  /** Every message of the conversation and its facts (rooms preload it: no `messageFactsNow`). */
  async messageFactsOf(conversationId: string): Promise<Map<string, MessageFacts>> {
    const all = await rows<RawFacts>(this.pool, q.facts, [conversationId]);
    return new Map(all.map((r) => [r.id, toFacts(r)]));
  }

  async lastMessage(conversationId: string): Promise<MessageRecord | null> {
    const r = await first<RawMessage>(this.pool, q.last, [conversationId]);
    return r ? ((await this.withReactions(conversationId, [r]))[0] ?? null) : null;
  }

  /** Rows as records, each with its reactions (one query for the lot). */
  private async withReactions(conversationId: string, all: RawMessage[]): Promise<MessageRecord[]> {
    if (all.length === 0) return [];
    const reactions = await rows<RawReaction>(this.pool, q.reactionsOf, [
      conversationId,
      all.map((r) => r.id),
    ]);
    return all.map((r) => toMessage(r, reactions));
  }

  async unread(conversationId: string, userId: string): Promise<number> {
    return (await first<{ n: number }>(this.pool, q.unread, [conversationId, userId]))?.n ?? 0;
  }

  /** Newest first; `before` is the cursor returned as `next` by the previous page. */
  async page(
    conversationId: string,
    before: { at: number; id: string } | null,
    limit: number,
  ): Promise<MessageRecord[]> {
    const all = before
      ? await rows<RawMessage>(this.pool, q.pageBefore, [
          conversationId,
          before.at,
          before.id,
          limit,
        ])
      : await rows<RawMessage>(this.pool, q.pageFirst, [conversationId, limit]);
    return this.withReactions(conversationId, all);
  }
}
