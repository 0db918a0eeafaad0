/**
 * `<parley-message-search-results>`: the results part of `<parley-message-search>`, loaded
 * on the first search (lazy-elements.ts). A list of links (who, when, the text around the
 * match with the found words in `<mark>`, built from data segments, never HTML) and a status
 * line. Following a result dispatches `navigate` to the conversation opened at that message;
 * the search box moves the keyboard focus through `links` and `focusedIndex`.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, queryAll } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { SearchResult } from '../../shared/api';
import type { MessageSearchState } from '../data/search';
import { conversationPath } from '../router';
import { sharedStyles } from '../styles/shared-styles';
import { NavigateEvent } from './events';
import { listTime } from './format';

@customElement('parley-message-search-results')
export class MessageSearchResults extends LitElement {
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

  /** The search's state, with a query that is not blank. */
  @property({ attribute: false }) state: MessageSearchState | null = null;
  /** The signed-in user's id: your own messages say "You". */
  @property() me = '';

  @queryAll('li a') private found!: NodeListOf<HTMLAnchorElement>;

  /** The result links, in order. */
  get links(): HTMLAnchorElement[] {
    return Array.from(this.found ?? []);
  }

  /** The index of the focused result link; -1 when none has the focus. */
  get focusedIndex(): number {
    return this.links.indexOf(this.shadowRoot?.activeElement as HTMLAnchorElement);
  }

  override render() {
    const state = this.state;
    if (!state) return null;
    const q = state.query.trim();
    return html`
      ${
        state.results.length > 0
          ? html`<ul aria-label="Messages found">
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
    'parley-message-search-results': MessageSearchResults;
  }
}
