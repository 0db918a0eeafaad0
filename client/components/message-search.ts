/**
 * `<parley-message-search>`: find messages in all your conversations. A search landmark with
 * a labelled input, which paints at once; the search service and the results part
 * (`<parley-message-search-results>`) load on the first keystroke. Arrow keys move between
 * the input and the results, Escape clears.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { LazyService } from '../data/lazy-service';
import type { MessageSearch } from '../data/search';
import { StoreController } from '../controllers/store-controller';
import { sharedStyles } from '../styles/shared-styles';
import { loadElement, ready } from './lazy-elements';
import type { MessageSearchResults } from './message-search-results';

@customElement('parley-message-search')
export class MessageSearchBox extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
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

  @query('input') private input!: HTMLInputElement | null;
  @query('parley-message-search-results') private results!: MessageSearchResults | null;

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
      ${
        !active
          ? null
          : ready(this, 'parley-message-search-results')
            ? html`<parley-message-search-results
                .state=${state}
                .me=${this.me}
                @keydown=${this.onListKeydown}
              ></parley-message-search-results>`
            : html`<p class="note muted" role="status">Searching…</p>`
      }
    `;
  }

  private readonly onInput = (e: InputEvent): void => {
    const query = (e.target as HTMLInputElement).value;
    loadElement('parley-message-search-results').catch(() => undefined); // render retries
    // Before the service is loaded, each keystroke waits for it, in order: the last one wins.
    this.search?.load().then(
      (search) => search.search(query),
      (err: unknown) => console.warn('Could not load message search', err),
    );
  };

  private readonly onInputKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      this.search?.instance?.clear();
    } else if (e.key === 'ArrowDown') {
      const first = this.results?.links[0];
      if (!first) return;
      e.preventDefault();
      first.focus();
    }
  };

  /** Up and Down move between results (Up from the first returns to the input); Home, End. */
  private readonly onListKeydown = (e: KeyboardEvent): void => {
    const links = this.results?.links ?? [];
    const at = this.results?.focusedIndex ?? -1;
    let next: HTMLElement | null | undefined;
    if (e.key === 'ArrowDown') next = links[Math.min(at + 1, links.length - 1)];
    else if (e.key === 'ArrowUp') next = at <= 0 ? this.input : links[at - 1];
    else if (e.key === 'Home') next = links[0];
    else if (e.key === 'End') next = links[links.length - 1];
    else if (e.key === 'Escape') {
      this.search?.instance?.clear();
      next = this.input;
    } else return;
    e.preventDefault();
    next?.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-message-search': MessageSearchBox;
  }
}
