/**
 * The people rules in one place: who may open a conversation with whom, what counts as a
 * message request, who sees whose presence, and the live events those decisions produce.
 * Changes are announced as signals (`policy`, `conversation`), so every process — this one
 * included — pushes them to the event streams it holds and drops its cached answers.
 */
import type { ConversationSummary, DirectoryUser, MessageRecord } from '../shared/api';
import { docNameOf } from '../shared/protocol';
import type { ConversationRow, ConversationStore } from './store/conversation-store';
import type { PeopleStore } from './store/people-store';
import type { UserRow, UserStore } from './store/user-store';
import type { Awaitable } from './store/storage';
import { normalizeEmail } from '../shared/validate';
import type { Presence } from './presence';
import type { EventHub } from './events';
import type { Signals } from './cluster/signals';

export class People {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Called when contacts, requests or blocks between two users change (rooms refresh their policy). */
  onPolicyChange: (a: string, b: string) => void = () => undefined;
  /** EDIT_WINDOW_HOURS in ms, told to clients in every summary (so they offer edits alike). */
  editWindowMs = 24 * 3600_000;

  constructor(
    readonly users: UserStore,
    readonly store: PeopleStore,
    readonly conversations: ConversationStore,
    readonly presence: Presence,
    readonly events: EventHub,
    private readonly signals: Signals,
    private readonly onError: (what: string, error: unknown) => void,
  ) {
    presence.onChange((userId) => this.background('presence', this.notifyPresence(userId)));
  }

  /** Run a push in the background: a failure (database unreachable) is logged, never thrown. */
  private background(what: string, work: Promise<unknown>): void {
    work.catch((e: unknown) => this.onError(what, e));
  }

  /** The other participant of a conversation. */
  peerOf(c: ConversationRow, self: string): string {
    return c.userA === self ? c.userB : c.userA;
  }

  /** True when `viewer` received this conversation from someone who is not (yet) accepted. */
  isRequestFor(c: ConversationRow, viewer: string): boolean {
    return !c.accepted && c.openedBy !== viewer;
  }

  /**
   * Presence, typing and receipts of `subject` are hidden from people they blocked and from
   * their pending requesters. `between` is their conversation when the caller has it read
   * already (a summary), which saves reading it again.
   */
  async canSee(viewer: string, subject: string, between?: ConversationRow): Promise<boolean> {
    if (viewer === subject) return true;
    if (await this.store.hasBlocked(subject, viewer)) return false;
    if (await this.store.areContacts(viewer, subject)) return true;
    const c = between ?? (await this.conversations.byPair(viewer, subject));
    if (c && !c.accepted && c.openedBy === viewer) return false;
    if (await this.store.requestBetween(viewer, subject)) return false;
    return true;
  }

  /**
   * The directory: a query with an `@` must be a whole e-mail address and finds that one
   * account; anything else of at least 2 characters matches display names. Never a part of an
   * address, so nobody can rebuild one by searching letter by letter. People who blocked
   * the viewer are left out.
   */
  async search(viewer: string, query: string, limit: number): Promise<UserRow[]> {
    const q = query.trim().normalize('NFC');
    let found: UserRow[];
    if (q.includes('@')) {
      const email = normalizeEmail(q);
      const u = email.ok ? await this.users.byEmail(email.value) : null;
      found = u && u.id !== viewer ? [u] : [];
    } else if (Array.from(q).length >= 2) {
      found = await this.users.searchNames(viewer, q, limit);
    } else {
      found = [];
    }
    const blocked = await Promise.all(
      found.map(async (u) => await this.store.hasBlocked(u.id, viewer)),
    );
    return found.filter((_u, i) => !blocked[i]);
  }

  async directoryUser(
    viewer: string,
    u: UserRow,
    between?: ConversationRow,
  ): Promise<DirectoryUser> {
    const visible = await this.canSee(viewer, u.id, between);
    const online = visible && this.presence.isOnline(u.id);
    return {
      id: u.id,
      displayName: u.displayName,
      online,
      lastSeen: visible && !online ? u.lastSeen : null,
    };
  }

  /** The viewer's mute of a conversation (set by the app from the push store). */
  muteOf: (userId: string, conversationId: string) => Awaitable<{ until: number | null } | null> =
    () => null;

