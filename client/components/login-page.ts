/**
 * `<parley-login-page>`: sign in, or create an account. Runs the action through the
 * session and shows the server's error text in an alert; the shell reacts to the
 * session changing.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Limits } from '../../shared/protocol';
import type { Session } from '../data/session';
import { ActionController } from '../controllers/action-controller';
import { sharedStyles } from '../styles/shared-styles';
import { NavigateEvent } from './events';

export type LoginMode = 'sign-in' | 'sign-up';

@customElement('parley-login-page')
export class LoginPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: 100%;
        padding: 1.5rem;
      }
      .card {
        width: min(26rem, 100%);
        padding: 2rem;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        margin-bottom: 1.25rem;
      }
      .logo {
        width: 2.2rem;
        height: 2.2rem;
        border-radius: 0.8rem;
        background: linear-gradient(135deg, var(--accent-strong), #14b8a6);
        box-shadow: 0 6px 18px rgba(91, 114, 242, 0.45);
      }
      h1 {
        margin: 0;
        font-size: 1.5rem;
        letter-spacing: -0.01em;
      }
      h2 {
        margin: 0 0 1.25rem;
        font-size: 1.05rem;
        font-weight: 500;
        color: var(--muted);
      }
      form {
        display: grid;
        gap: 0.9rem;
      }
      label {
        display: grid;
        gap: 0.3rem;
        font-size: 0.9rem;
        font-weight: 500;
      }
      .field {
        display: grid;
        gap: 0.3rem;
      }
      .hint {
        font-size: 0.8rem;
      }
      button[type='submit'] {
        margin-top: 0.4rem;
        padding: 0.7rem;
      }
      .alert {
        border-radius: var(--radius-small);
        padding: 0.6rem 0.8rem;
        background: var(--danger-bg);
        color: var(--danger);
        font-size: 0.9rem;
      }
      .notice {
        border-radius: var(--radius-small);
        padding: 0.6rem 0.8rem;
        background: var(--glass-strong);
        font-size: 0.9rem;
      }
      .switch {
        margin: 1.25rem 0 0;
        text-align: center;
        font-size: 0.9rem;
      }
    `,
  ];

  @property({ attribute: false }) session!: Session;
  @property() mode: LoginMode = 'sign-in';
  /** The previous session ended on the server's side; say so. */
  @property({ type: Boolean }) expired = false;

  private readonly action = new ActionController(this);

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('mode')) this.action.clearError();
  }

  override render() {
    const signUp = this.mode === 'sign-up';
    return html`
      <section class="card glass" aria-labelledby="title">
        <div class="brand">
          <span class="logo" aria-hidden="true"></span>
          <h1>Parley</h1>
        </div>
        <h2 id="title">${signUp ? 'Create your account' : 'Sign in to your account'}</h2>
        <form @submit=${this.onSubmit} novalidate>
          ${
            this.expired && !signUp
              ? html`<p class="notice">Your session ended. Sign in again.</p>`
              : null
          }
          ${
            this.action.error
              ? html`<div class="alert" role="alert">${this.action.error}</div>`
              : null
          }
          ${
            signUp
              ? html`<label
                  >Display name
                  <input
                    name="displayName"
                    autocomplete="nickname"
                    required
                    maxlength=${Limits.maxDisplayNameChars}
                /></label>`
              : null
          }
          <label
            >E-mail
            <input name="email" type="email" autocomplete="email" required />
          </label>
          <div class="field">
            <label
              >Password
              <input
                name="password"
                type="password"
                autocomplete=${signUp ? 'new-password' : 'current-password'}
                aria-describedby=${signUp ? 'password-hint' : nothing}
                required
              />
            </label>
            ${
              signUp
                ? html`<span id="password-hint" class="hint muted"
                    >At least ${Limits.minPasswordChars} characters.</span
                  >`
                : null
            }
          </div>
          <button class="primary" type="submit" ?disabled=${this.action.pending}>
            ${signUp ? 'Create account' : 'Sign in'}
          </button>
        </form>
        <p class="switch muted">
          ${
            signUp
              ? html`Already have an account?
                  <a href="/sign-in" @click=${this.onSwitch}>Sign in instead</a>`
              : html`New to Parley?
                  <a href="/sign-up" @click=${this.onSwitch}>Create an account</a>`
          }
        </p>
      </section>
    `;
  }

  private readonly onSwitch = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const target = e.currentTarget as HTMLAnchorElement;
    this.dispatchEvent(new NavigateEvent(new URL(target.href).pathname));
  };

  private readonly onSubmit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string): string => {
      const v = data.get(name);
      return typeof v === 'string' ? v : '';
    };
    const email = text('email').trim();
    const password = text('password');
    if (this.mode === 'sign-up') {
      const displayName = text('displayName').trim();
      await this.action.run(() => this.session.signUp({ email, password, displayName }));
    } else {
      await this.action.run(() => this.session.signIn(email, password));
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-login-page': LoginPage;
  }
}
