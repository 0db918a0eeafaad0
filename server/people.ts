/**
 * The people rules in one place: who may open a conversation with whom, what counts as a
 * message request, who sees whose presence, and the live events those decisions produce.
 */
import type { ConversationSummary, DirectoryUser } from '../shared/api';
import { docNameOf } from '../shared/protocol';
import type { ConversationRow, ConversationStore } from './store/conversation-store';
import type { PeopleStore } from './store/people-store';
import type { UserRow, UserStore } from './store/user-store';
import { normalizeEmail } from '../shared/validate';
import type { Presence } from './presence';
import type { EventHub } from './events';

export class People {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Called when contacts, requests or blocks between two users change (rooms refresh their policy). */
  onPolicyChange: (a: string, b: string) => void = () => undefined;

  constructor(
    readonly users: UserStore,
    readonly store: PeopleStore,
    readonly conversations: ConversationStore,
    readonly presence: Presence,
    readonly events: EventHub,
  ) {
    presence.onChange((userId) => this.notifyPresence(userId));
  }

  /** The other participant of a conversation. */
  peerOf(c: ConversationRow, self: string): string {
    return c.userA === self ? c.userB : c.userA;
  }

  /** True when `viewer` received this conversation from someone who is not (yet) accepted. */
  isRequestFor(c: ConversationRow, viewer: string): boolean {
    return !c.accepted && c.openedBy !== viewer;
  }

  /** Presence, typing and receipts of `subject` are hidden from people they blocked and from their pending requesters. */
  canSee(viewer: string, subject: string): boolean {
    if (viewer === subject) return true;
    if (this.store.hasBlocked(subject, viewer)) return false;
    if (this.store.areContacts(viewer, subject)) return true;
    const c = this.conversations.byPair(viewer, subject);
    if (c && !c.accepted && c.openedBy === viewer) return false;
    if (this.store.requestBetween(viewer, subject)) return false;
    return true;
  }

  /**
   * The directory: a query with an `@` must be a whole e-mail address and finds that one
   * account; anything else of at least 2 characters matches display names. Never a part of an
   * address, so nobody can rebuild one by searching letter by letter. People who blocked
   * the viewer are left out.
   */
  search(viewer: string, query: string, limit: number): UserRow[] {
    const q = query.trim().normalize('NFC');
    let found: UserRow[];
    if (q.includes('@')) {
      const email = normalizeEmail(q);
      const u = email.ok ? this.users.byEmail(email.value) : null;
      found = u && u.id !== viewer ? [u] : [];
    } else if (Array.from(q).length >= 2) {
      found = this.users.searchNames(viewer, q, limit);
    } else {
      found = [];
    }
    return found.filter((u) => !this.store.hasBlocked(u.id, viewer));
  }

  directoryUser(viewer: string, u: UserRow): DirectoryUser {
    const visible = this.canSee(viewer, u.id);
    const online = visible && this.presence.isOnline(u.id);
    return {
      id: u.id,
      displayName: u.displayName,
      online,
      lastSeen: visible && !online ? u.lastSeen : null,
    };
  }

  summary(c: ConversationRow, viewer: string): ConversationSummary {
    const peer = this.users.byId(this.peerOf(c, viewer));
    if (!peer) throw new Error(`conversation ${c.id} names a missing user`);
    const lastMessage = this.conversations.lastMessage(c.id);
    return {
      id: c.id,
      doc: docNameOf(c.id, c.epoch),
      epoch: c.epoch,
      peer: this.directoryUser(viewer, peer),
      lastMessage,
      unread: this.conversations.unread(c.id, viewer),
      request: this.isRequestFor(c, viewer),
      activity: Math.max(c.activity, lastMessage?.at ?? 0),
    };
  }

  /** The conversations a user sees in their list (not declined ones), newest activity first. */
  listFor(viewer: string): ConversationSummary[] {
    return this.conversations
      .forUser(viewer)
      .filter(
        (c) =>
          !this.store.isHidden(c.id, viewer) &&
          !this.store.hasBlocked(viewer, this.peerOf(c, viewer)),
      )
      .map((c) => this.summary(c, viewer))
      .sort((a, b) => b.activity - a.activity);
  }

  /** Push fresh summaries of a conversation to both participants, coalescing bursts. */
  notifyConversation(conversationId: string): void {
    if (this.pending.has(conversationId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(conversationId);
      this.conversations.readTogether(() => {
        const c = this.conversations.byId(conversationId);
        if (!c) return;
        for (const viewer of [c.userA, c.userB]) {
          if (!this.events.has(viewer)) continue;
          if (this.store.hasBlocked(viewer, this.peerOf(c, viewer))) continue;
          if (this.store.isHidden(c.id, viewer)) continue;
          this.events.send(viewer, {
            type: 'conversation',
            conversation: this.summary(c, viewer),
          });
        }
      });
    }, 30);
    timer.unref();
    this.pending.set(conversationId, timer);
  }

  /** Tell everyone who may see `subject` (their conversation partners and contacts) about a presence change. */
  notifyPresence(subject: string): void {
    const u = this.users.byId(subject);
    if (!u) return;
    // Everyone who might care: contacts and conversation partners (only those listening get events).
    const audience = new Set<string>(this.store.contactsOf(subject));
    for (const c of this.conversations.forUser(subject)) audience.add(this.peerOf(c, subject));
    for (const viewer of audience) {
      if (!this.events.has(viewer) || !this.canSee(viewer, subject)) continue;
      const d = this.directoryUser(viewer, u);
      this.events.send(viewer, {
        type: 'presence',
        userId: subject,
        online: d.online,
        lastSeen: d.lastSeen,
      });
    }
  }

  /** Contacts, requests or blocks between `a` and `b` changed. */
  changed(a: string, b: string): void {
    this.events.send(a, { type: 'contacts' });
    this.events.send(b, { type: 'contacts' });
    const c = this.conversations.byPair(a, b);
    if (c) {
      for (const viewer of [a, b]) {
        if (
          this.store.hasBlocked(viewer, this.peerOf(c, viewer)) ||
          this.store.isHidden(c.id, viewer)
        ) {
          this.events.send(viewer, { type: 'conversation-removed', id: c.id });
        } else {
          this.events.send(viewer, { type: 'conversation', conversation: this.summary(c, viewer) });
        }
      }
    }
    this.notifyPresence(a);
    this.notifyPresence(b);
    this.onPolicyChange(a, b);
  }

  closeAll(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
