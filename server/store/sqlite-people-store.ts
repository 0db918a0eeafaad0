/** PeopleStore on better-sqlite3: contacts, contact requests, blocks, declined conversations. */
import { DEFAULT_PRIVACY, type PrivacySettings } from '../../shared/api';
import type { Db } from './database';
import { newId } from './ids';
import type { ContactRequestRow, PeopleStore } from './people-store';
import { toPrivacy, toRequest, type RawPrivacy, type RawRequest } from './rows';

export class SqlitePeopleStore implements PeopleStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      contacts: db.prepare<[string], { contact_id: string }>(
        'SELECT contact_id FROM contacts WHERE user_id = ? ORDER BY created',
      ),
      isContact: db.prepare<[string, string], { n: number }>(
        'SELECT 1 AS n FROM contacts WHERE user_id = ? AND contact_id = ?',
      ),
      addContact: db.prepare(
        'INSERT OR IGNORE INTO contacts (user_id, contact_id, created) VALUES (?, ?, ?)',
      ),
      removeContact: db.prepare<[string, string]>(
        'DELETE FROM contacts WHERE user_id = ? AND contact_id = ?',
      ),
      insertRequest: db.prepare(
        'INSERT OR IGNORE INTO contact_requests (id, from_user, to_user, created) VALUES (?, ?, ?, ?)',
      ),
      requestByPair: db.prepare<[string, string], RawRequest>(
        'SELECT * FROM contact_requests WHERE from_user = ? AND to_user = ?',
      ),
      requestById: db.prepare<[string], RawRequest>('SELECT * FROM contact_requests WHERE id = ?'),
      incoming: db.prepare<[string], RawRequest>(
        'SELECT * FROM contact_requests WHERE to_user = ? ORDER BY created DESC',
      ),
      outgoing: db.prepare<[string], RawRequest>(
        'SELECT * FROM contact_requests WHERE from_user = ? ORDER BY created DESC',
      ),
      deleteRequest: db.prepare<[string]>('DELETE FROM contact_requests WHERE id = ?'),
      deleteRequestsBetween: db.prepare<[string, string, string, string]>(
        'DELETE FROM contact_requests WHERE (from_user = ? AND to_user = ?) OR (from_user = ? AND to_user = ?)',
      ),
      block: db.prepare(
        'INSERT OR IGNORE INTO blocks (blocker, blocked, created) VALUES (?, ?, ?)',
      ),
      unblock: db.prepare<[string, string]>('DELETE FROM blocks WHERE blocker = ? AND blocked = ?'),
      blocked: db.prepare<[string], { blocked: string }>(
        'SELECT blocked FROM blocks WHERE blocker = ? ORDER BY created',
      ),
      hasBlocked: db.prepare<[string, string], { n: number }>(
        'SELECT 1 AS n FROM blocks WHERE blocker = ? AND blocked = ?',
      ),
      hide: db.prepare(
        'INSERT OR IGNORE INTO conversation_hidden (conversation_id, user_id) VALUES (?, ?)',
      ),
      unhide: db.prepare<[string]>('DELETE FROM conversation_hidden WHERE conversation_id = ?'),
      anyHidden: db.prepare<[string], { n: number }>(
        'SELECT 1 AS n FROM conversation_hidden WHERE conversation_id = ? LIMIT 1',
      ),
      isHidden: db.prepare<[string, string], { n: number }>(
        'SELECT 1 AS n FROM conversation_hidden WHERE conversation_id = ? AND user_id = ?',
      ),
      privacy: db.prepare<[string], RawPrivacy>(
        'SELECT read_receipts, last_seen, typing, discoverable FROM privacy_settings WHERE user_id = ?',
      ),
      setPrivacy: db.prepare(
        `INSERT INTO privacy_settings (user_id, read_receipts, last_seen, typing, discoverable) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET read_receipts = excluded.read_receipts, last_seen = excluded.last_seen,
         typing = excluded.typing, discoverable = excluded.discoverable`,
      ),
    };
  }

  contactsOf(userId: string): string[] {
    return this.q.contacts.all(userId).map((r) => r.contact_id);
  }

  /**
   * Answers of the yes/no questions below (asked for every message and presence change),
   * dropped on every change made through this store, which makes all of them.
   */
  private readonly memo = new Map<string, boolean>();
  private readonly requestMemo = new Map<string, ContactRequestRow | null>();
  private readonly privacyMemo = new Map<string, PrivacySettings>();

  private cached(key: string, ask: () => boolean): boolean {
    return remember(this.memo, key, ask);
  }

  private changed(): void {
    this.memo.clear();
    this.requestMemo.clear();
    this.privacyMemo.clear();
  }

  forget(): void {
    this.changed();
  }

  areContacts(a: string, b: string): boolean {
    return this.cached(`c ${a} ${b}`, () => this.q.isContact.get(a, b) !== undefined);
  }

  /** Make `a` and `b` contacts and drop any requests between them. */
  connect(a: string, b: string): void {
    this.changed();
    this.db.transaction(() => {
      const now = Date.now();
      this.q.addContact.run(a, b, now);
      this.q.addContact.run(b, a, now);
      this.q.deleteRequestsBetween.run(a, b, b, a);
    })();
  }

  disconnect(a: string, b: string): void {
    this.changed();
    this.db.transaction(() => {
      this.q.removeContact.run(a, b);
      this.q.removeContact.run(b, a);
    })();
  }

  /** The pending request from `from` to `to`, created when missing. */
  request(from: string, to: string): ContactRequestRow {
    this.changed();
    this.q.insertRequest.run(newId('r'), from, to, Date.now());
    const r = this.q.requestByPair.get(from, to);
    if (!r) throw new Error('request vanished after insert');
    return toRequest(r);
  }

  requestBetween(from: string, to: string): ContactRequestRow | null {
    const hit = remember(this.requestMemo, `${from} ${to}`, () => {
      const r = this.q.requestByPair.get(from, to);
      return r ? toRequest(r) : null;
    });
    return hit ? { ...hit } : null;
  }

  requestById(id: string): ContactRequestRow | null {
    const r = this.q.requestById.get(id);
    return r ? toRequest(r) : null;
  }

  incoming(userId: string): ContactRequestRow[] {
    return this.q.incoming.all(userId).map(toRequest);
  }

  outgoing(userId: string): ContactRequestRow[] {
    return this.q.outgoing.all(userId).map(toRequest);
  }

  deleteRequest(id: string): void {
    this.changed();
    this.q.deleteRequest.run(id);
  }

  /** Block: also ends the contact and any requests between the two. */
  block(blocker: string, blocked: string): void {
    this.changed();
    this.db.transaction(() => {
      this.q.block.run(blocker, blocked, Date.now());
      this.q.removeContact.run(blocker, blocked);
      this.q.removeContact.run(blocked, blocker);
      this.q.deleteRequestsBetween.run(blocker, blocked, blocked, blocker);
    })();
  }

  unblock(blocker: string, blocked: string): void {
    this.changed();
    this.q.unblock.run(blocker, blocked);
  }

  blockedBy(userId: string): string[] {
    return this.q.blocked.all(userId).map((r) => r.blocked);
  }

  /** True when either has blocked the other. */
  blockedBetween(a: string, b: string): boolean {
    return this.hasBlocked(a, b) || this.hasBlocked(b, a);
  }

  hasBlocked(blocker: string, blocked: string): boolean {
    return this.cached(
      `b ${blocker} ${blocked}`,
      () => this.q.hasBlocked.get(blocker, blocked) !== undefined,
    );
  }

  hideConversation(conversationId: string, userId: string): void {
    this.changed();
    this.q.hide.run(conversationId, userId);
  }

  /** New activity brings a declined conversation back. */
  unhideConversation(conversationId: string): void {
    this.changed();
    this.q.unhide.run(conversationId);
  }

  /** True when someone declined (hid) this conversation. */
  anyHidden(conversationId: string): boolean {
    return this.cached(
      `H ${conversationId}`,
      () => this.q.anyHidden.get(conversationId) !== undefined,
    );
  }

  isHidden(conversationId: string, userId: string): boolean {
    return this.cached(
      `h ${conversationId} ${userId}`,
      () => this.q.isHidden.get(conversationId, userId) !== undefined,
    );
  }

  privacyOf(userId: string): PrivacySettings {
    const hit = remember(this.privacyMemo, userId, () => {
      const r = this.q.privacy.get(userId);
      return r ? toPrivacy(r) : DEFAULT_PRIVACY;
    });
    return { ...hit };
  }

  setPrivacy(userId: string, s: PrivacySettings): void {
    this.changed();
    this.q.setPrivacy.run(
      userId,
      s.readReceipts ? 1 : 0,
      s.lastSeen,
      s.typing ? 1 : 0,
      s.discoverableByEmail ? 1 : 0,
    );
  }
}

/** `map`'s answer for `key`, asked once; the map is emptied when it holds 100,000 answers. */
function remember<V>(map: Map<string, V>, key: string, ask: () => V): V {
  if (map.has(key)) return map.get(key) as V;
  if (map.size >= 100_000) map.clear();
  const v = ask();
  map.set(key, v);
  return v;
}
