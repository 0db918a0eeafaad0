/**
 * `<parley-admin-invites>`: the invites section of the admin page — create one (uses, days
 * valid), see the new link once, and the list with each invite's state and a "Revoke" button.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AdminInvite, CreatedInvite } from '../../shared/admin-api';
import type { AdminConsole } from '../data/admin-console';
import { sharedStyles } from '../styles/shared-styles';
import { adminStyles } from '../styles/admin-styles';

export const day = (ms: number): string =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function inviteState(i: AdminInvite, now: number): string {
  if (i.revoked !== null) return 'Revoked';
  if (i.expires <= now) return 'Expired';
  if (i.used >= i.maxUses) return 'Used up';
  return 'Valid';
}

@customElement('parley-admin-invites')
export class AdminInvites extends LitElement {
  static override styles = [
    sharedStyles,
    adminStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  @property({ attribute: false }) console!: AdminConsole;
  @property({ attribute: false }) invites: readonly AdminInvite[] = [];
  /** The invite made last: its link is shown only now. */
  @property({ attribute: false }) created: CreatedInvite | null = null;

  override render() {
    return html`
      <section aria-labelledby="invites-title">
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
          this.created
            ? html`<div class="notice" role="status">
                <span>New invite link (shown only now, send it to the person you invite):</span>
                <input
                  class="link"
                  readonly
                  aria-label="New invite link"
                  .value=${this.created.link}
                  @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
                />
              </div>`
            : null
        }
        ${this.renderList()}
      </section>
    `;
  }

  private renderList() {
    const invites = this.invites;
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
    'parley-admin-invites': AdminInvites;
  }
}
