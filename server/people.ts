/**
 * The people rules in one place: who may open a conversation with whom, what counts as a
 * message request, who sees whose presence, and the live events those decisions produce.
 * Changes are announced as signals (`policy`, `conversation`), so every process — this one
 * included — pushes them to the event streams it holds and drops its cached answers.
 */
import type {
  ConversationSummary,
  DirectoryUser,
  LastSeenAudience,
  MessageRecord,
  PrivacySettings,
} from '../shared/api';
import { docNameOf } from '../shared/protocol';
import type { ConversationRow, ConversationStore } from './store/conversation-store';
import type { PeopleStore } from './store/people-store';
import type { UserRow, UserStore } from './store/user-store';
import type { Awaitable } from './store/storage';
import { normalizeEmail } from '../shared/validate';
import type { Presence } from './presence';
import type { EventHub } from './events';
import type { Signals } from './cluster/signals';
import { NO_PREFS, type ConversationPrefs, type ViewerState } from './store/conversation-prefs';

export class People {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /**
   * Conversations known to be accepted (no longer requests). Acceptance is never undone, so
   * `replied` skips reading them on every message; bounded by clearing when large.
   */
  private readonly acceptedIds = new Set<string>();
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
   * May `viewer` see `subject`'s online status and last seen? Only when `canSee` allows it
   * and both share theirs with the other (reciprocal, as in WhatsApp: whoever hides theirs
   * from someone does not see that person's either).
   */
  async canSeePresence(viewer: string, subject: string): Promise<boolean> {
    if (viewer === subject) return true;
    if (!(await this.canSee(viewer, subject))) return false;
    const [mine, theirs] = await Promise.all([
      this.store.privacyOf(viewer),
      this.store.privacyOf(subject),
    ]);
    return (
      (await this.shares(theirs.lastSeen, subject, viewer)) &&
      (await this.shares(mine.lastSeen, viewer, subject))
    );
  }

  private async shares(audience: LastSeenAudience, owner: string, other: string): Promise<boolean> {
    if (audience === 'everyone') return true;
    if (audience === 'nobody') return false;
    return await this.store.areContacts(owner, other);
  }

  /** Typing indicators are on in a conversation only when both participants have them on. */
  async typingBetween(a: string, b: string): Promise<boolean> {
    const [pa, pb] = await Promise.all([this.store.privacyOf(a), this.store.privacyOf(b)]);
    return pa.typing && pb.typing;
  }

  /**
   * Are read markers shared in the document of `c`, as `viewer` writes them? Not when either
   * participant turned read receipts off, and not in a message request `viewer` received
   * (a receipt would tell a stranger they were read before an answer).
   */
  async receiptsShared(c: ConversationRow, viewer: string): Promise<boolean> {
    if (this.isRequestFor(c, viewer)) return false;
    const [pa, pb] = await Promise.all([
      this.store.privacyOf(c.userA),
      this.store.privacyOf(c.userB),
    ]);
    return pa.readReceipts && pb.readReceipts;
  }

  /**
   * `userId` changed their privacy settings: stored, then every process acts on it (signal
   * `privacy`, `privacyApplied`).
   */
  async privacyChanged(userId: string, settings: PrivacySettings): Promise<void> {
    await this.store.setPrivacy(userId, settings);
    this.store.forget();
    this.signals.publish({ kind: 'privacy', userId });
  }

  /**
   * Act on a `privacy` signal here: forget cached answers; push fresh summaries (`receipts`)
   * of the user's conversations, the user's presence to everyone it concerns and theirs to
   * the user, as each may see it now, to the streams held here. Returns the user's
   * conversation ids (their rooms reload who sees what and whether typing shows).
   */
  async privacyApplied(userId: string): Promise<Set<string>> {
    this.store.forget();
    const conversations = await this.conversations.forUser(userId);
    const partners = new Set<string>(await this.store.contactsOf(userId));
    for (const c of conversations) {
      partners.add(this.peerOf(c, userId));
      await this.pushConversation(c.id);
    }
    await this.notifyPresence(userId, true);
    if (this.events.has(userId)) {
      for (const p of partners) {
        const u = await this.users.byId(p);
        if (!u) continue;
        const d = await this.directoryUser(userId, u);
        this.events.send(userId, {
          type: 'presence',
          userId: p,
          online: d.online,
          lastSeen: d.lastSeen,
        });
      }
    }
    return new Set(conversations.map((c) => c.id));
  }

  /** A read outside the document: fresh summaries (the unread count) and the notification goes. */
  readPrivately(conversationId: string, userId: string): void {
    this.notifyConversation(conversationId);
    this.onPrivateRead(conversationId, userId);
  }

  /** Set by the app: close the read conversation's notification on every device. */
  onPrivateRead: (conversationId: string, userId: string) => void = () => undefined;

  /**
   * A message arrived: when its writer is the one who received this message request, the
   * reply accepts it (as in WhatsApp and Signal) and they become contacts.
   */
  async replied(conversationId: string, from: string): Promise<void> {
    if (this.acceptedIds.has(conversationId)) return;
    const c = await this.conversations.byId(conversationId);
    if (c?.accepted) {
      if (this.acceptedIds.size >= 100_000) this.acceptedIds.clear();
      this.acceptedIds.add(conversationId);
    }
    if (!c || c.accepted || c.openedBy === from) return;
    const peer = this.peerOf(c, from);
    if (await this.store.blockedBetween(from, peer)) return;
    await this.store.connect(from, peer);
    await this.conversations.acceptPair(from, peer);
    this.changed(from, peer);
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
      // Only people who let themselves be found by their address (a privacy setting).
      const findable = u ? (await this.store.privacyOf(u.id)).discoverableByEmail : false;
      found = u && findable && u.id !== viewer ? [u] : [];
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

  async directoryUser(viewer: string, u: UserRow): Promise<DirectoryUser> {
    const visible = await this.canSeePresence(viewer, u.id);
    const online = visible && this.presence.isOnline(u.id);
    return {
      id: u.id,
      displayName: u.displayName,
      online,
      lastSeen: visible && !online ? u.lastSeen : null,
      about: u.about,
      avatar: u.avatar,
    };
  }

  /** The viewer's pinned / archived / cleared preferences (set by the app from the prefs store). */
  prefsOf: (userId: string, conversationId: string) => Awaitable<ConversationPrefs> = () =>
    NO_PREFS;

  /**
   * The viewer's preferences, mute, "declined" and unread count of a conversation, in one
   * read (set by the app from the prefs store).
   */
  viewerStateOf: (userId: string, conversationId: string) => Awaitable<ViewerState> = () => ({
    prefs: NO_PREFS,
    mute: null,
    hidden: false,
    unread: 0,
  });

  /**
   * Who may see `subject` typing in a conversation with `viewer`: the one rule for the room's
   * awareness relay and the typing events of the user-level channel.
   */
  async mayShowTyping(viewer: string, subject: string): Promise<boolean> {
    return (await this.canSee(viewer, subject)) && (await this.typingBetween(viewer, subject));
  }

  /**
   * `viewer`'s summary of `c`. `lastMessage` is the conversation's last message when the
   * caller read it already (`knownLast`, the same for both participants), else it is read here.
   */
  async summary(
    c: ConversationRow,
    viewer: string,
    knownLast?: Promise<MessageRecord | null>,
    knownState?: ViewerState,
  ): Promise<ConversationSummary> {
    const [peer, latest, state, receipts] = await Promise.all([
      this.users.byId(this.peerOf(c, viewer)),
      knownLast ?? this.conversations.lastMessage(c.id),
      knownState ?? this.viewerStateOf(viewer, c.id),
      this.receiptsShared(c, viewer),
    ]);
    if (!peer) throw new Error(`conversation ${c.id} names a missing user`);
    const { prefs, mute, unread: stored } = state;
    // "Delete chat for me": what was written at or before the cleared point is gone for the viewer.
    const lastMessage = visibleAfter(latest, prefs.clearedAt);
    const unread = latest && !lastMessage ? 0 : stored;
    return {
      id: c.id,
      doc: docNameOf(c.id, c.epoch),
      epoch: c.epoch,
      peer: await this.directoryUser(viewer, peer),
      lastMessage,
      unread,
      request: this.isRequestFor(c, viewer),
      activity: Math.max(c.activity, lastMessage?.at ?? 0),
      editWindowMs: this.editWindowMs,
      muted: mute && (mute.until === null || mute.until > Date.now()) ? mute : null,
      receipts,
      pinned: prefs.pinnedAt,
      archived: prefs.archived,
      clearedAt: prefs.clearedAt,
    };
  }

  /** Is the conversation in `viewer`'s list (not declined, the other person not blocked by them)? */
  private async listed(c: ConversationRow, viewer: string): Promise<boolean> {
    return (await this.listing(c, viewer)) !== null;
  }

  /**
   * `listed`, answering with the viewer's state of `c` when it is listed (null when not),
   * so that a summary made next does not read it again. `last` is the conversation's last
   * message when the caller has it.
   */
  private async listing(
    c: ConversationRow,
    viewer: string,
    last?: Promise<MessageRecord | null>,
  ): Promise<ViewerState | null> {
    const [state, blocked] = await Promise.all([
      this.viewerStateOf(viewer, c.id),
      this.store.hasBlocked(viewer, this.peerOf(c, viewer)),
    ]);
    if (state.hidden || blocked) return null;
    // A chat deleted for the viewer comes back with the next message written after that.
    if (state.prefs.clearedAt === null) return state;
    const latest = await (last ?? this.conversations.lastMessage(c.id));
    return visibleAfter(latest, state.prefs.clearedAt) !== null ? state : null;
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
    // Read once for both participants (when either listens).
    let last: Promise<MessageRecord | null> | undefined;
    for (const viewer of [c.userA, c.userB]) {
      if (!this.events.has(viewer)) continue;
      if (!last) {
        last = Promise.resolve(this.conversations.lastMessage(c.id));
        last.catch(() => undefined); // awaited below when used; a failure is reported there
      }
      const state = await this.listing(c, viewer, last);
      if (!state) {
        // Declined, blocked or deleted for the viewer: every device of theirs drops it.
        this.events.send(viewer, { type: 'conversation-removed', id: c.id });
        continue;
      }
      this.events.send(viewer, {
        type: 'conversation',
        conversation: await this.summary(c, viewer, last, state),
      });
    }
  }

  /** Act on a `typing` signal: the other participant's streams held here show it, if they may. */
  async relayTyping(conversationId: string, subject: string, typing: boolean): Promise<void> {
    const c = await this.conversations.byId(conversationId);
    if (!c || (c.userA !== subject && c.userB !== subject)) return;
    const viewer = this.peerOf(c, subject);
    if (!this.events.has(viewer) || !(await this.mayShowTyping(viewer, subject))) return;
    this.events.send(viewer, { type: 'typing', conversationId, userId: subject, typing });
  }

  /**
   * Tell everyone who may see `subject` (their conversation partners and contacts) about a
   * presence change. With `all` (visibility itself changed), everyone who might care hears
   * what they may see now, nothing for those who may not (online false, last seen null); a
   * presence change alone never reaches someone it is hidden from (its timing would tell).
   */
  async notifyPresence(subject: string, all = false): Promise<void> {
    const u = await this.users.byId(subject);
    if (!u) return;
    // Everyone who might care: contacts and conversation partners (only those listening get events).
    const audience = new Set<string>(await this.store.contactsOf(subject));
    for (const c of await this.conversations.forUser(subject))
      audience.add(this.peerOf(c, subject));
    for (const viewer of audience) {
      if (!this.events.has(viewer)) continue;
      if (!all && !(await this.canSeePresence(viewer, subject))) continue;
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
    await this.notifyPresence(a, true);
    await this.notifyPresence(b, true);
  }

  /**
   * Act on a `profile` signal here: `subject`'s name, "about" or photo changed. Their own
   * tabs reload who they are; the lists (conversation summaries) and contact lists of the
   * people who see them refresh.
   */
  async profileChanged(subject: string): Promise<void> {
    this.events.send(subject, { type: 'profile', userId: subject });
    const audience = new Set<string>(await this.store.contactsOf(subject));
    for (const q of await this.store.incoming(subject)) audience.add(q.from);
    for (const q of await this.store.outgoing(subject)) audience.add(q.to);
    for (const viewer of audience) this.events.send(viewer, { type: 'contacts' });
    for (const c of await this.conversations.forUser(subject)) await this.pushConversation(c.id);
  }

  closeAll(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}

/** `m` unless it was written at or before the cleared point `clearedAt` ("delete chat for me"). */
export function visibleAfter<T extends { at: number }>(
  m: T | null,
  clearedAt: number | null,
): T | null {
  return m && (clearedAt === null || m.at > clearedAt) ? m : null;
}
