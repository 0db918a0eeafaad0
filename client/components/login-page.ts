/**
 * `<parley-login-page>`: sign in, or create an account. Runs the action through the
 * session and shows the server's error text in an alert; the shell reacts to the
 * session changing. Follows the server's policy: sign-up asks for an invite code in
 * invite mode (filled in from `/sign-up?invite=CODE`) and says so when registration is
 * closed; sign-in links to "Forgot password?".
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Limits } from '../../shared/protocol';
import type { Session } from '../data/session';
import type { ServerPolicy } from '../../shared/admin-api';
import { ActionController } from '../controllers/action-controller';
import { sharedStyles } from '../styles/shared-styles';
import { authStyles } from '../styles/auth-styles';
import { NavigateEvent } from './events';
import {
  SIGN_UP_FIELDS,
  fieldOf,
  signUpErrors,
  type FieldErrors,
  type SignUpField,
} from './sign-up-fields';

export type LoginMode = 'sign-in' | 'sign-up';

@customElement('parley-login-page')
export class LoginPage extends LitElement {
  static override styles = [sharedStyles, authStyles];

  @property({ attribute: false }) session!: Session;
  @property() mode: LoginMode = 'sign-in';
  /** The previous session ended on the server's side; say so. */
  @property({ type: Boolean }) expired = false;
  /** What the server allows; null until known (the ordinary forms are offered). */
  @property({ attribute: false }) policy: ServerPolicy | null = null;
  /** An invite code from the link that opened the page. */
  @property() invite = '';

  private readonly action = new ActionController(this);
  /** Sign-up: each field's problem, shown at the field. */
  @state() private errors: FieldErrors = {};
  /** Sign-up: characters typed in the display name (its limit is shown). */
  @state() private nameLength = 0;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('mode')) {
      this.action.clearError();
      this.errors = {};
    }
  }

  /** `aria-describedby` and `aria-invalid` of a sign-up field, with its hint if any. */
  private described(field: SignUpField, hint?: string) {
    const ids = [hint, this.errors[field] ? `${field}-error` : undefined].filter(Boolean);
    return {
      describedby: ids.length > 0 ? ids.join(' ') : nothing,
      invalid: this.errors[field] ? 'true' : nothing,
    };
  }

  private fieldError(field: SignUpField) {
    const message = this.errors[field];
    return message ? html`<span id="${field}-error" class="field-error">${message}</span>` : null;
  }

  override render() {
    const signUp = this.mode === 'sign-up';
    return html`
      <main class="card glass" aria-labelledby="title">
        <div class="brand">
          <span class="logo" aria-hidden="true"></span>
          <h1>Parley</h1>
        </div>
        <h2 id="title">${signUp ? 'Create your account' : 'Sign in to your account'}</h2>
        ${signUp && this.policy?.registration === 'closed' ? this.renderClosed() : this.renderForm(signUp)}
        <p class="switch muted">
          ${
            signUp
              ? html`Already have an account?
                  <a href="/sign-in" @click=${this.onSwitch}>Sign in instead</a>`
              : html`New to Parley?
                  <a href="/sign-up" @click=${this.onSwitch}>Create an account</a>`
          }
        </p>
      </main>
    `;
  }

  private renderClosed() {
    return html`<p class="notice" role="status">
      Registration is closed on this server. Ask the server's operator for an account.
    </p>`;
  }

  private renderForm(signUp: boolean) {
    const needsInvite = signUp && this.policy?.registration === 'invite';
    return html`
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
        ${signUp ? this.renderName() : null} ${needsInvite ? this.renderInvite() : null}
        <div class="field">
          <label
            >E-mail
            <input
              name="email"
              type="email"
              autocomplete="email"
              required
              aria-describedby=${this.described('email').describedby}
              aria-invalid=${this.described('email').invalid}
            />
          </label>
          ${this.fieldError('email')}
        </div>
        <div class="field">
          <label
            >Password
            <input
              name="password"
              type="password"
              autocomplete=${signUp ? 'new-password' : 'current-password'}
              aria-describedby=${signUp ? this.described('password', 'password-hint').describedby : nothing}
              aria-invalid=${this.described('password').invalid}
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
          ${this.fieldError('password')}
        </div>
        <button class="primary" type="submit" ?disabled=${this.action.pending}>
          ${signUp ? 'Create account' : 'Sign in'}
        </button>
        ${
          signUp
            ? null
            : html`<a class="forgot" href="/forgot" @click=${this.onSwitch}>Forgot password?</a>`
        }
      </form>
    `;
  }

  private renderName() {
    const max = Limits.maxDisplayNameChars;
    const a = this.described('displayName', 'displayName-hint');
    return html`<div class="field">
      <label
        >Display name
        <input
          name="displayName"
          autocomplete="nickname"
          dir="auto"
          required
          maxlength=${max}
          aria-describedby=${a.describedby}
          aria-invalid=${a.invalid}
          @input=${(e: Event) => (this.nameLength = (e.target as HTMLInputElement).value.length)}
      /></label>
      <span id="displayName-hint" class="hint muted counted"
        ><span>Up to ${max} characters.</span><span>${this.nameLength} / ${max}</span></span
      >
      ${this.fieldError('displayName')}
    </div>`;
  }

  private renderInvite() {
    const a = this.described('invite');
    return html`<div class="field">
      <label
        >Invite code
        <input
          name="invite"
          autocomplete="off"
          required
          .value=${this.invite}
          aria-describedby=${a.describedby}
          aria-invalid=${a.invalid}
      /></label>
      ${this.fieldError('invite')}
    </div>`;
  }

  /** Show `errors` at their fields and move focus to the first one (in the form's order). */
  private async showErrors(form: HTMLFormElement, errors: FieldErrors): Promise<void> {
    this.errors = errors;
    await this.updateComplete;
    const first = SIGN_UP_FIELDS.find((f) => errors[f]);
    if (first) form.querySelector<HTMLInputElement>(`[name=${first}]`)?.focus();
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
      const invite = data.has('invite') ? text('invite').trim() : undefined;
      const errors = signUpErrors({ displayName, email, password, invite });
      await this.showErrors(form, errors);
      if (Object.keys(errors).length > 0) return;
      let refusal: unknown = null;
      await this.action.run(() =>
        this.session
          .signUp({ email, password, displayName, ...(invite ? { invite } : {}) })
          .catch((e: unknown) => {
            refusal = e;
            throw e;
          }),
      );
      const field = refusal ? fieldOf(refusal) : null;
      if (field && this.action.error) {
        const message = this.action.error;
        this.action.clearError();
        await this.showErrors(form, { [field]: message });
      }
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
