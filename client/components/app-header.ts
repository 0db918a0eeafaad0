/**
 * `<parley-app-header>`: the brand, the connection indicator, who is signed in (their
 * avatar and name: the way into settings, `/settings`), and the "Sign out" button
 * (dispatches `sign-out`).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { User } from '../../shared/api';
import type { Connectivity } from '../data/connectivity';
import { sharedStyles } from '../styles/shared-styles';
import './avatar';
import { NavigateEvent, NotificationsOpenEvent, SignOutEvent } from './events';
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
      a.admin {
        display: inline-flex;
        align-items: center;
        min-height: 2.75rem;
        padding: 0.35rem 0.7rem;
        border-radius: var(--radius-small);
        border: 1px solid var(--border);
        background: var(--glass-strong);
        color: inherit;
        text-decoration: none;
        font-size: 0.88rem;
      }
      a.me {
        color: inherit;
        text-decoration: none;
        border-radius: 999px;
        padding: 0.15rem 0.5rem 0.15rem 0.15rem;
        min-height: 2.75rem;
        min-width: 2.75rem;
        justify-content: center;
      }
      a.me:hover,
      a.me[aria-current='page'] {
        background: var(--glass-hover);
      }
      a.me:focus-visible {
        outline: 2px solid transparent;
        box-shadow: var(--focus-ring);
      }
      @media (max-width: 560px) {
        header {
          gap: 0.45rem;
          padding: 0.5rem 0.6rem;
        }
        .name,
        .brand-name {
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
  /** The settings page is open (the avatar link shows it as current). */
  @property({ type: Boolean }) settings = false;

  override render() {
    const user = this.user;
    return html`
      <header class="glass">
        <span class="brand"
          ><span class="logo" aria-hidden="true"></span><span class="brand-name">Parley</span></span
        >
        <parley-sync-status-badge .state=${this.connectivity}></parley-sync-status-badge>
        <span class="spacer"></span>
        ${
          user
            ? html`<a
                  class="me"
                  href="/settings"
                  title="Settings"
                  aria-current=${this.settings ? 'page' : 'false'}
                  @click=${this.onSettings}
                  ><parley-avatar
                    class="avatar"
                    user-id=${user.id}
                    .name=${user.displayName}
                    .photo=${user.avatar ?? null}
                  ></parley-avatar>
                  <span class="name" dir="auto">${user.displayName}</span
                  ><span class="visually-hidden"> (settings)</span></a
                >
                <button
                  class="ghost bell"
                  type="button"
                  aria-label="Notifications"
                  title="Notifications"
                  @click=${this.onNotifications}
                >
                  <span aria-hidden="true">🔔</span>
                </button>
                ${user.admin ? html`<a class="admin" href="/admin" @click=${this.onAdmin}>Admin</a>` : null}
                <button @click=${this.onSignOut}>Sign out</button>`
            : null
        }
      </header>
    `;
  }

  private readonly onSettings = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.dispatchEvent(new NavigateEvent('/settings'));
  };

  private readonly onNotifications = (): void => {
    this.dispatchEvent(new NotificationsOpenEvent());
  };

  private readonly onAdmin = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.dispatchEvent(new NavigateEvent('/admin'));
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
