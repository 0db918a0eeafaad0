/**
 * `<parley-message-bubble>`: one message of the list — yours on the right with its
 * delivery state, theirs on the left; the quote of the message it replies to, its
 * attachments, "edited", and the reactions under it. Links in the text become `<a>`
 * elements through Lit bindings: text is never parsed as HTML.
 *
 * Renders into the list's shadow root (no shadow root of its own: one per message made
 * every page of messages much slower to add while scrolling), styled by
 * `messageBubbleStyles`. The list calls `flush()` after its own update, so every bubble
 * is in the DOM before the list measures and restores its scroll position.
 *
 * Every message has an options menu (Reply, React, Edit, Copy text, Delete for everyone,
 * as allowed): a plain button until it is used, then a real `<parley-menu-button>`.
 * Reply, Edit, Copy and Delete go up as `message-action`; React opens the reaction picker
 * here. (Swiping to reply is the list's SwipeToReply.)
 */
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { RowLayout } from '../data/grouping';
import type { MessageView } from '../data/message-state';
import { renderDeliveryState } from './delivery-state';
import {
  MessageActionEvent,
  type MenuSelectEvent,
  type MessageAction,
  type PopupCloseEvent,
} from './events';
import { timeOfDay } from './format';
import { authorTimeNote } from './message-time';
import { tokenize } from './linkify';
import type { MenuItem } from './menu-button';
import type { NameOf } from './people-names';
import { renderReactions } from './reaction-chips';
import { renderReplyQuote } from './reply-quote';
import { loadElement } from './lazy-elements';

/** What the menu says about messages in sealed (read-only) history. */
export const SEALED_NOTE = 'Older messages can no longer be edited, reacted to or deleted.';

/** The menu of one message: what may be done to it. */
function menuItems(m: MessageView): MenuItem[] {
  const items: MenuItem[] = [{ label: 'Reply', value: 'reply' }];
  if (!m.sealed) items.push({ label: 'React', value: 'react' });
  if (m.canEdit) items.push({ label: 'Edit', value: 'edit' });
  if (m.text) items.push({ label: 'Copy text', value: 'copy' });
  if (m.mine && !m.sealed)
    items.push({ label: 'Delete for everyone', value: 'delete', danger: true });
  return items;
}

@customElement('parley-message-bubble')
export class MessageBubble extends LitElement {
  @property({ attribute: false }) message!: MessageView;
  /** Names of the people (the other person's display name, "You"). */
  @property({ attribute: false }) nameOf: NameOf = () => '';
  /** The conversation (for the attachments element). */
  @property({ attribute: false }) conversationId = '';
  /** Open the menu upwards (the message is near the bottom of the list). */
  @property({ attribute: false }) menuUp = false;
  /** The message Tab reaches in the list (roving focus: one message at a time). */
  @property({ attribute: false }) current = false;
  /** Briefly highlighted (revealed from a quote or a search result). */
  @property({ attribute: false }) highlighted = false;
  /** Its place in the list: group, shown time (`layoutTimeline`); null: a group of its own. */
  @property({ attribute: false }) row: RowLayout | null = null;
  /** True once the options button was used: a real menu button replaces it. */
  @state() private menuInUse = false;
  @state() private picking = false;
  private pickerBelow = false;
  /** Pixels of the log on the side the picker opens to (its full list fits in them). */
  private pickerRoom = 400;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Render now if an update is pending (the list measures right after its own update). */
  flush(): void {
    if (this.isUpdatePending) this.performUpdate();
  }

  /** Open the reaction picker (from the menu, or a keyboard shortcut). */
  async react(): Promise<void> {
    if (this.message.sealed || this.message.deleted) return;
    // The picker (and its full emoji list) is fetched the first time someone reacts.
    await import('./reaction-picker');
    // Open towards the roomier side of the log (below a message near its top).
    const log = this.closest('.log');
    const msg = this.querySelector('.msg');
    if (log && msg) {
      const l = log.getBoundingClientRect();
      const m = msg.getBoundingClientRect();
      const above = m.top - l.top;
      const below = l.bottom - m.bottom;
      this.pickerBelow = above < below;
      this.pickerRoom = Math.max(above, below) - 8;
    }
    this.picking = true;
    await this.updateComplete;
  }

