/**
 * PeopleStore on PostgreSQL: contacts, contact requests, blocks, declined conversations.
 * Other processes change these rows: the three questions asked for every message (privacy
 * settings, "has blocked", "are contacts") are cached briefly (`AnswerCache`: dropped on
 * every change here and on every `policy` or `privacy` signal, kept `ANSWER_TTL_MS` at
 * most); everything else is asked of the database.
 */
import type pg from 'pg';
import { DEFAULT_PRIVACY, type PrivacySettings } from '../../../shared/api';
import { newId } from '../ids';
import type { ContactRequestRow, PeopleStore } from '../people-store';
import { first, rows, run, statement, type Statement } from './pool';
import { toPrivacy, toRequest, type RawPrivacy, type RawRequest } from '../rows';
import { AnswerCache } from './answer-cache';

/** How long a cached answer lives when no signal dropped it (a lost signal heals by then). */
export const ANSWER_TTL_MS = 5_000;

const BETWEEN = (a: string, b: string, x: string, y: string): string =>
  `((${a} = ${x} AND ${b} = ${y}) OR (${a} = ${y} AND ${b} = ${x}))`;

// Multi-row changes are one statement each (data-modifying CTEs): atomic without BEGIN/COMMIT
// round trips.
const q = {
  contacts: statement('SELECT contact_id FROM contacts WHERE user_id = $1 ORDER BY created'),
  isContact: statement(
    'SELECT EXISTS (SELECT 1 FROM contacts WHERE user_id = $1 AND contact_id = $2) AS yes',
  ),
  connect: statement(
    `WITH added AS (
       INSERT INTO contacts (user_id, contact_id, created) VALUES ($1, $2, $3), ($2, $1, $3)
       ON CONFLICT DO NOTHING
     )
     DELETE FROM contact_requests WHERE ${BETWEEN('from_user', 'to_user', '$1', '$2')}`,
  ),
  disconnect: statement(
    `DELETE FROM contacts WHERE ${BETWEEN('user_id', 'contact_id', '$1', '$2')}`,
  ),
  // The request as inserted, or the existing one (one snapshot: see `request`).
  request: statement(
    `WITH ins AS (
       INSERT INTO contact_requests (id, from_user, to_user, created) VALUES ($1, $2, $3, $4)
       ON CONFLICT (from_user, to_user) DO NOTHING RETURNING *
     )
     SELECT * FROM ins
     UNION ALL SELECT * FROM contact_requests WHERE from_user = $2 AND to_user = $3`,
  ),
  requestByPair: statement('SELECT * FROM contact_requests WHERE from_user = $1 AND to_user = $2'),
  requestById: statement('SELECT * FROM contact_requests WHERE id = $1'),
  incoming: statement('SELECT * FROM contact_requests WHERE to_user = $1 ORDER BY created DESC'),
  outgoing: statement('SELECT * FROM contact_requests WHERE from_user = $1 ORDER BY created DESC'),
  deleteRequest: statement('DELETE FROM contact_requests WHERE id = $1'),
  block: statement(
    `WITH b AS (
       INSERT INTO blocks (blocker, blocked, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
     ), c AS (
       DELETE FROM contacts WHERE ${BETWEEN('user_id', 'contact_id', '$1', '$2')}
     )
     DELETE FROM contact_requests WHERE ${BETWEEN('from_user', 'to_user', '$1', '$2')}`,
  ),
  unblock: statement('DELETE FROM blocks WHERE blocker = $1 AND blocked = $2'),
  blocked: statement('SELECT blocked FROM blocks WHERE blocker = $1 ORDER BY created'),
  hasBlocked: statement(
    'SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker = $1 AND blocked = $2) AS yes',
  ),
  blockedBetween: statement(
    `SELECT EXISTS (SELECT 1 FROM blocks WHERE ${BETWEEN('blocker', 'blocked', '$1', '$2')}) AS yes`,
  ),
  hide: statement(
    'INSERT INTO conversation_hidden (conversation_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
  ),
  unhide: statement('DELETE FROM conversation_hidden WHERE conversation_id = $1'),
  anyHidden: statement(
    'SELECT EXISTS (SELECT 1 FROM conversation_hidden WHERE conversation_id = $1) AS yes',
  ),
  isHidden: statement(
    'SELECT EXISTS (SELECT 1 FROM conversation_hidden WHERE conversation_id = $1 AND user_id = $2) AS yes',
  ),
  privacy: statement(
    'SELECT read_receipts, last_seen, typing, discoverable FROM privacy_settings WHERE user_id = $1',
  ),
  setPrivacy: statement(
    `INSERT INTO privacy_settings (user_id, read_receipts, last_seen, typing, discoverable) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id) DO UPDATE SET read_receipts = excluded.read_receipts, last_seen = excluded.last_seen,
     typing = excluded.typing, discoverable = excluded.discoverable`,
  ),
};

export class PgPeopleStore implements PeopleStore {
  private readonly answers = new AnswerCache<boolean>(ANSWER_TTL_MS);
  private readonly privacy = new AnswerCache<PrivacySettings>(ANSWER_TTL_MS);

