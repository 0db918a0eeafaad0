/**
 * `<parley-settings-password>`: change your password — the current one, the new one and
 * the new one again. Each mistake is said at its field, all at once, in field order; the
 * server's answer too (a wrong current password at that field). Every other device is
 * signed out by the change; this one stays signed in.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Limits } from '../../shared/protocol';
import { checkPassword } from '../../shared/validate';
import { ApiError } from '../data/api';
import type { AccountSecurity } from '../data/devices';
import { errorText } from '../errors';
import { sharedStyles } from '../styles/shared-styles';
import { settingsFormStyles } from '../styles/settings-form-styles';

type Field = 'current' | 'next' | 'confirm';

@customElement('parley-settings-password')
export class SettingsPassword extends LitElement {
  static override styles = [sharedStyles, settingsFormStyles];

  @property({ attribute: false }) security: AccountSecurity | null = null;
  @state() private errors: Partial<Record<Field, string>> = {};
  @state() private formError: string | null = null;
  @state() private pending = false;
  @state() private done = false;

  override render() {
    return html`<h3 id="password-title">Change password</h3>
      <form aria-labelledby="password-title" novalidate @submit=${this.onSubmit}>
        ${this.formError ? html`<p class="alert" role="alert">${this.formError}</p>` : nothing}
        ${this.field('current', 'Current password', 'current-password')}
        ${this.field('next', 'New password', 'new-password', `At least ${Limits.minPasswordChars} characters.`)}
        ${this.field('confirm', 'Confirm new password', 'new-password')}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.pending}>Change password</button>
        </div>
        ${
          this.done
            ? html`<p class="done" role="status">
                Password changed. Your other devices were signed out.
              </p>`
            : nothing
        }
      </form>`;
  }

  private field(name: Field, label: string, autocomplete: string, hint?: string) {
    const error = this.errors[name];
    const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : '']
      .filter(Boolean)
      .join(' ');
    return html`<div class="field">
      <label
        >${label}
        <input
          name=${name}
          type="password"
          autocomplete=${autocomplete}
          required
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${described || nothing}
      /></label>
      ${hint ? html`<span id="${name}-hint" class="muted">${hint}</span>` : nothing}
      ${error ? html`<p id="${name}-error" class="error">${error}</p>` : nothing}
    </div>`;
  }

  private readonly onSubmit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: Field): string => {
      const v = data.get(name);
      return typeof v === 'string' ? v : '';
    };
    const current = value('current');
    const next = value('next');
    const errors: Partial<Record<Field, string>> = {};
    if (!current) errors.current = 'Enter your current password.';
    const checked = checkPassword(next);
    if (!checked.ok) errors.next = checked.message;
    else if (next === current) errors.next = 'The new password must differ from the current one.';
    if (value('confirm') !== next) errors.confirm = 'The two new passwords do not match.';
    this.errors = errors;
    this.formError = null;
    this.done = false;
    const first = (['current', 'next', 'confirm'] as const).find((f) => errors[f]);
    if (first) {
      form.querySelector<HTMLInputElement>(`input[name=${first}]`)?.focus();
      return;
    }
    if (!this.security) return;
    this.pending = true;
    try {
      await this.security.changePassword(current, next);
      form.reset();
      this.done = true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid-credentials') {
        this.errors = { current: err.message };
        form.querySelector<HTMLInputElement>('input[name=current]')?.focus();
      } else if (err instanceof ApiError && err.code === 'invalid-input') {
        this.errors = { next: err.message };
      } else this.formError = errorText(err);
    } finally {
      this.pending = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings-password': SettingsPassword;
  }
}
