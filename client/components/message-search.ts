/**
 * `<parley-message-search>`: find messages in all your conversations. A search landmark with
 * a labelled input; the results are a list of links (who, when, the text around the match
 * with the found words in `<mark>`, built from data segments, never HTML). Arrow keys move
 * between the input and the results, Escape clears. Following a result dispatches
 * `navigate` to the conversation opened at that message.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, queryAll } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { SearchResult } from '../../shared/api';
import type { LazyService } from '../data/lazy-service';
import type { MessageSearch } from '../data/search';
import { StoreController } from '../controllers/store-controller';
import { conversationPath } from '../router';
import { sharedStyles } from '../styles/shared-styles';
import { NavigateEvent } from './events';
import { listTime } from './format';

@customElement('parley-message-search')
export class MessageSearchBox extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0.4rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.15rem;
        max-height: 45vh;
        overflow-y: auto;
      }
      a {
        display: grid;
        grid-template-columns: 1fr auto;
        column-gap: 0.5rem;
        padding: 0.45rem 0.6rem;
        border-radius: var(--radius-small);
        color: inherit;
        text-decoration: none;
        border: 1px solid transparent;
      }
      a:hover,
      a:focus-visible {
        background: var(--glass-strong);
        border-color: var(--border);
      }
      .who {
        font-weight: 600;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .time {
        font-size: 0.75rem;
        color: var(--muted);
      }
      .text {
        grid-column: 1 / span 2;
        font-size: 0.88rem;
        color: var(--muted);
        overflow-wrap: anywhere;
      }
      mark {
        background: color-mix(in srgb, var(--accent) 35%, transparent);
        color: var(--text);
        border-radius: 3px;
        padding: 0 1px;
      }
      .note {
        margin: 0.4rem 0.2rem 0;
        font-size: 0.85rem;
      }
    `,
  ];

  /** The search service; its module loads on the first keystroke (the input paints at once). */
  @property({ attribute: false }) search: LazyService<MessageSearch> | null = null;
  /** The signed-in user's id: your own messages say "You". */
  @property() me = '';

  private readonly service = new StoreController(this, () => this.search);
  private readonly store = new StoreController(this, () => this.service.value);

  @queryAll('li a') private links!: NodeListOf<HTMLAnchorElement>;

  override render() {
    const state = this.store.value;
    const query = state?.query ?? '';
    const active = state !== undefined && query.trim() !== '';
    return html`
      <div role="search" aria-label="Messages">
        <input
          type="search"
          aria-label="Search messages"
          placeholder="Search messages"
          autocomplete="off"
          spellcheck="false"
          .value=${query}
          @input=${this.onInput}
          @keydown=${this.onInputKeydown}
        />
      </div>
      ${active ? this.renderResults() : null}
    `;
  }

  private renderResults() {
    const state = this.store.value;
    if (!state) return null;
    const q = state.query.trim();
    return html`
      ${
        state.results.length > 0
          ? html`<ul aria-label="Messages found" @keydown=${this.onListKeydown}>
              ${repeat(
                state.results,
                (r) => `${r.conversationId}/${r.message.id}`,
                (r) => this.renderResult(r),
              )}
            </ul>`
          : null
      }
      <p class="note ${state.error ? '' : 'muted'}" role="status">
        ${
          state.error
            ? state.error
            : state.searching
              ? 'Searching…'
              : state.results.length === 0
                ? `No messages found for “${q}”${state.source === 'device' ? ' on this device' : ''}.`
                : state.source === 'device'
                  ? 'Offline: these are the messages on this device.'
                  : ''
        }
      </p>
    `;
  }

  private renderResult(r: SearchResult) {
    const who = r.message.from === this.me ? 'You' : r.peer.displayName;
    const where = r.message.from === this.me ? ` to ${r.peer.displayName}` : '';
    return html`<li>
      <a
        href=${conversationPath(r.conversationId, r.message.id)}
        @click=${this.onClick}
        data-message-id=${r.message.id}
      >
        <span class="who" dir="auto">${who}${where}</span>
        <span class="time">${listTime(r.message.at)}</span>
        <span class="text" dir="auto"
          >${r.snippet.map((s) => (s.match ? html`<mark>${s.text}</mark>` : s.text))}</span
        >
      </a>
    </li>`;
  }

  private readonly onInput = (e: InputEvent): void => {
    const query = (e.target as HTMLInputElement).value;
    // Before the service is loaded, each keystroke waits for it, in order: the last one wins.
    this.search?.load().then(
      (search) => search.search(query),
      (err: unknown) => console.warn('Could not load message search', err),
    );
  };

  private readonly onInputKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      this.search?.instance?.clear();
    } else if (e.key === 'ArrowDown' && this.links.length > 0) {
      e.preventDefault();
      this.links[0]?.focus();
    }
  };

  /** Up and Down move between results (Up from the first returns to the input); Home, End. */
  private readonly onListKeydown = (e: KeyboardEvent): void => {
    const links = Array.from(this.links);
    const at = links.indexOf(this.shadowRoot?.activeElement as HTMLAnchorElement);
    let next: HTMLElement | null | undefined;
    if (e.key === 'ArrowDown') next = links[Math.min(at + 1, links.length - 1)];
    else if (e.key === 'ArrowUp')
      next = at <= 0 ? this.renderRoot.querySelector('input') : links[at - 1];
    else if (e.key === 'Home') next = links[0];
    else if (e.key === 'End') next = links[links.length - 1];
    else if (e.key === 'Escape') {
      this.search?.instance?.clear();
      next = this.renderRoot.querySelector('input');
    } else return;
    e.preventDefault();
    next?.focus();
  };

  private readonly onClick = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const target = e.currentTarget as HTMLAnchorElement;
    const url = new URL(target.href);
    this.dispatchEvent(new NavigateEvent(url.pathname + url.search));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-message-search': MessageSearchBox;
  }
}
