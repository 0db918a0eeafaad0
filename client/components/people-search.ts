/**
 * `<parley-people-search>`: find people in the directory by name or e-mail. Each result
 * is a button named with the person's display name; choosing one dispatches
 * `conversation-open`.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { DirectoryUser } from '../../shared/api';
import type { People } from '../data/people';
import { StoreController } from '../controllers/store-controller';
import { avatarBackground, initials, sharedStyles } from '../styles/shared-styles';
import { ConversationOpenEvent } from './events';

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
      ul {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.25rem;
      }
      li button {
        display: flex;
        align-items: center;
        gap: 0.7rem;
        width: 100%;
        text-align: left;
        background: transparent;
        border-color: transparent;
        padding: 0.45rem 0.6rem;
      }
      li button:hover {
        background: var(--glass-strong);
      }
      .avatar {
        position: relative;
      }
      .online::after {
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

  @property({ attribute: false }) people: People | null = null;

  private readonly store = new StoreController(this, () => this.people);

  override render() {
    const state = this.store.value;
    const query = state?.query ?? '';
    return html`
      <div class="field" role="search">
        <span class="icon" aria-hidden="true"></span>
        <input
          type="search"
          aria-label="Search people"
          placeholder="Find people by name or e-mail"
          autocomplete="off"
          spellcheck="false"
          .value=${query}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        />
      </div>
      ${
        state && query.trim() !== ''
          ? html`${
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
            }`
          : null
      }
    `;
  }

  private renderPerson(user: DirectoryUser) {
    return html`<li>
      <button
        type="button"
        aria-describedby="presence-${user.id}"
        @click=${() => this.dispatchEvent(new ConversationOpenEvent(user.id))}
      >
        <span
          class="avatar ${user.online ? 'online' : ''}"
          aria-hidden="true"
          style=${styleMap({ '--avatar-bg': avatarBackground(user.id) })}
          >${initials(user.displayName)}</span
        >
        <span class="name">${user.displayName}</span>
      </button>
      <span id="presence-${user.id}" hidden>${user.online ? 'online' : 'offline'}</span>
    </li>`;
  }

  private readonly onInput = (e: InputEvent): void => {
    this.people?.search((e.target as HTMLInputElement).value);
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') this.people?.clear();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-people-search': PeopleSearch;
  }
}
