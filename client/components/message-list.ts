/**
 * `<parley-message-list>`: the messages of one conversation as a live log, yours on the
 * right with their delivery state and an options menu (delete for everyone), theirs on
 * the left, with day separators and a "New messages" divider. Keeps the newest message in
 * view while you are at the bottom and always after you send; when you have scrolled up,
 * new messages show a "New messages ↓" button instead of moving the list. Links in the
 * text become `<a>` elements through Lit bindings: text is never parsed as HTML.
 *
 * Windowed: only a slice of the messages is in the DOM (the newest `INITIAL_WINDOW` when
 * it opens). Scrolling near the top of the slice adds a page of older messages above,
 * near its bottom a page of newer ones below, and the far side is dropped once the slice
 * holds more than `MAX_WINDOW`. Every update keeps the first visible message where it
 * was on screen (the browser's own scroll anchoring is off), so nothing jumps.
 *
 * Your messages carry a plain "Message options" button; only the message whose menu is
 * in use gets a real `<parley-menu-button>` (a custom element with its own shadow root
 * per message made every page of messages much slower to add while scrolling).
 */
import { LitElement, css, html, svg, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { DeliveryState, MessageView } from '../data/message-state';
import { sharedStyles } from '../styles/shared-styles';
import type { ConfirmDialog } from './confirm-dialog';
import { ListBottomEvent, ListTopEvent, MessageDeleteEvent, type MenuSelectEvent } from './events';
import { dayLabel, sameDay, timeOfDay } from './format';
import { tokenize } from './linkify';
import type { MenuItem } from './menu-button';
import './confirm-dialog';
import './menu-button';

const OWN_MESSAGE_MENU: readonly MenuItem[] = [
  { label: 'Delete for everyone', value: 'delete', danger: true },
];

const STATE_LABEL: Record<DeliveryState, string> = {
  pending: 'Pending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};

const clockIcon = svg`<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M8 4.5V8l2.4 1.6" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>`;
const tickIcon = svg`<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M2.5 8.5l3.2 3.2L13.5 4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
const doubleTickIcon = svg`<svg viewBox="0 0 20 16" width="18" height="14" aria-hidden="true"><path d="M1.5 8.5l3.2 3.2L12.5 4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/><path d="M8.8 11.2l.5.5L17.5 4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

/** How close to the end (px) still counts as "at the bottom". */
const BOTTOM_SLACK = 48;
/** Messages rendered when a conversation opens: the newest ones. */
const INITIAL_WINDOW = 100;
/** Messages added above or below the slice at a time. */
const PAGE = 100;
/** The most messages kept in the DOM; beyond it, the far side of the slice is dropped. */
const MAX_WINDOW = 300;

@customElement('parley-message-list')
export class MessageList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
      }
      .log {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        overscroll-behavior: contain;
        /* Updates restore the scroll position themselves (see keepAnchor). */
        overflow-anchor: none;
        padding: 1rem clamp(0.75rem, 3vw, 1.75rem);
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-direction: column;
        gap: 0.3rem;
      }
      .day {
        align-self: center;
        margin: 0.8rem 0 0.4rem;
        padding: 0.15rem 0.7rem;
        border-radius: 999px;
        font-size: 0.75rem;
        color: var(--muted);
        background: var(--glass);
        border: 1px solid var(--border);
      }
      .msg-row {
        display: flex;
        flex-direction: column;
      }
      .msg {
        display: flex;
        align-items: center;
        gap: 0.25rem;
        max-width: min(85%, 40rem);
      }
      .msg .bubble {
        min-width: 0;
      }
      parley-menu-button,
      .options {
        flex: none;
        opacity: 0;
        transition: opacity 120ms ease;
      }
      /* The same look as parley-menu-button's trigger. */
      .options {
        display: inline-grid;
        place-items: center;
        width: 2rem;
        height: 2rem;
        padding: 0;
        border-radius: 50%;
        font-size: 1.1rem;
        line-height: 1;
      }
      .msg:hover :is(parley-menu-button, .options),
      parley-menu-button:focus-within,
      .options:focus-visible {
        opacity: 1;
      }
      @media (hover: none) {
        parley-menu-button,
        .options {
          opacity: 0.7;
        }
      }
      .deleted .bubble {
        background: transparent;
        color: var(--muted);
        border: 1px dashed var(--border);
        box-shadow: none;
        font-style: italic;
      }
      .unread-divider {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        margin: 0.6rem 0 0.2rem;
        font-size: 0.75rem;
        font-weight: 600;
        color: var(--accent);
      }
      .unread-divider::before,
      .unread-divider::after {
        content: '';
        flex: 1;
        border-top: 1px solid var(--accent);
        opacity: 0.6;
      }
      .text a {
        color: inherit;
        text-decoration: underline;
        text-underline-offset: 2px;
      }
      .pill {
        position: absolute;
        left: 50%;
        bottom: 0.8rem;
        transform: translateX(-50%);
        z-index: 5;
        border-radius: 999px;
        padding: 0.35rem 0.9rem;
        font-size: 0.85rem;
        box-shadow: var(--shadow);
      }
      .wrap {
        position: relative;
        flex: 1;
        min-height: 0;
        display: flex;
        flex-direction: column;
      }
      .mine {
        align-self: flex-end;
      }
      .theirs {
        align-self: flex-start;
      }
      .bubble {
        padding: 0.45rem 0.75rem 0.35rem;
        border-radius: 1.1rem;
        min-width: 4.5rem;
        /* Long words and URLs wrap instead of widening the bubble. */
        overflow-wrap: anywhere;
        word-break: break-word;
        box-shadow: var(--bubble-shadow);
      }
      .mine .bubble {
        background: var(--bubble-mine);
        color: var(--bubble-mine-text);
        border-bottom-right-radius: 0.35rem;
      }
      .theirs .bubble {
        background: var(--bubble-theirs);
        color: var(--bubble-theirs-text);
        border: 1px solid var(--border);
        border-bottom-left-radius: 0.35rem;
      }
      .text {
        white-space: pre-wrap;
        margin: 0;
      }
      .meta {
        display: flex;
        justify-content: flex-end;
        align-items: center;
        gap: 0.3rem;
        margin-top: 0.1rem;
        font-size: 0.7rem;
        color: var(--muted);
      }
      .mine .meta {
        color: var(--bubble-mine-meta);
      }
      .state {
        display: inline-flex;
      }
      .state[data-state='read'] {
        color: var(--tick-read);
      }
      .older {
        margin: 0.5rem auto;
        text-align: center;
        font-size: 0.85rem;
        color: var(--muted);
      }
      .older .link {
        font: inherit;
        color: var(--accent);
        background: none;
        border: none;
        text-decoration: underline;
        cursor: pointer;
      }
      .empty {
        margin: auto;
        padding: 2rem 1rem;
        text-align: center;
        color: var(--muted);
      }
    `,
  ];

  @property({ attribute: false }) messages: readonly MessageView[] = [];
  /** The other person's display name (for screen-reader text). */
  @property() peerName = '';
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
  /**
   * What the polite live region says: the newest incoming message. The log itself is not
   * live, because older pages added while scrolling up would be read out too.
   */
  @state() private announcement = '';
  /** Your message whose options menu is in use: the only one with a real menu button. */
  @state() private menuId: string | null = null;

  @query('.log') private log!: HTMLElement | null;
  @query('parley-confirm-dialog') private confirm!: ConfirmDialog | null;

  private wasAtBottom = true;
  private lastSeenId: string | null = null;
  private reportedBottom: boolean | null = null;
  /** The rendered slice of `messages`: indexes [winStart, winEnd). */
  private winStart = 0;
  private winEnd = 0;
  /** The first message on screen before an update, and its offset from the log's top. */
  private anchor: { el: Element; top: number } | null = null;
  /** scrollToEnd() asked for the newest slice: scroll to its end once it is rendered. */
  private endPending = false;
  /** The message count when older history was last asked for (once per change). */
  private olderAskedAt = -1;

  /** Scroll to the newest message (rendering the newest slice first if need be). */
  scrollToEnd(): void {
    const log = this.log;
    const length = this.messages.length;
    if (this.winEnd < length) {
      this.winStart = Math.max(0, length - INITIAL_WINDOW);
      this.winEnd = length;
      this.endPending = true;
      this.requestUpdate();
    }
    if (log) log.scrollTop = log.scrollHeight;
    this.newBelow = false;
  }

  /** True when the newest message is in view (of `length` messages: the rendered array's). */
  isAtBottom(length = this.messages.length): boolean {
    const log = this.log;
    if (!log) return true;
    if (this.winEnd < length) return false;
    return log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Where the list stood before this update: against the array it was rendering, not the
    // new one (a new message at the end must not count as "scrolled up").
    const before = changed.has('messages') ? (changed.get('messages') ?? []) : this.messages;
    this.wasAtBottom = this.isAtBottom(before.length);
    if (changed.has('messages')) this.rebase(before);
    if (changed.has('firstUnreadId') && this.firstUnreadId) this.includeDivider();
    this.anchor = this.wasAtBottom ? null : this.firstVisible();
  }

  /** Move the slice onto the new array: the same first (and last) message stay rendered. */
  private rebase(before: readonly MessageView[]): void {
    const length = this.messages.length;
    const followed = this.winEnd >= before.length;
    const startId = before[this.winStart]?.id;
    const endId = before[this.winEnd - 1]?.id;
    if (before.length === 0 || length === 0) {
      this.winStart = Math.max(0, length - INITIAL_WINDOW);
      this.winEnd = length;
      return;
    }
    const start = startId === undefined ? -1 : this.indexOf(startId, this.winStart);
    this.winStart = Math.min(start >= 0 ? start : this.winStart, length);
    if (followed) {
      this.winEnd = length;
      // At the bottom, new messages push the oldest rendered ones out of the DOM.
      if (this.wasAtBottom && this.winEnd - this.winStart > MAX_WINDOW)
        this.winStart = this.winEnd - MAX_WINDOW;
    } else {
      const end = endId === undefined ? -1 : this.indexOf(endId, this.winEnd - 1);
      this.winEnd = Math.min(Math.max(end >= 0 ? end + 1 : this.winEnd, this.winStart), length);
    }
  }

  /** The index of message `id`, looking near `hint` first (it rarely moves far). */
  private indexOf(id: string, hint: number): number {
    const m = this.messages;
    for (let d = 0; d < 4; d++) {
      if (m[hint + d]?.id === id) return hint + d;
      if (m[hint - d]?.id === id) return hint - d;
    }
    return m.findIndex((x) => x.id === id);
  }

  /** Opening with unread messages: render from a little before the first of them. */
  private includeDivider(): void {
    const index = this.indexOf(this.firstUnreadId ?? '', this.winStart);
    if (index < 0 || index >= this.winStart) return;
    this.winStart = Math.max(0, index - 10);
    if (this.winEnd - this.winStart > MAX_WINDOW) {
      this.winEnd = this.winStart + MAX_WINDOW;
      this.wasAtBottom = false;
    }
  }

  /** The first rendered message row whose bottom is below the log's top edge. */
  private firstVisible(): { el: Element; top: number } | null {
    const log = this.log;
    if (!log) return null;
    const top = log.getBoundingClientRect().top;
    for (const el of this.renderRoot.querySelectorAll('li.msg-row')) {
      const r = el.getBoundingClientRect();
      if (r.bottom > top) return { el, top: r.top - top };
    }
    return null;
  }

  /** Put the anchor back where it was on screen (content above it was added or dropped). */
  private keepAnchor(): void {
    const log = this.log;
    const anchor = this.anchor;
    this.anchor = null;
    if (!log || !anchor || !anchor.el.isConnected) return;
    const moved = anchor.el.getBoundingClientRect().top - log.getBoundingClientRect().top;
    const delta = moved - anchor.top;
    if (Math.abs(delta) >= 1) log.scrollTop += delta;
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.keepAnchor();
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

  /**
   * Near the top of the slice, add a page of older messages (dropping the newest rendered
   * ones beyond MAX_WINDOW); near its bottom, a page of newer ones. The next update keeps
   * what is on screen in place, and its scroll event checks again.
   */
  private shiftWindow(): void {
    const log = this.log;
    const length = this.messages.length;
    if (!log || length === 0) return;
    const edge = Math.max(800, log.clientHeight * 2);
    if (log.scrollTop < edge && this.winStart > 0) {
      this.winStart = Math.max(0, this.winStart - PAGE);
      this.winEnd = Math.min(this.winEnd, this.winStart + MAX_WINDOW);
      this.requestUpdate();
    } else if (log.scrollHeight - log.scrollTop - log.clientHeight < edge && this.winEnd < length) {
      this.winEnd = Math.min(length, this.winEnd + PAGE);
      this.winStart = Math.max(this.winStart, this.winEnd - MAX_WINDOW);
      this.requestUpdate();
    }
  }

  /** At the top of everything loaded, with older history left: ask for it (once per change). */
  private askForOlder(): void {
    const log = this.log;
    if (!log || this.older !== 'more' || this.winStart > 0 || !this.ready) return;
    if (log.scrollTop >= Math.max(800, log.clientHeight * 2)) return;
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
    if (this.older === 'none' || this.winStart > 0 || this.messages.length === 0) return null;
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
      ${this.renderLog()}
      ${
        this.newBelow
          ? html`<button class="pill primary" type="button" @click=${() => this.scrollToEnd()}>
              New messages <span aria-hidden="true">↓</span>
            </button>`
          : null
      }
      <parley-confirm-dialog></parley-confirm-dialog>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    </div>`;
  }

  private renderLog() {
    return html`<div
      class="log"
      role="log"
      aria-label="Messages"
      aria-live="off"
      tabindex="0"
      @scroll=${this.onScroll}
    >
      ${
        this.messages.length === 0
          ? html`<p class="empty">${this.ready ? 'No messages yet. Say hello!' : 'Loading…'}</p>`
          : html`${this.renderOlder()}
              <ol>
                ${repeat(
                  this.messages.slice(this.winStart, this.winEnd),
                  (m) => m.id,
                  (m, i) => {
                    const index = this.winStart + i;
                    return this.renderMessage(m, this.messages[index - 1], index);
                  },
                )}
              </ol>`
      }
    </div>`;
  }

  private renderMessage(m: MessageView, previous: MessageView | undefined, index: number) {
    const day =
      previous === undefined || !sameDay(previous.at, m.at)
        ? html`<div class="day">${dayLabel(m.at)}</div>`
        : null;
    const divider =
      m.id === this.firstUnreadId ? html`<div class="unread-divider">New messages</div>` : null;
    const who = m.mine ? 'You' : this.peerName;
    if (m.deleted) {
      return html`<li class="msg-row">
        ${day}${divider}
        <div class="msg deleted ${m.mine ? 'mine' : 'theirs'}" data-message-id=${m.id}>
          <div class="bubble">
            <span class="visually-hidden">${who}:</span>
            <p class="text">Message deleted</p>
          </div>
        </div>
      </li>`;
    }
    return html`<li class="msg-row">
      ${day}${divider}
      <div class="msg ${m.mine ? 'mine' : 'theirs'}" data-message-id=${m.id}>
        ${m.mine && !m.sealed ? this.renderMessageMenu(m.id, index) : null}
        <div class="bubble">
          <span class="visually-hidden">${who}:</span>
          <p class="text">${this.renderText(m.text)}</p>
          <div class="meta">
            ${m.edited ? html`<span>edited</span>` : null}
            <time datetime=${new Date(m.at).toISOString()}>${timeOfDay(m.at)}</time>
            ${m.state ? this.renderState(m.state) : null}
          </div>
        </div>
      </div>
    </li>`;
  }

  /**
   * The options of your message: a plain button until it is used, then (for that message
   * only) a `<parley-menu-button>` opened in its place with the focus on its first item.
   */
  private renderMessageMenu(id: string, index: number) {
    if (id === this.menuId) {
      return html`<parley-menu-button
        label="Message options"
        align="start"
        ?up=${index >= this.messages.length - 3 && index > 1}
        .items=${OWN_MESSAGE_MENU}
        @menu-select=${(e: MenuSelectEvent) => void this.onMenu(e, id)}
      ></parley-menu-button>`;
    }
    return html`<button
      class="options ghost"
      type="button"
      aria-label="Message options"
      title="Message options"
      aria-haspopup="menu"
      aria-expanded="false"
      @click=${this.onOptions}
    >
      <span aria-hidden="true">⋯</span>
    </button>`;
  }

  private readonly onOptions = (e: Event): void => {
    const row = (e.currentTarget as HTMLElement).closest('[data-message-id]');
    const id = row?.getAttribute('data-message-id');
    if (row && id) void this.openMenu(row, id);
  };

  private async openMenu(row: Element, id: string): Promise<void> {
    this.menuId = id;
    await this.updateComplete;
    const menu = row.querySelector('parley-menu-button');
    if (!menu) return;
    await menu.updateComplete;
    await menu.show();
  }

  /** Text and links as separate nodes: a link's text is bound as text, never as HTML. */
  private renderText(text: string) {
    return tokenize(text).map((t) =>
      t.kind === 'link'
        ? html`<a href=${t.href} target="_blank" rel="noopener noreferrer">${t.text}</a>`
        : t.text,
    );
  }

  private async onMenu(e: MenuSelectEvent, id: string): Promise<void> {
    e.stopPropagation();
    if (e.value !== 'delete' || !this.confirm) return;
    const ok = await this.confirm.ask({
      title: 'Delete this message for everyone?',
      body: 'It will be removed from this conversation on every device, yours and theirs.',
      confirm: 'Delete',
    });
    if (ok) this.dispatchEvent(new MessageDeleteEvent(id));
  }

  private renderState(state: DeliveryState) {
    const icon = state === 'pending' ? clockIcon : state === 'sent' ? tickIcon : doubleTickIcon;
    return html`<span
      class="state"
      role="img"
      aria-label=${STATE_LABEL[state]}
      title=${STATE_LABEL[state]}
      data-state=${state}
      >${icon}</span
    >`;
  }

  private readonly reportBottom = (): void => {
    const atBottom = this.isAtBottom();
    if (atBottom) this.newBelow = false;
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
