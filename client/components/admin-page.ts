/**
 * `<parley-admin-page>`: the server's admin page (admins only): who may sign up, invites
 * (create, list, revoke), and accounts (search, disable or enable, make a reset link). Every
 * change is made by the server, which checks the admin flag and writes the audit log.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AdminUser, RegistrationMode } from '../../shared/admin-api';
import type { AdminConsole } from '../data/admin-console';
import { StoreController } from '../controllers/store-controller';
import { sharedStyles } from '../styles/shared-styles';
import { adminStyles } from '../styles/admin-styles';
import './admin-invites';
import { NavigateEvent } from './events';

const MODES: { mode: RegistrationMode; label: string }[] = [
  { mode: 'open', label: 'Anyone can create an account' },
  { mode: 'invite', label: 'Only people with an invite' },
  { mode: 'closed', label: 'Nobody (registration closed)' },
];

const userState = (u: AdminUser): string =>
  u.deleted !== null ? 'Deleted' : u.disabled ? 'Disabled' : u.admin ? 'Admin' : 'Active';

@customElement('parley-admin-page')
export class AdminPage extends LitElement {
  static override styles = [
    sharedStyles,
    adminStyles,
    css`
      :host {
        display: block;
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        margin: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) console!: AdminConsole;
  /** The signed-in admin's id: their own account cannot be disabled here. */
  @property() me = '';
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
        <h1>Administration</h1>
        <a href="/" @click=${this.onBack}>Back to conversations</a>
      </div>
      ${s.error ? html`<p class="alert" role="alert">${s.error}</p>` : null}
      <section class="glass" aria-labelledby="registration-title">
        <h3 id="registration-title">Registration</h3>
        <fieldset>
          <legend class="visually-hidden">Who may create an account</legend>
          ${MODES.map(
            (m) =>
              html`<label class="choice"
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
      <parley-admin-invites
        class="glass"
        .console=${this.console}
        .invites=${s.invites}
        .created=${s.newInvite}
      ></parley-admin-invites>
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
                        ${
                          u.id === this.me
                            ? null
                            : html`<button
                                aria-label=${`${u.disabled ? 'Enable' : 'Disable'} ${u.email}`}
                                @click=${() => void this.console.setDisabled(u.id, !u.disabled)}
                              >
                                ${u.disabled ? 'Enable' : 'Disable'}
                              </button>`
                        }
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
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-admin-page': AdminPage;
  }
}
