/**
 * `<parley-message-list>`: the messages of one conversation as a live log, yours on the
 * right with their delivery state, theirs on the left, with day separators. Keeps the
 * newest message in view while you are at the bottom, and always after you send.
 */
import { LitElement, css, html, svg, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { DeliveryState, MessageView } from '../data/message-state';
import { sharedStyles } from '../styles/shared-styles';
import { ListBottomEvent } from './events';
import { dayLabel, sameDay, timeOfDay } from './format';

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
        max-width: min(75%, 38rem);
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
        box-shadow: 0 2px 10px rgba(0, 0, 0, 0.12);
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
        backdrop-filter: var(--blur);
        -webkit-backdrop-filter: var(--blur);
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

  @query('.log') private log!: HTMLElement | null;

  private wasAtBottom = true;
  private lastSeenId: string | null = null;
  private reportedBottom: boolean | null = null;

  /** Scroll to the newest message. */
  scrollToEnd(): void {
    const log = this.log;
    if (log) log.scrollTop = log.scrollHeight;
  }

  /** True when the newest message is in view. */
  isAtBottom(): boolean {
    const log = this.log;
    if (!log) return true;
    return log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK;
  }

  protected override willUpdate(): void {
    this.wasAtBottom = this.isAtBottom();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('messages')) return;
    const last = this.messages[this.messages.length - 1];
    const newOwn = last !== undefined && last.mine && last.id !== this.lastSeenId;
    const firstFill = this.lastSeenId === null && last !== undefined;
    if (this.wasAtBottom || newOwn || firstFill) this.scrollToEnd();
    this.lastSeenId = last?.id ?? null;
    this.reportBottom();
  }

  override render() {
    return html`<div
      class="log"
      role="log"
      aria-label="Messages"
      aria-live="polite"
      tabindex="0"
      @scroll=${this.reportBottom}
    >
      ${
        this.messages.length === 0
          ? html`<p class="empty">${this.ready ? 'No messages yet. Say hello!' : 'Loading…'}</p>`
          : html`<ol>
              ${repeat(
                this.messages,
                (m) => m.id,
                (m, i) => this.renderMessage(m, this.messages[i - 1]),
              )}
            </ol>`
      }
    </div>`;
  }

  private renderMessage(m: MessageView, previous: MessageView | undefined) {
    const day =
      previous === undefined || !sameDay(previous.at, m.at)
        ? html`<div class="day" aria-hidden="true">${dayLabel(m.at)}</div>`
        : null;
    return html`<li class="msg-row">
      ${day}
      <div class="msg ${m.mine ? 'mine' : 'theirs'}" data-message-id=${m.id}>
        <div class="bubble">
          <span class="visually-hidden">${m.mine ? 'You' : this.peerName}:</span>
          <p class="text">${m.text}</p>
          <div class="meta">
            ${m.edited !== null ? html`<span>edited</span>` : null}
            <time datetime=${new Date(m.at).toISOString()}>${timeOfDay(m.at)}</time>
            ${m.state ? this.renderState(m.state) : null}
          </div>
        </div>
      </div>
    </li>`;
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
