/**
 * The signed-in user's conversation list, newest activity first, from
 * GET /api/conversations. Kept live by the user-level event stream (GET /api/events)
 * and, as a fallback, refreshed on demand, when the window regains focus, every few
 * seconds while the page is visible, and soon after a message is sent or arrives.
 * The last list is kept in localStorage so the app can start offline.
 */
import type { ConversationSummary } from '../../shared/api';
import { ApiError, type Api } from './api';
import type { Presence } from './presence';
import { SnapshotStore } from './store';

export interface InboxState {
  conversations: readonly ConversationSummary[];
  /** True once a list is there (from the server or this device's copy). */
  loaded: boolean;
  refreshing: boolean;
  /** The last refresh failed with this text; cleared by the next success. */
  error: string | null;
  /** Conversations whose other person is typing now (from the event stream), by id. */
  typing: ReadonlySet<string>;
}

export interface InboxOptions {
  api: Api;
  userId: string;
  storage?: Storage | null;
  window?: Window | null;
  /** Poll interval while visible; 10 s by default. */
  pollMs?: number;
  /** The server said 401: the session is gone. */
  onUnauthenticated?: () => void;
  /**
   * Opens the user-level event stream; defaults to `new EventSource('/api/events')` in a
   * browser, null (no stream, polling only) elsewhere.
   */
  openEvents?: (() => EventSourceLike) | null;
  /** Told the presence of every peer in a fetched list and every `presence` event. */
  presence?: Presence;
  /** Told every well-formed event of the user-level channel (after the inbox applied it). */
  onEvent?: (event: ServerEvent) => void;
}

/** The part of `EventSource` the inbox uses. */
export interface EventSourceLike {
  onmessage: ((event: MessageEvent<string>) => void) | null;
  /** 1 while the stream is open (EventSource.OPEN); absent: unknown. */
  readonly readyState?: number;
  close(): void;
}

/** Events of the user-level channel (docs/protocol.md). */
export type ServerEvent =
  | { type: 'conversation'; conversation: ConversationSummary }
  | { type: 'conversation-removed'; id: string }
  | { type: 'presence'; userId: string; online: boolean; lastSeen: number | null }
  | { type: 'contacts' }
  /** Your own profile changed (on another device): fetch who you are now. */
  | { type: 'profile'; userId: string }
  | { type: 'typing'; conversationId: string; userId: string; typing: boolean };

/**
 * A "typing" heard on the stream ends by itself after this long without news (the server
 * relays starts and stops; this covers a stop that never came).
 */
export const LIST_TYPING_TIMEOUT_MS = 30_000;

const defaultEvents = (): (() => EventSourceLike) | null =>
  typeof EventSource === 'undefined' ? null : () => new EventSource('/api/events');

export const inboxCacheKey = (userId: string): string => `parley:${userId}:inbox`;

const byActivity = (a: ConversationSummary, b: ConversationSummary): number =>
  b.activity - a.activity;

