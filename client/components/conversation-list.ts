/**
 * `<parley-conversation-list>`: the conversations — pinned ones first (the latest pin on
 * top), then the rest by newest activity — and an "Archived (n)" button that shows the
 * archived ones. Each entry is a link (see conversation-entry.ts) with a menu beside it;
 * following a link dispatches `navigate`, a menu choice `conversation-pref`.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationSummary } from '../../shared/api';
import { inboxSections } from '../data/inbox-sections';
import { onlineDotStyles } from '../styles/online-dot-styles';
import { sharedStyles } from '../styles/shared-styles';
import { NowController } from '../controllers/now-controller';
import { StoreController } from '../controllers/store-controller';
import type { Presence } from '../data/presence';
import { RovingFocusController } from '../controllers/roving-focus';
import { NavigateEvent } from './events';
import { entryStyles, renderEntry, type EntryContext } from './conversation-entry';
import { ready } from './lazy-elements';

@customElement('parley-conversation-list')
export class ConversationList extends LitElement {
  static override styles = [
    sharedStyles,
    entryStyles,
    onlineDotStyles,
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
      .archived-toggle {
        width: 100%;
        margin: 0 0 0.3rem;
        text-align: left;
        border-color: transparent;
        background: transparent;
        color: var(--muted);
        font-size: 0.88rem;
      }
      .archived-toggle:hover {
        background: var(--glass-strong);
      }
      .archived {
        margin: 0 0 0.6rem;
        padding-bottom: 0.4rem;
        border-bottom: 1px solid var(--border);
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
  /** Ids of the conversations whose other person is typing now. */
  @property({ attribute: false }) typing: ReadonlySet<string> = new Set();
  /** The archived chats are shown. */
  @state() private showArchived = false;

  /** Live presence, overlaid on the summaries (unknown while this device is offline). */
  @property({ attribute: false }) presence: Presence | null = null;

  private readonly clock = new NowController(this);
  private readonly presenceStore = new StoreController(this, () => this.presence);
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
    ready(this, 'parley-menu-button'); // each chat's options; their place is kept meanwhile
    const { pinned, recent, archived } = inboxSections(this.conversations);
    const ctx: EntryContext = {
      activeId: this.activeId,
      me: this.me,
      now: this.clock.now,
      typing: this.typing,
      onClick: this.onClick,
    };
    const main = [...pinned, ...recent];
    return html`
      <h2 id="conversations-title">Conversations</h2>
      ${
        archived.length > 0
          ? html`<button
                type="button"
                class="archived-toggle"
                aria-expanded=${this.showArchived ? 'true' : 'false'}
                aria-controls="archived-list"
                @click=${() => (this.showArchived = !this.showArchived)}
              >
                🗄️ Archived (${archived.length})
              </button>
              ${
                this.showArchived
                  ? html`<ul id="archived-list" class="archived" aria-label="Archived chats">
                      ${repeat(
                        archived,
                        (c) => c.id,
                        (c) => renderEntry(this.resolved(c), ctx),
                      )}
                    </ul>`
                  : null
              }`
          : null
      }
      ${
        main.length === 0
          ? html`<p class="empty muted">
              ${
                !this.loaded
                  ? 'Loading…'
                  : archived.length > 0
                    ? 'No other conversations.'
                    : 'No conversations yet. Search for someone above.'
              }
            </p>`
          : html`<ul aria-labelledby="conversations-title">
              ${repeat(
                main,
                (c) => c.id,
                (c) => renderEntry(this.resolved(c), ctx),
              )}
            </ul>`
      }
    `;
  }

  /** The summary with live presence overlaid (unknown while this device is offline). */
  private resolved(summary: ConversationSummary): ConversationSummary {
    void this.presenceStore.value;
    return this.presence ? { ...summary, peer: this.presence.resolve(summary.peer) } : summary;
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