  constructor(private readonly pool: pg.Pool) {}

  private async ask(s: Statement, values: unknown[]): Promise<boolean> {
    return (await first<{ yes: boolean }>(this.pool, s, values))?.yes === true;
  }

  async contactsOf(userId: string): Promise<string[]> {
    return (await rows<{ contact_id: string }>(this.pool, q.contacts, [userId])).map(
      (r) => r.contact_id,
    );
  }

  areContacts(a: string, b: string): Promise<boolean> {
    return this.answers.get(`c ${a} ${b}`, () => this.ask(q.isContact, [a, b]));
  }

  /** Make `a` and `b` contacts and drop any requests between them. */
  async connect(a: string, b: string): Promise<void> {
    this.forget();
    await run(this.pool, q.connect, [a, b, Date.now()]);
    // Again after the write: a question asked meanwhile may have cached the old answer.
    this.forget();
  }

  async disconnect(a: string, b: string): Promise<void> {
    this.forget();
    await run(this.pool, q.disconnect, [a, b]);
    // Again after the write: a question asked meanwhile may have cached the old answer.
    this.forget();
  }

  /** The pending request from `from` to `to`, created when missing. */
  async request(from: string, to: string): Promise<ContactRequestRow> {
    const r =
      (await first<RawRequest>(this.pool, q.request, [newId('r'), from, to, Date.now()])) ??
      // Inserted by another process after this statement's snapshot: visible to the next one.
      (await first<RawRequest>(this.pool, q.requestByPair, [from, to]));
    if (!r) throw new Error('request vanished after insert');
    return toRequest(r);
  }

  async requestBetween(from: string, to: string): Promise<ContactRequestRow | null> {
    const r = await first<RawRequest>(this.pool, q.requestByPair, [from, to]);
    return r ? toRequest(r) : null;
  }

  async requestById(id: string): Promise<ContactRequestRow | null> {
    const r = await first<RawRequest>(this.pool, q.requestById, [id]);
    return r ? toRequest(r) : null;
  }

  async incoming(userId: string): Promise<ContactRequestRow[]> {
    return (await rows<RawRequest>(this.pool, q.incoming, [userId])).map(toRequest);
  }

  async outgoing(userId: string): Promise<ContactRequestRow[]> {
    return (await rows<RawRequest>(this.pool, q.outgoing, [userId])).map(toRequest);
  }

  async deleteRequest(id: string): Promise<void> {
    await run(this.pool, q.deleteRequest, [id]);
  }

  /** Block: also ends the contact and any requests between the two. */
  async block(blocker: string, blocked: string): Promise<void> {
    this.forget();
    await run(this.pool, q.block, [blocker, blocked, Date.now()]);
    // Again after the write: a question asked meanwhile may have cached the old answer.
    this.forget();
  }

  async unblock(blocker: string, blocked: string): Promise<void> {
    this.forget();
    await run(this.pool, q.unblock, [blocker, blocked]);
    // Again after the write: a question asked meanwhile may have cached the old answer.
    this.forget();
  }

  async blockedBy(userId: string): Promise<string[]> {
    return (await rows<{ blocked: string }>(this.pool, q.blocked, [userId])).map((r) => r.blocked);
  }

  /** True when either has blocked the other. */
  blockedBetween(a: string, b: string): Promise<boolean> {
    return this.ask(q.blockedBetween, [a, b]);
  }

  hasBlocked(blocker: string, blocked: string): Promise<boolean> {
    return this.answers.get(`b ${blocker} ${blocked}`, () =>
      this.ask(q.hasBlocked, [blocker, blocked]),
    );
  }

  async hideConversation(conversationId: string, userId: string): Promise<void> {
    await run(this.pool, q.hide, [conversationId, userId]);
  }

  /** New activity brings a declined conversation back. */
  async unhideConversation(conversationId: string): Promise<void> {
    await run(this.pool, q.unhide, [conversationId]);
  }

  anyHidden(conversationId: string): Promise<boolean> {
    return this.ask(q.anyHidden, [conversationId]);
  }

  isHidden(conversationId: string, userId: string): Promise<boolean> {
    return this.ask(q.isHidden, [conversationId, userId]);
  }

  async privacyOf(userId: string): Promise<PrivacySettings> {
    const hit = await this.privacy.get(userId, async () => {
      const r = await first<RawPrivacy>(this.pool, q.privacy, [userId]);
      return r ? toPrivacy(r) : DEFAULT_PRIVACY;
    });
    return { ...hit };
  }

  async setPrivacy(userId: string, s: PrivacySettings): Promise<void> {
    this.forget();
    await run(this.pool, q.setPrivacy, [
      userId,
      s.readReceipts,
      s.lastSeen,
      s.typing,
      s.discoverableByEmail,
    ]);
    // Again after the write: a question asked meanwhile may have cached the old answer.
    this.forget();
  }

  forget(): void {
    this.answers.clear();
    this.privacy.clear();
  }
}
