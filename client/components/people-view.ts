/**
 * `<parley-people-view>`: your people — contact requests to answer, requests you sent,
 * your contacts with their presence, and the people you blocked. Every action dispatches
 * `person-action` (the app shell carries it out) or `conversation-open`.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { DirectoryUser } from '../../shared/api';
import type { UserServices } from '../app-services';
import { NowController } from '../controllers/now-controller';
import { StoreController } from '../controllers/store-controller';
import { sharedStyles } from '../styles/shared-styles';
import './avatar';
import {
  ConversationOpenEvent,
  NavigateEvent,
  PersonActionEvent,
  type PersonAction,
} from './events';
import { presenceText } from './format';

@customElement('parley-people-view')
export class PeopleView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        height: 100%;
      }
      section.view {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        padding: 0.8rem 1.2rem 1.2rem;
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.6rem;
      }
      h1 {
        margin: 0.3rem 0;
        font-size: 1.2rem;
      }
      h2 {
        margin: 1.2rem 0 0.4rem;
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
        gap: 0.3rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 0.8rem;
        padding: 0.5rem 0.6rem;
        border-radius: var(--radius-small);
        background: var(--glass);
        border: 1px solid var(--border);
      }
      .who {
        flex: 1 1 10rem;
        min-width: 0;
        display: grid;
      }
      .name {
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .presence {
        font-size: 0.8rem;
        color: var(--muted);
      }
      .presence.online {
        color: var(--ok);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      .actions button {
        padding: 0.35rem 0.75rem;
        font-size: 0.88rem;
      }
      .back {
        display: none;
      }
      @media (max-width: 799px) {
        .back {
          display: inline-flex;
        }
      }
      .empty {
        margin: 0.2rem;
        font-size: 0.9rem;
      }
      .alert {
        padding: 0.5rem 0.7rem;
        border-radius: var(--radius-small);
        background: var(--danger-bg);
        color: var(--danger);
      }
    `,
  ];

  @property({ attribute: false }) account: UserServices | null = null;

  private readonly contacts = new StoreController(this, () => this.account?.contacts);
  private readonly presence = new StoreController(this, () => this.account?.presence);
  private readonly clock = new NowController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.account?.contacts.refresh();
  }

  override render() {
    const state = this.contacts.value;
    void this.presence.value;
    return html`<section class="view glass" aria-labelledby="people-title">
      <header>
        <button class="back ghost" type="button" @click=${this.onBack}>
          <span aria-hidden="true">←</span>&nbsp;Back
        </button>
        <h1 id="people-title">People</h1>
      </header>
      ${state?.error ? html`<p class="alert" role="alert">${state.error}</p>` : null}
      ${
        !state?.loaded
          ? html`<p class="empty muted">Loading…</p>`
          : html`
              ${this.renderList(
                'Contact requests',
                state.incoming.map((r) => ({ user: r.from, key: r.id })),
                (user, key) => html`
                  ${this.action('accept', key, 'Accept', user, true)}
                  ${this.action('decline', key, 'Decline', user)}
                `,
                'No requests.',
              )}
              ${this.renderList(
                'Sent requests',
                state.outgoing.map((r) => ({ user: r.to, key: r.id })),
                (user, key) => this.action('cancel', key, 'Cancel', user),
                'No requests waiting.',
              )}
              ${this.renderList(
                'Contacts',
                state.contacts.map((u) => ({ user: u, key: u.id })),
                (user) => html`
                  <button type="button" class="primary" @click=${() => this.open(user.id)}>
                    Message<span class="visually-hidden"> ${user.displayName}</span>
                  </button>
                  ${this.action('remove', user.id, 'Remove contact', user)}
                  ${this.action('block', user.id, 'Block', user)}
                `,
                'No contacts yet. Search for people and add them.',
                true,
              )}
              ${this.renderList(
                'Blocked',
                state.blocked.map((u) => ({ user: u, key: u.id })),
                (user) => this.action('unblock', user.id, 'Unblock', user),
                'Nobody is blocked.',
              )}
            `
      }
    </section>`;
  }

  private renderList(
    title: string,
    entries: { user: DirectoryUser; key: string }[],
    actions: (user: DirectoryUser, key: string) => unknown,
    empty: string,
    showPresence = false,
  ) {
    const id = `list-${title.toLowerCase().replace(/\s+/g, '-')}`;
    return html`<h2 id=${id}>${title}</h2>
      ${
        entries.length === 0
          ? html`<p class="empty muted">${empty}</p>`
          : html`<ul aria-labelledby=${id}>
              ${repeat(
                entries,
                (e) => e.key,
                ({ user: raw, key }) => {
                  const user = this.account?.presence.resolve(raw) ?? raw;
                  return html`<li>
                    <parley-avatar
                      class="avatar"
                      user-id=${user.id}
                      .name=${user.displayName}
                      .photo=${user.avatar ?? null}
                    ></parley-avatar>
                    <span class="who">
                      <span class="name" dir="auto">${user.displayName}</span>
                      ${
                        showPresence
                          ? html`<span class="presence ${user.online ? 'online' : ''}"
                              >${presenceText(user, this.clock.now)}</span
                            >`
                          : null
                      }${user.about ? html`<span class="about" dir="auto">${user.about}</span>` : null}
                    </span>
                    <span class="actions">${actions(user, key)}</span>
                  </li>`;
                },
              )}
            </ul>`
      }`;
  }

  private action(
    action: PersonAction,
    subject: string,
    label: string,
    user: DirectoryUser,
    primary = false,
  ) {
    return html`<button
      type="button"
      class=${primary ? 'primary' : ''}
      @click=${() => this.dispatchEvent(new PersonActionEvent(action, subject))}
    >
      ${label}<span class="visually-hidden"> ${user.displayName}</span>
    </button>`;
  }

  private open(userId: string): void {
    this.dispatchEvent(new ConversationOpenEvent(userId));
  }

  private readonly onBack = (): void => {
    this.dispatchEvent(new NavigateEvent('/'));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-people-view': PeopleView;
  }
}
