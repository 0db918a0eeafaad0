/**
 * `<parley-message-bubble>`: one message of the list — yours on the right with its
 * delivery state and an options menu, theirs on the left. Links in the text become `<a>`
 * elements through Lit bindings: text is never parsed as HTML.
 *
 * Renders into the list's shadow root (no shadow root of its own: one per message made
 * every page of messages much slower to add while scrolling), styled by
 * `messageBubbleStyles`. The list calls `flush()` after its own update, so every bubble
 * is in the DOM before the list measures and restores its scroll position.
 *
 * The options button is a plain button until it is used; only then does this message get
 * a real `<parley-menu-button>`, opened in its place with the focus on its first item.
 * Choosing an item dispatches `message-action`.
 */
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { MessageView } from '../data/message-state';
import { renderDeliveryState } from './delivery-state';
import { MessageActionEvent, type MenuSelectEvent, type MessageAction } from './events';
import { timeOfDay } from './format';
import { tokenize } from './linkify';
import type { MenuItem } from './menu-button';
import './menu-button';

const OWN_MESSAGE_MENU: readonly MenuItem[] = [
  { label: 'Delete for everyone', value: 'delete', danger: true },
];

@customElement('parley-message-bubble')
export class MessageBubble extends LitElement {
  @property({ attribute: false }) message!: MessageView;
  /** The other person's display name (for screen-reader text). */
  @property({ attribute: false }) peerName = '';
  /** Open the menu upwards (the message is near the bottom of the list). */
  @property({ attribute: false }) menuUp = false;
  /** True once the options button was used: a real menu button replaces it. */
  @state() private menuInUse = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Render now if an update is pending (the list measures right after its own update). */
  flush(): void {
    if (this.isUpdatePending) this.performUpdate();
  }

  override render() {
    const m = this.message;
    const who = m.mine ? 'You' : this.peerName;
    if (m.deleted) {
      return html`<div class="msg deleted ${m.mine ? 'mine' : 'theirs'}" data-message-id=${m.id}>
        <div class="bubble">
          <span class="visually-hidden">${who}:</span>
          <p class="text">Message deleted</p>
        </div>
      </div>`;
    }
    return html`<div class="msg ${m.mine ? 'mine' : 'theirs'}" data-message-id=${m.id}>
      ${m.mine && !m.sealed ? this.renderMenu() : null}
      <div class="bubble">
        <span class="visually-hidden">${who}:</span>
        <p class="text">${renderText(m.text)}</p>
        <div class="meta">
          ${m.edited !== null ? html`<span>edited</span>` : null}
          <time datetime=${new Date(m.at).toISOString()}>${timeOfDay(m.at)}</time>
          ${m.state ? renderDeliveryState(m.state) : null}
        </div>
      </div>
    </div>`;
  }

  private renderMenu() {
    if (this.menuInUse) {
      return html`<parley-menu-button
        label="Message options"
        align="start"
        ?up=${this.menuUp}
        .items=${OWN_MESSAGE_MENU}
        @menu-select=${this.onMenu}
      ></parley-menu-button>`;
    }
    return html`<button
      class="options ghost"
      type="button"
      aria-label="Message options"
      title="Message options"
      aria-haspopup="menu"
      aria-expanded="false"
      @click=${this.openMenu}
    >
      <span aria-hidden="true">⋯</span>
    </button>`;
  }

  private readonly openMenu = async (): Promise<void> => {
    this.menuInUse = true;
    await this.updateComplete;
    const menu = this.querySelector('parley-menu-button');
    if (!menu) return;
    await menu.updateComplete;
    await menu.show();
  };

  private readonly onMenu = (e: MenuSelectEvent): void => {
    e.stopPropagation();
    this.dispatchEvent(new MessageActionEvent(e.value as MessageAction, this.message.id));
  };
}

/** Text and links as separate nodes: a link's text is bound as text, never as HTML. */
function renderText(text: string) {
  return tokenize(text).map((t) =>
    t.kind === 'link'
      ? html`<a href=${t.href} target="_blank" rel="noopener noreferrer">${t.text}</a>`
      : t.text,
  );
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-message-bubble': MessageBubble;
  }
}
