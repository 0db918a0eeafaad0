/**
 * `<parley-settings-data>`: the "Your data" section of the settings page — download
 * everything you can see (JSON, and a readable HTML page), and delete your account (your
 * password confirms it; then this device forgets you, as on sign-out).
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppServices, UserServices } from '../app-services';
import { ApiError } from '../data/api';
import { errorText } from '../errors';
import { sharedStyles } from '../styles/shared-styles';
import { settingsFormStyles } from '../styles/settings-form-styles';
import { NavigateEvent } from './events';

@customElement('parley-settings-data')
export class SettingsData extends LitElement {
  static override styles = [sharedStyles, settingsFormStyles];

  @property({ attribute: false }) account: UserServices | null = null;
  @property({ attribute: false }) services: AppServices | null = null;
  @state() private deleting = false;
  @state() private pending = false;
  @state() private passwordError: string | null = null;
  @state() private formError: string | null = null;

  override render() {
    return html`<section aria-labelledby="settings-data">
      <h2 id="settings-data">Your data</h2>
      <h3>Export</h3>
      <p class="muted">
        Your profile, contacts and every conversation with its messages, as you can see them.
      </p>
      <div class="actions">
        <a class="button" href="/api/account/export?format=json" download>Download as JSON</a>
        <a class="button" href="/api/account/export?format=html" download
          >Download as a web page (HTML)</a
        >
      </div>
      <h3 id="delete-title">Delete account</h3>
      <p class="muted">
        Your account, devices, contacts and the text of your messages are removed from the server.
        The people you wrote with see “Deleted account”. This cannot be undone.
      </p>
      ${
        this.deleting
          ? this.renderDelete()
          : html`<button type="button" @click=${this.onStart}>Delete account…</button>`
      }
    </section>`;
  }

  private renderDelete() {
    return html`<form aria-labelledby="delete-title" novalidate @submit=${this.onDelete}>
      ${this.formError ? html`<p class="alert" role="alert">${this.formError}</p>` : nothing}
      <div class="field">
        <label
          >Your password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            aria-invalid=${this.passwordError ? 'true' : 'false'}
            aria-describedby=${this.passwordError ? 'delete-password-error' : nothing}
        /></label>
        ${
          this.passwordError
            ? html`<p id="delete-password-error" class="error">${this.passwordError}</p>`
            : nothing
        }
      </div>
      <div class="actions">
        <button type="button" @click=${this.onCancel}>Cancel</button>
        <button class="danger" type="submit" ?disabled=${this.pending}>Delete my account</button>
      </div>
    </form>`;
  }

  private readonly onStart = async (): Promise<void> => {
    this.deleting = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('input[name=password]')?.focus();
  };

  private readonly onCancel = (): void => {
    this.deleting = false;
    this.passwordError = null;
    this.formError = null;
  };

  private readonly onDelete = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const input = form.querySelector<HTMLInputElement>('input[name=password]');
    const password = input?.value ?? '';
    this.formError = null;
    this.passwordError = password ? null : 'Enter your password to delete your account.';
    if (!password || !this.account || !this.services) {
      input?.focus();
      return;
    }
    const services = this.services;
    this.pending = true;
    try {
      await (await this.account.security.load()).deleteAccount(password);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid-credentials') {
        this.passwordError = err.message;
        input?.focus();
      } else this.formError = errorText(err);
      this.pending = false;
      return;
    }
    // The account is gone: this device forgets it too, as on sign-out.
    await services.session.signOut();
    this.dispatchEvent(new NavigateEvent('/'));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings-data': SettingsData;
  }
}
