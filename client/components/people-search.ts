/**
 * `<parley-people-search>`: find people in the directory by name or whole e-mail address.
 * The field paints at once; the results part (`<parley-people-results>`) loads on the first
 * keystroke. Down from the field enters the results; Escape clears.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { Contacts } from '../data/contacts';
import type { People } from '../data/people';
import type { Presence } from '../data/presence';
import { StoreController } from '../controllers/store-controller';
import { sharedStyles } from '../styles/shared-styles';
import { loadElement, ready } from './lazy-elements';
import type { PeopleResults } from './people-results';

@customElement('parley-people-search')
export class PeopleSearch extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      input[type='search'] {
        padding-left: 2.2rem;
      }
      .field {
        position: relative;
      }
      .icon {
        position: absolute;
        left: 0.8rem;
        top: 50%;
        width: 0.8rem;
        height: 0.8rem;
        border: 2px solid var(--muted);
        border-radius: 50%;
        transform: translateY(-60%);
        pointer-events: none;
      }
      .icon::after {
        content: '';
        position: absolute;
        width: 2px;
        height: 0.4rem;
        background: var(--muted);
        right: -0.25rem;
        bottom: -0.35rem;
        transform: rotate(-45deg);
      }
      .note {
        margin: 0.5rem 0.2rem 0;
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ attribute: false }) people: People | null = null;
  /** For offering "Add contact" to people who are not contacts yet. */
  @property({ attribute: false }) contacts: Contacts | null = null;
  /** Live presence, overlaid on the search answer. */
  @property({ attribute: false }) presence: Presence | null = null;

  private readonly store = new StoreController(this, () => this.people);

  @query('input') private input!: HTMLInputElement | null;
  @query('parley-people-results') private results!: PeopleResults | null;

  override render() {
    const state = this.store.value;
    const query = state?.query ?? '';
    return html`
      <div class="field" role="search">
        <span class="icon" aria-hidden="true"></span>
        <input
          type="search"
          aria-label="Search people"
          placeholder="Find people by name or full e-mail address"
          autocomplete="off"
          spellcheck="false"
          .value=${query}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        />
      </div>
      ${
        !state || query.trim() === ''
          ? null
          : ready(this, 'parley-people-results')
            ? html`<parley-people-results
                .state=${state}
                .contacts=${this.contacts}
                .presence=${this.presence}
                .onBeforeFirst=${this.focusInput}
              ></parley-people-results>`
            : html`<p class="note muted" role="status">Searching…</p>`
      }
    `;
  }

  private readonly focusInput = (): boolean => {
    this.input?.focus();
    return true;
  };

  private readonly onInput = (e: InputEvent): void => {
    loadElement('parley-people-results').catch(() => undefined); // render retries
    this.people?.search((e.target as HTMLInputElement).value);
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') this.people?.clear();
    else if (e.key === 'ArrowDown' && this.results?.focusFirst()) e.preventDefault();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-people-search': PeopleSearch;
  }
}