  override render() {
    const m = this.message;
    const side = m.mine ? 'mine' : 'theirs';
    const who = m.mine ? 'You' : this.nameOf(m.from);
    if (m.deleted) {
      return html`<div class="msg deleted ${side}" data-message-id=${m.id}>
        <div class="bubble">
          <span class="visually-hidden">${who}:</span>
          <p class="text">Message deleted</p>
        </div>
      </div>`;
    }
    const row = this.row;
    const shownAt = row?.shownAt ?? m.at;
    const groupEnd = row?.groupEnd ?? true;
    return html`<div
      class="msg ${side} ${this.highlighted ? 'highlight' : ''} ${groupEnd ? 'tail' : 'grouped'}"
      data-message-id=${m.id}
      tabindex=${this.current ? '0' : '-1'}
      aria-keyshortcuts=${m.canEdit ? 'R E' : 'R'}
    >
      ${this.renderMenu(m)}
      <div class="body">
        <div class="bubble">
          <span class="visually-hidden">${who}:</span>
          ${m.replyTo ? renderReplyQuote(m.replyTo, this.nameOf) : null}
          ${
            m.attachments.length > 0
              ? html`<parley-message-attachments
                  .attachments=${m.attachments}
                  .conversationId=${this.conversationId}
                  .mine=${m.mine}
                ></parley-message-attachments>`
              : null
          }
          ${m.text ? html`<p class="text" dir="auto">${renderText(m.text)}</p>` : null}
          ${
            m.unsupported
              ? html`<p class="unsupported">This message needs a newer version of Parley.</p>`
              : null
          }
          <div class="meta">
            ${m.edited ? html`<span>edited</span>` : null}
            ${
              row?.authorAt
                ? html`<span class="written">${authorTimeNote(row.authorAt, shownAt)}</span>`
                : null
            }
            <time class=${groupEnd ? '' : 'quiet'} datetime=${new Date(shownAt).toISOString()}
              >${timeOfDay(shownAt)}</time
            >
            ${m.state ? renderDeliveryState(m.state) : null}
          </div>
        </div>
        ${renderReactions(m.id, m.reactions, this.nameOf, m.sealed === true)}
      </div>
      ${
        this.picking
          ? html`<parley-reaction-picker
              .messageId=${m.id}
              .mine=${m.reactions.filter((r) => r.mine).map((r) => r.emoji)}
              align=${m.mine ? 'end' : 'start'}
              ?below=${this.pickerBelow}
              .room=${this.pickerRoom}
              @popup-close=${this.onPickerClose}
            ></parley-reaction-picker>`
          : null
      }
    </div>`;
  }

  private renderMenu(m: MessageView) {
    if (this.menuInUse) {
      return html`<parley-menu-button
        label="Message options"
        align=${m.mine ? 'start' : 'end'}
        ?up=${this.menuUp}
        .items=${menuItems(m)}
        .note=${m.sealed ? SEALED_NOTE : ''}
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
    try {
      await loadElement('parley-menu-button');
    } catch (e) {
      console.warn('Could not load the message menu', e); // the next press tries again
      return;
    }
    this.menuInUse = true;
    await this.updateComplete;
    const menu = this.querySelector('parley-menu-button');
    if (!menu) return;
    await menu.updateComplete;
    await menu.show();
  };

  private readonly onMenu = (e: MenuSelectEvent): void => {
    e.stopPropagation();
    const action = e.value as MessageAction;
    if (action === 'react') void this.react();
    else this.act(action);
  };

  private act(action: MessageAction): void {
    if (this.message.deleted) return;
    this.dispatchEvent(new MessageActionEvent(action, this.message.id));
  }

  private readonly onPickerClose = (e: PopupCloseEvent): void => {
    e.stopPropagation();
    this.picking = false;
    // Back to the message the person was on.
    this.querySelector<HTMLElement>('.msg')?.focus();
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
