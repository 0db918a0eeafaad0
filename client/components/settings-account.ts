/**
 * `<parley-settings-account>`: the "Account" section of the settings page — who you are
 * signed in as, changing the password, the devices signed in as you, and signing out of
 * this device (dispatches `sign-out`, which warns about unsent messages).
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AppServices, UserServices } from '../app-services';
import { sharedStyles } from '../styles/shared-styles';
import { settingsFormStyles } from '../styles/settings-form-styles';
import { SignOutEvent } from './events';
import { loaded } from './lazy-elements';
import './settings-password';
import './settings-devices';

@customElement('parley-settings-account')
export class SettingsAccount extends LitElement {
  static override styles = [sharedStyles, settingsFormStyles];

  @property({ attribute: false }) account: UserServices | null = null;
  @property({ attribute: false }) services: AppServices | null = null;

  override render() {
    const account = this.account;
    // Its module loads with the page, long before a form can be filled in.
    const security = account ? loaded(this, account.security) : null;
    return html`<section aria-labelledby="settings-account">
      <h2 id="settings-account">Account</h2>
      ${account ? html`<p class="muted">Signed in as ${account.user.email}</p>` : nothing}
      <parley-settings-password .security=${security}></parley-settings-password>
      <parley-settings-devices .security=${security}></parley-settings-devices>
      <h3>This device</h3>
      <button type="button" @click=${this.onSignOut}>Sign out of this device</button>
    </section>`;
  }

  private readonly onSignOut = (): void => {
    this.dispatchEvent(new SignOutEvent());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings-account': SettingsAccount;
  }
}
