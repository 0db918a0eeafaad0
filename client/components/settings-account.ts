/**
 * `<parley-settings-account>`: the "Account" section of the settings page (placeholder: the
 * section is being built).
 */
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AppServices, UserServices } from '../app-services';
import { sharedStyles } from '../styles/shared-styles';

@customElement('parley-settings-account')
export class SettingsAccount extends LitElement {
  static override styles = [sharedStyles];

  @property({ attribute: false }) account: UserServices | null = null;
  @property({ attribute: false }) services: AppServices | null = null;

  override render() {
    return html`<h2>Account</h2>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings-account': SettingsAccount;
  }
}
