/**
 * `<parley-app-header>`: the brand, the connection indicator, the theme switch
 * (dispatches `theme-change`), who is signed in, and the "Sign out" button (dispatches
 * `sign-out`).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { User } from '../../shared/api';
import type { Connectivity } from '../data/connectivity';
import { isThemeChoice, type ThemeChoice } from '../data/theme';
import { avatarBackground, initials, sharedStyles } from '../styles/shared-styles';
import { NotificationsOpenEvent, SignOutEvent, ThemeChangeEvent } from './events';
import './sync-status-badge';

@customElement('parley-app-header')
export class AppHeader extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        padding: 0.6rem 1rem;
        border-radius: 0;
        border-width: 0 0 1px;
        box-shadow: none;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        font-weight: 700;
        font-size: 1.1rem;
        letter-spacing: -0.01em;
      }
      .logo {
        width: 1.6rem;
        height: 1.6rem;
        border-radius: 0.6rem;
        background: linear-gradient(135deg, var(--accent-strong), #14b8a6);
      }
      .spacer {
        flex: 1;
      }
      .me {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-width: 0;
      }
      .me .avatar {
        width: 2rem;
        height: 2rem;
        font-size: 0.8rem;
      }
      .name {
        font-weight: 600;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        max-width: 14rem;
      }
      select {
        font: inherit;
        font-size: 0.85rem;
        color: inherit;
        background: var(--glass-strong);
        border: 1px solid var(--border);
        border-radius: var(--radius-small);
        padding: 0.35rem 0.4rem;
      }
      select:focus-visible {
        outline: 2px solid transparent;
        box-shadow: var(--focus-ring);
      }
      option {
        color: #151b2c;
      }
      @media (max-width: 560px) {
        header {
          gap: 0.45rem;
          padding: 0.5rem 0.6rem;
        }
        .name,
        .brand-name,
        .me .avatar {
          display: none;
        }
        button {
          padding: 0.4rem 0.6rem;
        }
      }
    `,
  ];

  @property({ attribute: false }) user: User | null = null;
  @property() connectivity: Connectivity = 'connecting';
  @property() theme: ThemeChoice = 'system';

  override render() {
    const user = this.user;
    return html`
      <header class="glass">
        <span class="brand"
          ><span class="logo" aria-hidden="true"></span><span class="brand-name">Parley</span></span
        >
        <parley-sync-status-badge .state=${this.connectivity}></parley-sync-status-badge>
        <span class="spacer"></span>
        <select aria-label="Theme" title="Theme" .value=${this.theme} @change=${this.onTheme}>
          <option value="system" ?selected=${this.theme === 'system'}>Auto</option>
          <option value="dark" ?selected=${this.theme === 'dark'}>Dark</option>
          <option value="light" ?selected=${this.theme === 'light'}>Light</option>
        </select>
        ${
          user
            ? html`<span class="me">
                  <span
                    class="avatar"
                    aria-hidden="true"
                    style=${styleMap({ '--avatar-bg': avatarBackground(user.id) })}
                    >${initials(user.displayName)}</span
                  >
                  <span class="name" title=${user.email}>${user.displayName}</span>
                </span>
                <button
                  class="ghost bell"
                  type="button"
                  aria-label="Notifications"
                  title="Notifications"
                  @click=${this.onNotifications}
                >
                  <span aria-hidden="true">🔔</span>
                </button>
                <button @click=${this.onSignOut}>Sign out</button>`
            : null
        }
      </header>
    `;
  }

  private readonly onTheme = (e: Event): void => {
    const value = (e.target as HTMLSelectElement).value;
    if (isThemeChoice(value)) this.dispatchEvent(new ThemeChangeEvent(value));
  };

  private readonly onNotifications = (): void => {
    this.dispatchEvent(new NotificationsOpenEvent());
  };

  private readonly onSignOut = (): void => {
    this.dispatchEvent(new SignOutEvent());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-app-header': AppHeader;
  }
}
