/**
 * `<parley-admin-page>`: the server's admin page (admins only): who may sign up, invites
 * (create, list, revoke), and accounts (search, disable or enable, make a reset link). Every
 * change is made by the server, which checks the admin flag and writes the audit log.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AdminInvite, AdminUser, RegistrationMode } from '../../shared/admin-api';
import type { AdminConsole } from '../data/admin-console';
import { StoreController } from '../controllers/store-controller';
import { sharedStyles } from '../styles/shared-styles';
import { NavigateEvent } from './events';

const MODES: { mode: RegistrationMode; label: string }[] = [
  { mode: 'open', label: 'Anyone can create an account' },
  { mode: 'invite', label: 'Only people with an invite' },
  { mode: 'closed', label: 'Nobody (registration closed)' },
];

const day = (ms: number): string =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function inviteState(i: AdminInvite, now: number): string {
  if (i.revoked !== null) return 'Revoked';
  if (i.expires <= now) return 'Expired';
  if (i.used >= i.maxUses) return 'Used up';
  return 'Valid';
}

const userState = (u: AdminUser): string =>
  u.deleted !== null ? 'Deleted' : u.disabled ? 'Disabled' : u.admin ? 'Admin' : 'Active';

@customElement('parley-admin-page')
export class AdminPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        margin: 1rem;
      }
      .top {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 1rem;
      }
      .page {
        display: grid;
        gap: 1rem;
        padding: 1rem 1.25rem;
      }
      h2,
      h3 {
        margin: 0 0 0.6rem;
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.4rem;
      }
      form.row,
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.6rem;
      }
      label.stack {
        display: grid;
        gap: 0.25rem;
        font-size: 0.88rem;
      }
      input[type='number'] {
        width: 6rem;
      }
      input.link {
        width: 100%;
        font-family: monospace;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.9rem;
      }
      th,
      td {
        text-align: left;
        padding: 0.35rem 0.4rem;
        border-bottom: 1px solid var(--border);
      }
      .alert {
        padding: 0.5rem 0.7rem;
        border-radius: var(--radius-small);
        background: var(--danger-bg);
        color: var(--danger);
      }
      .notice {
        padding: 0.5rem 0.7rem;
        border-radius: var(--radius-small);
        background: var(--glass-strong);
        display: grid;
        gap: 0.4rem;
      }
    `,
  ];

  @property({ attribute: false }) console!: AdminConsole;
  private readonly data = new StoreController(this, () => this.console);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.console.load();
  }

  override render() {
    const s = this.data.value;
    if (!s) return null;
    return html`<div class="page">
      <div class="top">
        <h2>Administration</h2>
        <a href="/" @click=${this.onBack}>Back to conversations</a>
      </div>
      ${s.error ? html`<p class="alert" role="alert">${s.error}</p>` : null}
      <section class="glass" aria-labelledby="registration-title">
        <h3 id="registration-title">Registration</h3>
        <fieldset>
          <legend class="visually-hidden">Who may create an account</legend>
          ${MODES.map(
            (m) =>
              html`<label
                ><input
                  type="radio"
                  name="mode"
                  .value=${m.mode}
                  .checked=${s.mode === m.mode}
                  @change=${() => void this.console.setRegistration(m.mode)}
                />
                ${m.label}</label
              >`,
          )}
        </fieldset>
      </section>
      <section class="glass" aria-labelledby="invites-title">
        <h3 id="invites-title">Invites</h3>
        <form class="row" @submit=${this.onCreateInvite}>
          <label class="stack"
            >Uses <input name="uses" type="number" min="1" max="10000" value="1" required
          /></label>
          <label class="stack"
            >Valid for days <input name="days" type="number" min="1" max="365" value="7" required
          /></label>
          <button class="primary" type="submit">Create invite</button>
        </form>
        ${
          s.newInvite
            ? html`<div class="notice" role="status">
                <span>New invite link (shown only now, send it to the person you invite):</span>
                <input
                  class="link"
                  readonly
                  aria-label="New invite link"
                  .value=${s.newInvite.link}
                  @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
                />
              </div>`
            : null
        }
        ${this.renderInvites(s.invites)}
      </section>
      <section class="glass" aria-labelledby="users-title">
        <h3 id="users-title">Accounts</h3>
        <div class="row">
          <input
            type="search"
            aria-label="Search accounts"
            placeholder="Search by name or e-mail"
            .value=${s.query}
            @input=${(e: InputEvent) =>
              void this.console.search((e.target as HTMLInputElement).value)}
          />
        </div>
        ${
          s.resetLink
            ? html`<div class="notice" role="status">
                <span>Reset link for ${s.resetLink.email} (works once, for 1 hour):</span>
                <input
                  class="link"
                  readonly
                  aria-label="Reset link"
                  .value=${s.resetLink.link}
                  @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
                />
              </div>`
            : null
        }
        ${this.renderUsers(s.users)}
      </section>
    </div>`;
  }

  private renderInvites(invites: readonly AdminInvite[]) {
    if (invites.length === 0) return html`<p class="muted">No invites yet.</p>`;
    const now = Date.now();
    return html`<table aria-label="Invites">
      <thead>
        <tr>
          <th scope="col">State</th>
          <th scope="col">Used</th>
          <th scope="col">Expires</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${invites.map((i) => {
          const state = inviteState(i, now);
          return html`<tr>
            <td>${state}</td>
            <td>${i.used} of ${i.maxUses}</td>
            <td>${day(i.expires)}</td>
            <td>
              ${
                state === 'Valid'
                  ? html`<button
                      aria-label=${`Revoke invite created ${day(i.created)}`}
                      @click=${() => void this.console.revokeInvite(i.id)}
                    >
                      Revoke
                    </button>`
                  : null
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  private renderUsers(users: readonly AdminUser[]) {
    if (users.length === 0) return html`<p class="muted">No accounts match.</p>`;
    return html`<table aria-label="Accounts">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">E-mail</th>
          <th scope="col">State</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${users.map(
          (u) =>
            html`<tr>
              <td>${u.displayName}</td>
              <td>${u.email}</td>
              <td>${userState(u)}</td>
              <td>
                ${
                  u.deleted === null
                    ? html`<div class="row">
                        <button
                          aria-label=${`${u.disabled ? 'Enable' : 'Disable'} ${u.email}`}
                          @click=${() => void this.console.setDisabled(u.id, !u.disabled)}
                        >
                          ${u.disabled ? 'Enable' : 'Disable'}
                        </button>
                        <button
                          aria-label=${`Make a reset link for ${u.email}`}
                          @click=${() => void this.console.resetLink(u.id)}
                        >
                          Reset link
                        </button>
                      </div>`
                    : null
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private readonly onBack = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.dispatchEvent(new NavigateEvent('/'));
  };

  private readonly onCreateInvite = (e: SubmitEvent): void => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const num = (name: string, fallback: number): number => {
      const n = Number(data.get(name));
      return Number.isInteger(n) && n > 0 ? n : fallback;
    };
    void this.console.createInvite(num('uses', 1), num('days', 7));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-admin-page': AdminPage;
  }
}