  /**
   * `viewer`'s summary of `c`. `lastMessage` is the conversation's last message when the
   * caller read it already (the same for both participants), else it is read here.
   */
  async summary(
    c: ConversationRow,
    viewer: string,
    lastMessage?: Promise<MessageRecord | null>,
  ): Promise<ConversationSummary> {
    const [peer, last, unread, mute] = await Promise.all([
      this.users.byId(this.peerOf(c, viewer)),
      lastMessage ?? this.conversations.lastMessage(c.id),
      this.conversations.unread(c.id, viewer),
      this.muteOf(viewer, c.id),
    ]);
    if (!peer) throw new Error(`conversation ${c.id} names a missing user`);
    return {
      id: c.id,
      doc: docNameOf(c.id, c.epoch),
      epoch: c.epoch,
      peer: await this.directoryUser(viewer, peer, c),
      lastMessage: last,
      unread,
      request: this.isRequestFor(c, viewer),
      activity: Math.max(c.activity, last?.at ?? 0),
      editWindowMs: this.editWindowMs,
      muted: mute && (mute.until === null || mute.until > Date.now()) ? mute : null,
    };
  }

  /** Is the conversation in `viewer`'s list (not declined, the other person not blocked by them)? */
  private async listed(c: ConversationRow, viewer: string): Promise<boolean> {
    const [hidden, blocked] = await Promise.all([
      this.store.isHidden(c.id, viewer),
      this.store.hasBlocked(viewer, this.peerOf(c, viewer)),
    ]);
    return !hidden && !blocked;
  }

  /** The conversations a user sees in their list (not declined ones), newest activity first. */
  async listFor(viewer: string): Promise<ConversationSummary[]> {
    const all = await this.conversations.forUser(viewer);
    const shown = await Promise.all(all.map((c) => this.listed(c, viewer)));
    const summaries = await Promise.all(
      all.filter((_c, i) => shown[i]).map((c) => this.summary(c, viewer)),
    );
    return summaries.sort((a, b) => b.activity - a.activity);
  }

  /**
   * A conversation's summary changed: after a short pause (bursts coalesce), every process
   * pushes it to the participants' streams it holds (signal `conversation`).
   */
  notifyConversation(conversationId: string): void {
    if (this.pending.has(conversationId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(conversationId);
      this.signals.publish({ kind: 'conversation', conversationId });
    }, 30);
    timer.unref();
    this.pending.set(conversationId, timer);
  }

  /** Push a conversation's fresh summaries to the participants' streams held here. */
  async pushConversation(conversationId: string): Promise<void> {
    const c = await this.conversations.byId(conversationId);
    if (!c) return;
    // Read once for both participants.
    let last: Promise<MessageRecord | null> | undefined;
    for (const viewer of [c.userA, c.userB]) {
      if (!this.events.has(viewer) || !(await this.listed(c, viewer))) continue;
      last ??= Promise.resolve(this.conversations.lastMessage(c.id));
      this.events.send(viewer, {
        type: 'conversation',
        conversation: await this.summary(c, viewer, last),
      });
    }
  }

  /** Tell everyone who may see `subject` (their conversation partners and contacts) about a presence change. */
  async notifyPresence(subject: string): Promise<void> {
    const u = await this.users.byId(subject);
    if (!u) return;
    // Everyone who might care: contacts and conversation partners (only those listening get events).
    const audience = new Set<string>(await this.store.contactsOf(subject));
    for (const c of await this.conversations.forUser(subject))
      audience.add(this.peerOf(c, subject));
    for (const viewer of audience) {
      if (!this.events.has(viewer) || !(await this.canSee(viewer, subject))) continue;
      const d = await this.directoryUser(viewer, u);
      this.events.send(viewer, {
        type: 'presence',
        userId: subject,
        online: d.online,
        lastSeen: d.lastSeen,
      });
    }
  }

  /** Contacts, requests or blocks between `a` and `b` changed: tell every process (signal `policy`). */
  changed(a: string, b: string): void {
    this.signals.publish({ kind: 'policy', a, b });
  }

  /** Act on a `policy` signal here: forget cached answers, refresh rooms, push to the streams held here. */
  async policyChanged(a: string, b: string): Promise<void> {
    this.store.forget();
    this.onPolicyChange(a, b);
    this.events.send(a, { type: 'contacts' });
    this.events.send(b, { type: 'contacts' });
    const c = await this.conversations.byPair(a, b);
    if (c) {
      for (const viewer of [a, b]) {
        if (!this.events.has(viewer)) continue;
        if (await this.listed(c, viewer)) {
          this.events.send(viewer, {
            type: 'conversation',
            conversation: await this.summary(c, viewer),
          });
        } else {
          this.events.send(viewer, { type: 'conversation-removed', id: c.id });
        }
      }
    }
    await this.notifyPresence(a);
    await this.notifyPresence(b);
  }

  closeAll(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