export class Inbox extends SnapshotStore<InboxState> {
  private readonly storage: Storage | null;
  private readonly win: Window | null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private soonTimer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private events: EventSourceLike | null = null;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly opts: InboxOptions) {
    super({ conversations: [], loaded: false, refreshing: false, error: null, typing: new Set() });
    this.storage =
      opts.storage !== undefined
        ? opts.storage
        : typeof localStorage === 'undefined'
          ? null
          : localStorage;
    this.win =
      opts.window !== undefined ? opts.window : typeof window === 'undefined' ? null : window;
    const cached = this.readCache();
    if (cached) this.patch({ conversations: cached, loaded: true });
  }

  /** Load now and keep the list fresh until `stop()`. */
  start(): void {
    this.stopped = false;
    void this.refresh();
    this.win?.addEventListener('focus', this.onFocus);
    this.win?.document.addEventListener('visibilitychange', this.onVisibility);
    this.pollTimer ??= setInterval(() => {
      if (this.win?.document.visibilityState !== 'hidden') void this.refresh();
    }, this.opts.pollMs ?? 10_000);
    const open = this.opts.openEvents === undefined ? defaultEvents() : this.opts.openEvents;
    if (open && !this.events) {
      // EventSource reconnects by itself (the server asks for 3 s); a 401 ends it, and the
      // next poll then reports the session as gone.
      this.events = open();
      this.events.onmessage = (e) => this.onEvent(e.data);
    }
  }

  stop(): void {
    this.stopped = true;
    this.win?.removeEventListener('focus', this.onFocus);
    this.win?.document.removeEventListener('visibilitychange', this.onVisibility);
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.soonTimer) clearTimeout(this.soonTimer);
    this.pollTimer = null;
    this.soonTimer = null;
    this.events?.close();
    this.events = null;
    for (const t of this.typingTimers.values()) clearTimeout(t);
    this.typingTimers.clear();
  }

  /** Fetch the list now; concurrent calls share one request plus at most one follow-up. */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.fetchList().finally(() => {
      this.inFlight = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.inFlight;
  }

  /**
   * Refresh shortly (coalescing bursts), e.g. after a message was stored — unless the event
   * stream is open: the server pushes the changed summary on it, and a list request per
   * message would cost the server far more than the push.
   */
  refreshSoon(delayMs = 300): void {
    if (this.soonTimer || this.stopped || this.events?.readyState === 1) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      void this.refresh();
    }, delayMs);
  }

  /** The summary from the current list, if it is there. */
  find(id: string): ConversationSummary | undefined {
    return this.snapshot.conversations.find((c) => c.id === id);
  }

  /** The summary of one conversation: from the list, else from the server. Throws `ApiError`. */
  async get(id: string): Promise<ConversationSummary> {
    const known = this.find(id);
    if (known) return known;
    const summary = await this.guard(this.opts.api.conversation(id));
    this.upsert(summary);
    return summary;
  }

  /** Open (or find) the conversation with a person. Throws `ApiError`. */
  async openWith(peerId: string): Promise<ConversationSummary> {
    const summary = await this.guard(this.opts.api.openConversation(peerId));
    this.upsert(summary);
    return summary;
  }

  /** Accept the message request of conversation `id`. Throws `ApiError`. */
  async accept(id: string): Promise<ConversationSummary> {
    const summary = await this.guard(this.opts.api.acceptConversation(id));
    this.upsert(summary);
    return summary;
  }

  /** Decline the message request of conversation `id`; it leaves the list. Throws `ApiError`. */
  async decline(id: string): Promise<void> {
    await this.guard(this.opts.api.declineConversation(id));
    this.replace(this.snapshot.conversations.filter((c) => c.id !== id));
  }

  /** Pin (`on`) or unpin conversation `id` for you, on every device. Throws `ApiError`. */
  async pin(id: string, on: boolean): Promise<void> {
    this.upsert(await this.guard(this.opts.api.pinConversation(id, on)));
  }

  /** Archive (`on`) or unarchive conversation `id` for you, on every device. Throws `ApiError`. */
  async archive(id: string, on: boolean): Promise<void> {
    this.upsert(await this.guard(this.opts.api.archiveConversation(id, on)));
  }

  /**
   * "Delete chat for me": it leaves the list (on every device), its messages are no longer
   * shown here; it comes back with the next message written after now. Throws `ApiError`.
   */
  async clear(id: string): Promise<void> {
    await this.guard(this.opts.api.clearConversation(id));
    this.replace(this.snapshot.conversations.filter((c) => c.id !== id));
  }

  /** Show a conversation as read at once, before the server's count catches up. */
  markReadLocally(id: string): void {
    const c = this.find(id);
    if (!c || c.unread === 0) return;
    this.replace(this.snapshot.conversations.map((x) => (x.id === id ? { ...x, unread: 0 } : x)));
  }

  /** Apply one event of the user-level channel; unknown or malformed events are ignored. */
  private onEvent(data: string): void {
    if (this.stopped) return;
    let event: ServerEvent;
    try {
      event = JSON.parse(data) as ServerEvent;
    } catch {
      return;
    }
    if (typeof event !== 'object' || event === null) return;
    switch (event.type) {
      case 'conversation':
        if (event.conversation && typeof event.conversation.id === 'string')
          this.upsert(event.conversation);
        break;
      case 'conversation-removed':
        this.replace(this.snapshot.conversations.filter((c) => c.id !== event.id));
        break;
      case 'typing':
        if (typeof event.conversationId === 'string')
          this.setTyping(event.conversationId, event.typing === true);
        break;
      case 'presence':
        this.opts.presence?.apply(event.userId, {
          online: event.online,
          lastSeen: event.lastSeen,
        });
        if (this.snapshot.conversations.some((c) => c.peer.id === event.userId)) {
          this.replace(
            this.snapshot.conversations.map((c) =>
              c.peer.id === event.userId
                ? { ...c, peer: { ...c.peer, online: event.online, lastSeen: event.lastSeen } }
                : c,
            ),
          );
        }
        break;
      default:
        break;
    }
    this.opts.onEvent?.(event);
  }

  private setTyping(id: string, on: boolean): void {
    const timer = this.typingTimers.get(id);
    if (timer) clearTimeout(timer);
    this.typingTimers.delete(id);
    if (on)
      this.typingTimers.set(
        id,
        setTimeout(() => this.setTyping(id, false), LIST_TYPING_TIMEOUT_MS),
      );
    if (this.snapshot.typing.has(id) === on) return;
    const typing = new Set(this.snapshot.typing);
    if (on) typing.add(id);
    else typing.delete(id);
    this.patch({ typing });
  }

  private async fetchList(): Promise<void> {
    this.patch({ refreshing: true });
    try {
      const list = await this.guard(this.opts.api.conversations());
      if (this.stopped) return;
      this.opts.presence?.learn(list.map((c) => c.peer));
      this.replace([...list].sort(byActivity), null);
    } catch (e) {
      if (this.stopped) return;
      this.patch({ error: e instanceof ApiError ? e.message : 'Something went wrong, try again.' });
    } finally {
      if (!this.stopped) this.patch({ refreshing: false });
    }
  }

  private async guard<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthenticated') this.opts.onUnauthenticated?.();
      throw e;
    }
  }

  private upsert(summary: ConversationSummary): void {
    this.opts.presence?.learn([summary.peer]);
    const rest = this.snapshot.conversations.filter((c) => c.id !== summary.id);
    this.replace([summary, ...rest].sort(byActivity));
  }

  private replace(conversations: ConversationSummary[], error?: string | null): void {
    this.patch(
      error === undefined
        ? { conversations, loaded: true }
        : { conversations, loaded: true, error },
    );
    try {
      this.storage?.setItem(inboxCacheKey(this.opts.userId), JSON.stringify(conversations));
    } catch {
      // Storage full or disabled: offline start shows an empty list.
    }
  }

  private readCache(): ConversationSummary[] | null {
    try {
      const raw = this.storage?.getItem(inboxCacheKey(this.opts.userId));
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      return Array.isArray(parsed) ? (parsed as ConversationSummary[]) : null;
    } catch {
      return null;
    }
  }

  private readonly onFocus = (): void => void this.refresh();

  private readonly onVisibility = (): void => {
    if (this.win?.document.visibilityState === 'visible') void this.refresh();
  };
}
