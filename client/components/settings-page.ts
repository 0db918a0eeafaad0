/**
 * `<parley-settings-page>`: everything about you, reached from your avatar in the header —
 * profile, account (password, devices, signing out), privacy, notifications, appearance
 * (the theme), and your data (export, delete account). Each section is its own component;
 * this page only lays them out. It never touches the network: sections dispatch events or
 * call the data layer they are given.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AppServices, UserServices } from '../app-services';
import { isThemeChoice, type ThemeChoice } from '../data/theme';
import { sharedStyles } from '../styles/shared-styles';
import { NavigateEvent, NotificationsOpenEvent, ThemeChangeEvent } from './events';
import './settings-profile';
import './settings-account';
import './settings-privacy';
import './settings-data';

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'dark', label: 'Dark' },
  { value: 'light', label: 'Light' },
];

@customElement('parley-settings-page')
export class SettingsPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        height: 100%;
      }
      .view {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        padding: 0.8rem 1.2rem 1.6rem;
      }
      .top {
        display: flex;
        align-items: center;
        gap: 0.6rem;
      }
      h1 {
        margin: 0.2rem 0 0.6rem;
        font-size: 1.3rem;
      }
      .sections > * {
        display: block;
        padding: 0.9rem 0;
        border-top: 1px solid var(--border);
      }
      h2 {
        margin: 0 0 0.6rem;
        font-size: 1.05rem;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
      }
      label {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 2.75rem;
      }
      .back {
        display: none;
      }
      @media (max-width: 799px) {
        .back {
          display: inline-flex;
          align-items: center;
          min-height: 2.75rem;
        }
      }
    `,
  ];

  @property({ attribute: false }) account: UserServices | null = null;
  @property({ attribute: false }) services: AppServices | null = null;
  @property() theme: ThemeChoice = 'system';

  override render() {
    return html`<section class="view glass" aria-labelledby="settings-title">
      <div class="top">
        <a class="back" href="/" @click=${this.onBack}>Back to chats</a>
        <h1 id="settings-title">Settings</h1>
      </div>
      <div class="sections">
        <parley-settings-profile
          .account=${this.account}
          .services=${this.services}
        ></parley-settings-profile>
        <parley-settings-account
          .account=${this.account}
          .services=${this.services}
        ></parley-settings-account>
        <parley-settings-privacy
          .account=${this.account}
          .services=${this.services}
        ></parley-settings-privacy>
        <section aria-labelledby="settings-notifications">
          <h2 id="settings-notifications">Notifications</h2>
          <button type="button" @click=${this.onNotifications}>Notifications and sounds…</button>
        </section>
        <section aria-labelledby="settings-appearance">
          <h2 id="settings-appearance">Appearance</h2>
          <fieldset>
            <legend class="visually-hidden">Theme</legend>
            ${THEMES.map(
              (t) =>
                html`<label
                  ><input
                    type="radio"
                    name="theme"
                    value=${t.value}
                    .checked=${this.theme === t.value}
                    @change=${this.onTheme}
                  />${t.label}</label
                >`,
            )}
          </fieldset>
        </section>
        <parley-settings-data
          .account=${this.account}
          .services=${this.services}
        ></parley-settings-data>
      </div>
    </section>`;
  }

  private readonly onTheme = (e: Event): void => {
    const value = (e.target as HTMLInputElement).value;
    if (isThemeChoice(value)) this.dispatchEvent(new ThemeChangeEvent(value));
  };

  private readonly onNotifications = (): void => {
    this.dispatchEvent(new NotificationsOpenEvent());
  };

  private readonly onBack = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.dispatchEvent(new NavigateEvent('/'));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings-page': SettingsPage;
  }
}
