/**
 * `<parley-people-results>`: the results part of `<parley-people-search>`, loaded on the
 * first search (lazy-elements.ts). Each result is a button named with the person's display
 * name (choosing one dispatches `conversation-open`), their presence as text (its
 * description), and "Add contact" / "Accept request" (dispatching `person-action`) when they
 * are not a contact yet. Up/Down, Home/End move through them; Up from the first calls
 * `onBeforeFirst` (the search field).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { DirectoryUser } from '../../shared/api';
import type { Contacts } from '../data/contacts';
import type { PeopleState } from '../data/people';
import type { Presence } from '../data/presence';
import { NowController } from '../controllers/now-controller';
import { RovingFocusController } from '../controllers/roving-focus';
import { StoreController } from '../controllers/store-controller';
import { onlineDotStyles } from '../styles/online-dot-styles';
import { sharedStyles } from '../styles/shared-styles';
import './avatar';
import { ConversationOpenEvent, PersonActionEvent } from './events';
import { presenceText } from './format';

@customElement('parley-people-results')
export class PeopleResults extends LitElement {
  static override styles = [
    sharedStyles,
    onlineDotStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.25rem;
      }
      /* The button's name is the person's name alone; their presence is its description,
         laid over the button's second line (a spacer keeps its place). */
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        grid-template-rows: auto auto;
        align-items: center;
        column-gap: 0.3rem;
      }
      li .open {
        grid-row: 1 / span 2;
        grid-column: 1;
        min-height: 2.75rem;
        min-width: 0;
        display: flex;
        align-items: center;
        gap: 0.7rem;
        width: 100%;
        text-align: left;
        background: transparent;
        border-color: transparent;
        padding: 0.45rem 0.6rem;
      }
      li .open:hover {
        background: var(--glass-strong);
      }
      .who {
        min-width: 0;
        display: grid;
      }
      .presence,
      .spacer {
        font-size: 0.78rem;
        line-height: 1.2;
        color: var(--muted);
      }
      .spacer {
        height: 1.2em;
      }
      li > .status {
        grid-row: 2;
        grid-column: 1;
        align-self: end;
        margin: 0 0 0.55rem calc(0.6rem + 2.4rem + 0.7rem);
        pointer-events: none;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      li > :not(.open):not(.status) {
        grid-row: 1 / span 2;
        grid-column: 2;
      }
      .presence.online {
        color: var(--ok);
      }
      .add {
        min-height: 2.75rem;
        padding: 0.3rem 0.6rem;
        font-size: 0.8rem;
      }
      .name {
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .note {
        margin: 0.5rem 0.2rem 0;
        font-size: 0.85rem;
      }
    `,
  ];

  /** The search's state, with a query that is not blank. */
  @property({ attribute: false }) state: PeopleState | null = null;
  /** For offering "Add contact" to people who are not contacts yet. */
  @property({ attribute: false }) contacts: Contacts | null = null;
  /** Live presence, overlaid on the search answer. */
  @property({ attribute: false }) presence: Presence | null = null;
  /** Up from the first result: focus the search field (return false to stay). */
  @property({ attribute: false }) onBeforeFirst: () => boolean = () => false;

  private readonly contactsStore = new StoreController(this, () => this.contacts);
  private readonly presenceStore = new StoreController(this, () => this.presence);
  private readonly clock = new NowController(this);
  private readonly roving = new RovingFocusController(this, {
    selector: 'button.open',
    onBeforeFirst: () => this.onBeforeFirst(),
  });

  /** Focus the first result; false when there is none. */
  focusFirst(): boolean {
    return this.roving.focusItem(0);
  }

  override render() {
    const state = this.state;
    if (!state) return null;
    const query = state.query;
    return html`${
      state.results.length > 0
        ? html`<ul aria-label="People">
            ${repeat(
              state.results,
              (u) => u.id,
              (u) => this.renderPerson(u),
            )}
          </ul>`
        : null
    }
    ${
      state.error
        ? html`<p class="note" role="alert">${state.error}</p>`
        : !state.searching && state.results.length === 0
          ? html`<p class="note muted">Nobody found for “${query.trim()}”.</p>`
          : null
    }`;
  }

  private renderPerson(found: DirectoryUser) {
    void this.presenceStore.value;
    void this.contactsStore.value;
    const user = this.presence?.resolve(found) ?? found;
    const relation = this.contacts?.relation(user.id) ?? 'none';
    const incoming = this.contacts?.snapshot.incoming.find((r) => r.from.id === user.id);
    return html`<li>
      <button
        class="open"
        type="button"
        aria-describedby=${user.about ? `presence-${user.id} about-${user.id}` : `presence-${user.id}`}
        @click=${() => this.dispatchEvent(new ConversationOpenEvent(user.id))}
      >
        <parley-avatar
          class="avatar ${user.online ? 'online' : ''}"
          user-id=${user.id}
          .name=${user.displayName}
          .photo=${user.avatar ?? null}
        ></parley-avatar>
        <span class="who">
          <span class="name" dir="auto">${user.displayName}</span>
          ${
            // Read as part of the description, so the button's name stays the person's name.
            user.about
              ? html`<span class="about" id="about-${user.id}" aria-hidden="true" dir="auto"
                  >${user.about}</span
                >`
              : null
          }
          <span class="spacer" aria-hidden="true"></span>
        </span>
      </button>
      <span class="presence status ${user.online ? 'online' : ''}" id="presence-${user.id}"
        >${presenceText(user, this.clock.now)}</span
      >
      ${
        relation === 'none'
          ? html`<button
              class="add"
              type="button"
              @click=${() => this.dispatchEvent(new PersonActionEvent('add', user.id))}
            >
              Add contact<span class="visually-hidden"> ${user.displayName}</span>
            </button>`
          : relation === 'incoming' && incoming
            ? html`<button
                class="add"
                type="button"
                @click=${() => this.dispatchEvent(new PersonActionEvent('accept', incoming.id))}
              >
                Accept request<span class="visually-hidden"> of ${user.displayName}</span>
              </button>`
            : relation === 'outgoing'
              ? html`<span class="presence">Requested</span>`
              : null
      }
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-people-results': PeopleResults;
  }
}
