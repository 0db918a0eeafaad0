/**
 * `<parley-conversation-list>`: the conversations, newest activity first. Each entry is
 * a link whose accessible name starts with the other person's name, followed by the
 * presence ("online" / "last seen …", with a dot on the avatar), the last message and
 * the unread count ("3 unread"). Following a link dispatches `navigate`.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { ConversationSummary } from '../../shared/api';
import { conversationPath } from '../router';
import { avatarBackground, initials, sharedStyles } from '../styles/shared-styles';
import { NowController } from '../controllers/now-controller';
import { RovingFocusController } from '../controllers/roving-focus';
import { NavigateEvent } from './events';
import { listTime, presenceText } from './format';

@customElement('parley-conversation-list')
export class ConversationList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      h2 {
        margin: 0 0 0.4rem 0.2rem;
        font-size: 0.75rem;
        font-weight: 600;
        letter-spacing: 0.08em;
        text-transform: uppercase;
        color: var(--muted);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.2rem;
      }
      a {
        min-height: 2.75rem;
        display: grid;
        grid-template-columns: auto 1fr auto;
        grid-template-rows: auto auto;
        column-gap: 0.7rem;
        align-items: center;
        padding: 0.55rem 0.6rem;
        border-radius: var(--radius-small);
        color: inherit;
        text-decoration: none;
        border: 1px solid transparent;
      }
      a:hover {
        background: var(--glass-strong);
      }
      a[aria-current='page'] {
        background: var(--glass-hover);
        border-color: var(--border);
      }
      .avatar {
        grid-row: 1 / span 2;
        position: relative;
      }
      .avatar.online::after {
        content: '';
        position: absolute;
        right: -1px;
        bottom: -1px;
        width: 0.7rem;
        height: 0.7rem;
        border-radius: 50%;
        background: var(--ok);
        border: 2px solid var(--bg);
      }
      .name {
        display: flex;
        align-items: center;
        min-width: 0;
        font-weight: 600;
      }
      .who {
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .tag {
        flex: none;
        margin-left: 0.4rem;
        padding: 0.05rem 0.45rem;
        border-radius: 999px;
        font-size: 0.7rem;
        font-weight: 600;
        color: var(--accent);
        border: 1px solid var(--accent);
      }
      /* Placed by grid: the DOM order is the order the accessible name reads in. */
      .name {
        grid-column: 2;
        grid-row: 1;
      }
      .time {
        grid-column: 3;
        grid-row: 1;
        justify-self: end;
        font-size: 0.75rem;
        color: var(--muted);
      }
      .preview {
        grid-column: 2;
        grid-row: 2;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        color: var(--muted);
        font-size: 0.88rem;
      }
      .unread .preview {
        color: var(--text);
      }
      .badge {
        grid-column: 3;
        grid-row: 2;
        justify-self: end;
        min-width: 1.35rem;
        height: 1.35rem;
        padding: 0 0.4rem;
        border-radius: 999px;
        background: var(--accent-strong);
        color: var(--on-accent);
        font-size: 0.75rem;
        font-weight: 700;
        display: inline-grid;
        place-items: center;
      }
      .empty {
        margin: 0.3rem 0.2rem;
        font-size: 0.88rem;
      }
    `,
  ];

  @property({ attribute: false }) conversations: readonly ConversationSummary[] = [];
  /** The conversation on screen (marked aria-current). */
  @property() activeId: string | null = null;
  /** The signed-in user's id, to prefix your own last message with "You:". */
  @property() me = '';
  /** False until a list is known: say "Loading…" rather than "no conversations". */
  @property({ type: Boolean }) loaded = false;

  private readonly clock = new NowController(this);
  /** Up/Down, Home/End move through the entries; one Tab stop for the whole list. */
  private readonly roving = new RovingFocusController(this, {
    selector: 'a[data-conversation-id]',
    current: "[aria-current='page']",
  });

  /** Focus the entry of conversation `id` (back from it on a phone); false when it is not listed. */
  focusConversation(id: string): boolean {
    return this.roving.focusWhere((a) => a.dataset['conversationId'] === id);
  }

  override render() {
    return html`
      <h2 id="conversations-title">Conversations</h2>
      ${
        this.conversations.length === 0
          ? html`<p class="empty muted">
              ${this.loaded ? 'No conversations yet. Search for someone above.' : 'Loading…'}
            </p>`
          : html`<ul aria-labelledby="conversations-title">
              ${repeat(
                this.conversations,
                (c) => c.id,
                (c) => this.renderItem(c),
              )}
            </ul>`
      }
    `;
  }

  private renderItem(c: ConversationSummary) {
    const last = c.lastMessage;
    const unread = c.id === this.activeId ? 0 : c.unread;
    const preview = last
      ? `${last.from === this.me ? 'You: ' : ''}${last.text}`
      : 'No messages yet';
    return html`<li>
      <a
        href=${conversationPath(c.id)}
        data-conversation-id=${c.id}
        class=${unread > 0 ? 'unread' : ''}
        aria-current=${c.id === this.activeId ? 'page' : 'false'}
        @click=${this.onClick}
      >
        <span
          class="avatar ${c.peer.online ? 'online' : ''}"
          aria-hidden="true"
          title=${presenceText(c.peer, this.clock.now)}
          style=${styleMap({ '--avatar-bg': avatarBackground(c.peer.id) })}
          >${initials(c.peer.displayName)}</span
        >
        <span class="name"
          ><span class="who">${c.peer.displayName}</span
          ><span class="visually-hidden" data-presence
            >, ${presenceText(c.peer, this.clock.now)}</span
          >${
            c.request
              ? html`<span class="tag"><span class="visually-hidden">, </span>request</span>`
              : null
          }${
            c.muted
              ? html`<span class="muted-mark"
                  ><span aria-hidden="true"> 🔕</span
                  ><span class="visually-hidden">, muted</span></span
                >`
              : null
          }</span
        >
        ${
          unread > 0
            ? html`<span class="badge"
                ><span class="visually-hidden">, </span>${unread}<span class="visually-hidden">
                  unread</span
                ></span
              >`
            : null
        }
        <span class="preview"><span class="visually-hidden">, </span>${preview}</span>
        <span class="time"
          >${last ? html`<span class="visually-hidden">, </span>${listTime(last.at)}` : ''}</span
        >
      </a>
    </li>`;
  }

  private readonly onClick = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const target = e.currentTarget as HTMLAnchorElement;
    this.dispatchEvent(new NavigateEvent(new URL(target.href).pathname));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-conversation-list': ConversationList;
  }
}
