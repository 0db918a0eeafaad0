/**
 * `<parley-message-list>`: the messages of one conversation as a live log, with day
 * separators and a "New messages" divider; each message is a `<parley-message-bubble>`.
 * Keeps the newest message in view while you are at the bottom and always after you send;
 * when you have scrolled up, new messages show a "New messages ↓" button instead of moving
 * the list. Windowed (`MessageWindow`): only a slice of the messages is in the DOM, and
 * every update keeps the first visible message where it was on screen.
 */
import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { MessageWindow, indexOf, nearEdge } from '../controllers/message-window';
import { MessageKeys } from '../controllers/message-keys';
import { PinToBottom } from '../controllers/pin-to-bottom';
import { layoutTimeline, rowsById, type RowLayout } from '../data/grouping';
import { serverNow } from '../data/server-clock';
import { SwipeToReply } from '../controllers/swipe-to-reply';
import type { MessageView } from '../data/message-state';
import { messageBubbleStyles, messageListStyles } from '../styles/message-styles';
import { sharedStyles } from '../styles/shared-styles';
import type { ConfirmDialog } from './confirm-dialog';
import { confirmWith } from './lazy-elements';
import {
  ListBottomEvent,
  ListTopEvent,
  MessageActionEvent,
  MessageDeleteEvent,
  type MessageRevealEvent,
} from './events';
import { dayLabel } from './format';
import { namesFor, type NameOf } from './people-names';
import './message-bubble';

@customElement('parley-message-list')
export class MessageList extends LitElement {
  static override styles = [sharedStyles, messageListStyles, messageBubbleStyles];

  @property({ attribute: false }) messages: readonly MessageView[] = [];
  /** The other person's display name (for screen-reader text). */
  @property() peerName = '';
  /** The other person's user id (reactions and quotes name people by id). */
  @property() peerId = '';
  /** The conversation (for attachments). */
  @property() conversationId = '';
  /**
   * Loads older history until message `id` is in `messages` (the data layer's
   * `Conversation.locate`); false when it does not exist. Used by `revealMessage`.
   */
  @property({ attribute: false }) locate: ((id: string) => Promise<boolean>) | null = null;
  /** False until the local copy is loaded. */
  @property({ type: Boolean }) ready = false;
  /** Mark this message as the first unread one ("New messages" divider before it). */
  @property({ attribute: false }) firstUnreadId: string | null = null;
  /**
   * Older history beyond `messages` (sealed documents): at the top of the list a
   * `list-top` event asks for it while it is 'more'.
   */
  @property() older: 'none' | 'more' | 'loading' | 'unavailable' = 'none';
  /** New messages arrived below while you were scrolled up. */
  @state() private newBelow = false;
  /** The newest message is out of view: the "Jump to latest" button shows. */
  @state() private scrolledUp = false;
  /** The id of the newest message seen at the bottom: theirs after it count as unread. */
  private seenUpTo: string | null = null;
  /** Groups, shown times and day dividers of `messages` (`layoutTimeline`). */
  private rows: RowLayout[] = [];
  /**
   * What the polite live region says: the newest incoming message. The log itself is not
   * live, because older pages added while scrolling up would be read out too.
   */
  @state() private announcement = '';
  /** The message briefly highlighted by `revealMessage`. */
  @state() private highlightId: string | null = null;

  @query('.log') private log!: HTMLElement | null;
  @query('parley-confirm-dialog') private confirm!: ConfirmDialog | null;

  private nameOf: NameOf = namesFor('', '');
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;
  /** Keyboard navigation and shortcuts on messages. */
  private readonly keys = new MessageKeys(
    this,
    () => this.renderRoot,
    (id) => this.messages.find((m) => m.id === id),
  );
  /** A touch swipe on a message replies to it. */
  protected readonly swipe = new SwipeToReply(this, (id) =>
    this.dispatchEvent(new MessageActionEvent('reply', id)),
  );
  /** The rendered slice and the scroll anchor. */
  private readonly window = new MessageWindow();
  /** A resize (a phone keyboard opening) keeps the newest message in view if it was. */
  protected readonly pin = new PinToBottom(
    this,
    () => this.log,
    () => this.reportedBottom !== false,
    () => this.scrollToEnd(),
  );
  private wasAtBottom = true;
  private lastSeenId: string | null = null;
  private reportedBottom: boolean | null = null;
  /** scrollToEnd() asked for the newest slice: scroll to its end once it is rendered. */
  private endPending = false;
  /** The message count when older history was last asked for (once per change). */
  private olderAskedAt = -1;

