/**
 * `<parley-recovery-page>`: getting back into an account. `forgot`: ask for a one-time link
 * by e-mail (when the server sends e-mail), or learn to ask the server's operator. `reset`:
 * a one-time link opened (`/reset?token=…`): choose a new password, which signs in here and
 * ends every other session.
 */
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Limits } from '../../shared/protocol';
import type { ServerPolicy } from '../../shared/admin-api';
import type { Session } from '../data/session';
import { ActionController } from '../controllers/action-controller';
import { sharedStyles } from '../styles/shared-styles';
import { authStyles } from '../styles/auth-styles';
import { NavigateEvent } from './events';

export type RecoveryMode = 'forgot' | 'reset';

@customElement('parley-recovery-page')
export class RecoveryPage extends LitElement {
  static override styles = [sharedStyles, authStyles];

  @property({ attribute: false }) session!: Session;
  @property() mode: RecoveryMode = 'forgot';
  @property({ attribute: false }) policy: ServerPolicy | null = null;
  /** The one-time link's secret (`reset`). */
  @property() token = '';
  /** The link came with a new account (choose a first password). */
  @property({ type: Boolean }) welcome = false;
  /** The server's answer to "Forgot password?". */
  @state() private sent: string | null = null;

  private readonly action = new ActionController(this);

  override render() {
    const forgot = this.mode === 'forgot';
    const title = forgot
      ? 'Forgot your password?'
      : this.welcome
        ? 'Choose your password'
        : 'Set a new password';
    return html`
      <main class="card glass" aria-labelledby="title">
        <div class="brand">
          <span class="logo" aria-hidden="true"></span>
          <h1>Parley</h1>
        </div>
        <h2 id="title">${title}</h2>
        ${forgot ? this.renderForgot() : this.renderReset()}
        <p class="switch muted">
          <a href="/sign-in" @click=${this.onSwitch}>Back to sign in</a>
        </p>
      </main>
    `;
  }

  private renderForgot() {
    if (this.policy?.passwordRecovery === 'operator')
      return html`<p class="notice" role="status">
        This server does not send e-mail. Ask the server's operator for a link to set a new password
        (they run <code>npm run admin -- users reset-password</code> with your e-mail).
      </p>`;
    if (this.sent) return html`<p class="notice" role="status">${this.sent}</p>`;
    return html`<form @submit=${this.onForgot} novalidate>
      ${this.action.error ? html`<div class="alert" role="alert">${this.action.error}</div>` : null}
      <p class="muted">We'll e-mail you a link to set a new password. It works once, for 1 hour.</p>
      <label
        >E-mail
        <input name="email" type="email" autocomplete="email" required />
      </label>
      <button class="primary" type="submit" ?disabled=${this.action.pending}>
        Send reset link
      </button>
    </form>`;
  }

  private renderReset() {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(this.token))
      return html`<p class="alert" role="alert">
        This link is incomplete. Open the whole link from your e-mail, or ask for a new one.
      </p>`;
    return html`<form @submit=${this.onReset} novalidate>
      ${this.action.error ? html`<div class="alert" role="alert">${this.action.error}</div>` : null}
      <div class="field">
        <label
          >New password
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            aria-describedby="password-hint"
            required
          />
        </label>
        <span id="password-hint" class="hint muted"
          >At least ${Limits.minPasswordChars} characters. Other devices will be signed out.</span
        >
      </div>
      <button class="primary" type="submit" ?disabled=${this.action.pending}>
        ${this.welcome ? 'Set password and sign in' : 'Set new password'}
      </button>
    </form>`;
  }

  private readonly onSwitch = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.dispatchEvent(new NavigateEvent('/sign-in'));
  };

  private readonly onForgot = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const value = new FormData(e.currentTarget as HTMLFormElement).get('email');
    const email = typeof value === 'string' ? value.trim() : '';
    await this.action.run(async () => {
      this.sent = await this.session.forgotPassword(email);
    });
  };

  private readonly onReset = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const value = new FormData(e.currentTarget as HTMLFormElement).get('password');
    const password = typeof value === 'string' ? value : '';
    const ok = await this.action.run(() => this.session.resetPassword(this.token, password));
    if (ok) this.dispatchEvent(new NavigateEvent('/'));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-recovery-page': RecoveryPage;
  }
}