  /** Scroll to the newest message (rendering the newest slice first if need be). */
  scrollToEnd(): void {
    const log = this.log;
    if (this.window.toEnd(this.messages.length)) {
      this.endPending = true;
      this.requestUpdate();
    }
    if (log) log.scrollTop = log.scrollHeight;
    this.newBelow = false;
  }

  /** "Jump to latest": scroll to the newest message and give it the focus. */
  async jumpToLatest(): Promise<void> {
    this.scrollToEnd();
    await this.updateComplete;
    const last = this.messages[this.messages.length - 1];
    if (!last) return;
    this.keys.setCurrent(last.id);
    await this.updateComplete;
    const el = this.renderRoot.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(last.id)}"]`,
    );
    el?.focus({ preventScroll: true });
    const log = this.log;
    if (log) log.scrollTop = log.scrollHeight;
    this.reportBottom();
  }

  /** Messages of the other person below the newest one seen at the bottom. */
  private unreadBelow(): number {
    let n = 0;
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i];
      if (!m || m.id === this.seenUpTo) break;
      if (!m.mine && !m.deleted) n++;
    }
    return n;
  }

  /** True when the newest message is in view (of `length` messages: the rendered array's). */
  isAtBottom(length = this.messages.length): boolean {
    return this.window.isAtBottom(this.log, length);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.highlightTimer);
  }

  /**
   * Show message `id`: load older history until it is there (through `locate`), render the
   * slice around it, scroll it to the middle of the log, highlight it briefly and give it
   * the focus. Resolves false (and says so) when it is not there.
   */
  async revealMessage(id: string): Promise<boolean> {
    if (!this.messages.some((m) => m.id === id)) {
      const found = (await this.locate?.(id)) ?? false;
      // The data layer's new state reaches this list through its host's next render.
      for (let i = 0; found && i < 20 && !this.messages.some((m) => m.id === id); i++) {
        await new Promise((r) => requestAnimationFrame(r));
      }
    }
    const index = this.messages.findIndex((m) => m.id === id);
    if (index < 0) {
      this.announcement = 'That message is no longer available.';
      return false;
    }
    if (this.window.around(index, this.messages.length)) this.requestUpdate();
    this.keys.setCurrent(id);
    this.highlightId = id;
    clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => (this.highlightId = null), 2000);
    await this.updateComplete;
    const el = this.renderRoot.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus({ preventScroll: true });
    this.reportBottom();
    return true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('peerId') || changed.has('peerName'))
      this.nameOf = namesFor(this.peerId, this.peerName);
    // Where the list stood before this update: against the array it was rendering, not the
    // new one (a new message at the end must not count as "scrolled up").
    const before = changed.has('messages') ? (changed.get('messages') ?? []) : this.messages;
    this.wasAtBottom = this.isAtBottom(before.length);
    if (changed.has('messages')) this.window.rebase(before, this.messages, this.wasAtBottom);
    if (changed.has('messages') || changed.has('firstUnreadId')) {
      const previous = rowsById(before, this.rows);
      this.rows = layoutTimeline(this.messages, serverNow(), this.firstUnreadId, previous);
    }
    if (changed.has('firstUnreadId') && this.firstUnreadId) {
      // Opening with unread messages: the ones from the divider on are unread.
      const at = this.messages.findIndex((m) => m.id === this.firstUnreadId);
      this.seenUpTo = this.messages[at - 1]?.id ?? null;
    }
    if (changed.has('firstUnreadId') && this.firstUnreadId) {
      const index = indexOf(this.messages, this.firstUnreadId, this.window.start);
      if (!this.window.includeIndex(index)) this.wasAtBottom = false;
    }
    if (this.wasAtBottom) this.window.release();
    else this.window.capture(this.renderRoot, this.log);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The bubbles render in their own update: in the DOM before anything is measured.
    for (const bubble of this.renderRoot.querySelectorAll('parley-message-bubble')) bubble.flush();
    this.window.restore(this.log);
    const log = this.log;
    if (this.endPending) {
      this.endPending = false;
      if (log) log.scrollTop = log.scrollHeight;
    } else if (this.wasAtBottom && log && !changed.has('messages')) {
      // Rows were added above while the newest message was in view (a page of older
      // ones, the "older messages" line): stay at the bottom.
      log.scrollTop = log.scrollHeight;
    }
    if (changed.has('firstUnreadId') && this.firstUnreadId) {
      // Opening with unread messages: make sure the first of them is in view.
      this.renderRoot.querySelector('.unread-divider')?.scrollIntoView({ block: 'nearest' });
    }
    if (changed.has('messages')) this.follow();
    // Older messages were added above a list that does not scroll (or sits near its top):
    // no scroll event will come, so widen the slice now. After following the newest
    // message: opening a conversation scrolls to its end first, and needs no second page.
    if (changed.has('messages') && !this.endPending) this.shiftWindow();
    this.askForOlder();
  }

  /**
   * After the messages changed: keep the newest in view if it was (or it is yours, or the
   * list just filled), else offer "New messages"; announce a new incoming message.
   */
  private follow(): void {
    const last = this.messages[this.messages.length - 1];
    const isNew = last !== undefined && last.id !== this.lastSeenId;
    const newOwn = isNew && last.mine;
    const firstFill = this.lastSeenId === null && last !== undefined;
    if (this.wasAtBottom || newOwn || firstFill) this.scrollToEnd();
    else if (isNew && !last.deleted) this.newBelow = true;
    if (isNew && !firstFill && !last.mine && !last.deleted) {
      this.announcement = `${this.peerName}: ${last.text}`;
    }
    this.lastSeenId = last?.id ?? null;
    this.reportBottom();
  }

  /** Add a page of messages above or below the slice when the scroll nears its edge. */
  private shiftWindow(): void {
    if (this.window.shift(this.log, this.messages.length)) this.requestUpdate();
  }

  /** At the top of everything loaded, with older history left: ask for it (once per change). */
  private askForOlder(): void {
    const log = this.log;
    if (!log || this.older !== 'more' || this.window.start > 0 || !this.ready) return;
    if (log.scrollTop >= nearEdge(log)) return;
    if (this.olderAskedAt === this.messages.length) return;
    this.olderAskedAt = this.messages.length;
    this.dispatchEvent(new ListTopEvent());
  }

  private readonly onScroll = (): void => {
    this.shiftWindow();
    this.askForOlder();
    this.reportBottom();
  };

  private renderOlder() {
    if (this.older === 'none' || this.window.start > 0 || this.messages.length === 0) return null;
    if (this.older === 'loading')
      return html`<p class="older" role="status">Loading older messages…</p>`;
    return html`<p class="older">
      ${
        this.older === 'unavailable'
          ? html`<span role="status">Older messages are not on this device yet.</span> `
          : null
      }
      <button
        class="link"
        type="button"
        @click=${() => {
          this.olderAskedAt = this.messages.length;
          this.dispatchEvent(new ListTopEvent());
        }}
      >
        ${this.older === 'unavailable' ? 'Try again' : 'Load older messages'}
      </button>
    </p>`;
  }

  override render() {
    return html`<div class="wrap">
      ${this.renderLog()} ${this.scrolledUp && this.messages.length > 0 ? this.renderJump() : null}
      <parley-confirm-dialog></parley-confirm-dialog>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    </div>`;
  }

  /** The round "Jump to latest" button, with the count of unread messages below it. */
  private renderJump() {
    const unread = this.unreadBelow();
    const name = `Jump to latest message${unread > 0 ? `, ${unread} unread` : ''}`;
    return html`<button
      class="jump ${this.newBelow ? 'fresh' : ''}"
      type="button"
      aria-label=${name}
      title=${name}
      @click=${() => void this.jumpToLatest()}
    >
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
        <path
          d="M6 9.5l6 6 6-6"
          fill="none"
          stroke="currentColor"
          stroke-width="2.2"
          stroke-linecap="round"
          stroke-linejoin="round"
        />
      </svg>
      ${unread > 0 ? html`<span class="jump-count" aria-hidden="true">${unread}</span>` : null}
    </button>`;
  }

  private renderLog() {
    const { start, end } = this.window;
    return html`<div
      class="log"
      role="log"
      aria-label="Messages"
      aria-live="off"
      aria-busy=${this.ready ? 'false' : 'true'}
      tabindex="0"
      @scroll=${this.onScroll}
      @message-action=${this.onAction}
      @message-reveal=${this.onReveal}
      @keydown=${this.keys.onKeydown}
      @focusin=${this.keys.onFocusIn}
    >
      ${
        this.messages.length === 0
          ? html`<p class="empty">${this.ready ? 'No messages yet. Say hello!' : 'Loading…'}</p>`
          : html`${this.renderOlder()}
              <ol>
                ${repeat(
                  this.messages.slice(start, end),
                  (m) => m.id,
                  (m, i) => this.renderRow(m, start + i),
                )}
              </ol>`
      }
    </div>`;
  }

  private renderRow(m: MessageView, index: number) {
    const row = this.rows[index];
    const day =
      !row || row.newDay ? html`<div class="day">${dayLabel(row?.shownAt ?? m.at)}</div>` : null;
    const divider =
      m.id === this.firstUnreadId ? html`<div class="unread-divider">New messages</div>` : null;
    return html`<li class="msg-row ${row && !row.groupStart ? 'grouped' : ''}">
      ${day}${divider}
      <parley-message-bubble
        .message=${m}
        .nameOf=${this.nameOf}
        .conversationId=${this.conversationId}
        .menuUp=${index >= this.messages.length - 3 && index > 1}
        .current=${m.id === (this.keys.currentId ?? this.messages[this.messages.length - 1]?.id)}
        .highlighted=${m.id === this.highlightId}
        .row=${row ?? null}
      ></parley-message-bubble>
    </li>`;
  }

  /** Delete (after confirming) and Copy text are done here; Reply and Edit go up. */
  private readonly onAction = (e: MessageActionEvent): void => {
    if (e.action === 'delete') {
      e.stopPropagation();
      void this.confirmDelete(e.messageId);
    } else if (e.action === 'copy') {
      e.stopPropagation();
      void this.copy(e.messageId);
    }
  };

  private async copy(id: string): Promise<void> {
    const text = this.messages.find((m) => m.id === id)?.text ?? '';
    try {
      await navigator.clipboard.writeText(text);
      this.announcement = 'Message copied.';
    } catch {
      this.announcement = 'Could not copy the message.';
    }
  }

  private readonly onReveal = (e: MessageRevealEvent): void => {
    e.stopPropagation();
    void this.revealMessage(e.messageId);
  };

  private async confirmDelete(id: string): Promise<void> {
    const ok = await confirmWith(this.confirm, {
      title: 'Delete this message for everyone?',
      body: 'It will be removed from this conversation on every device, yours and theirs.',
      confirm: 'Delete',
    });
    if (ok) this.dispatchEvent(new MessageDeleteEvent(id));
  }

  private readonly reportBottom = (): void => {
    const atBottom = this.isAtBottom();
    if (atBottom) this.newBelow = false;
    if (atBottom) this.seenUpTo = this.messages[this.messages.length - 1]?.id ?? null;
    this.scrolledUp = !atBottom;
    if (atBottom === this.reportedBottom) return;
    this.reportedBottom = atBottom;
    this.dispatchEvent(new ListBottomEvent(atBottom));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-message-list': MessageList;
  }
}
