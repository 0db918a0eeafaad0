/**
 * `<parley-app-shell>`: the app's frame. Chooses the page from the session and the
 * route (sign-in / sign-up, or the messenger: people search and conversation list
 * beside the open conversation), and turns the components' intent events into calls
 * on the data layer and the router.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppServices, UserServices } from '../app-services';
import { StoreController } from '../controllers/store-controller';
import { errorText } from '../errors';
import { conversationPath } from '../router';
import { sharedStyles } from '../styles/shared-styles';
import type { ConversationOpenEvent, NavigateEvent } from './events';
import './app-header';
import './conversation-list';
import './conversation-view';
import './login-page';
import './people-search';

@customElement('parley-app-shell')
export class AppShell extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100dvh;
        min-height: 0;
      }
      .boot {
        margin: auto;
        color: var(--muted);
      }
      .layout {
        flex: 1;
        min-height: 0;
        display: grid;
        grid-template-columns: minmax(18rem, 22rem) 1fr;
        gap: 1rem;
        padding: 1rem;
      }
      aside {
        min-height: 0;
        display: flex;
        flex-direction: column;
        gap: 1rem;
        padding: 1rem 0.8rem;
        overflow-y: auto;
      }
      main {
        min-height: 0;
        min-width: 0;
        display: flex;
        flex-direction: column;
      }
      .placeholder {
        margin: auto;
        max-width: 22rem;
        text-align: center;
        color: var(--muted);
      }
      .alert {
        margin: 0;
        padding: 0.5rem 0.7rem;
        border-radius: var(--radius-small);
        background: var(--danger-bg);
        color: var(--danger);
        font-size: 0.88rem;
      }
      /* Narrow screens: the list or the conversation, one at a time. */
      @media (max-width: 799px) {
        .layout {
          grid-template-columns: 1fr;
          padding: 0.5rem;
        }
        .layout.has-conversation aside,
        .layout:not(.has-conversation) main {
          display: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) services: AppServices | null = null;
  @state() private openError: string | null = null;

  private readonly session = new StoreController(this, () => this.services?.session);
  private readonly route = new StoreController(this, () => this.services?.router);
  private readonly account = new StoreController(this, () => this.services?.account);
  private readonly connectivity = new StoreController(this, () => this.services?.connectivity);
  private readonly inbox = new StoreController(this, () => this.account.value?.inbox);

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('navigate', this.onNavigate);
    this.addEventListener('conversation-open', this.onConversationOpen);
    this.addEventListener('sign-out', this.onSignOut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('navigate', this.onNavigate);
    this.removeEventListener('conversation-open', this.onConversationOpen);
    this.removeEventListener('sign-out', this.onSignOut);
  }

  protected override updated(): void {
    // Signed in on an auth page: go to the messenger.
    const route = this.route.value;
    if (this.session.value?.status === 'signed-in' && route) {
      if (route.name === 'sign-in' || route.name === 'sign-up') {
        this.services?.router.navigate('/', { replace: true });
      }
    }
  }

  override render() {
    const session = this.session.value;
    const route = this.route.value;
    const services = this.services;
    if (!services || !session || !route || session.status === 'restoring') {
      return html`<p class="boot">Loading…</p>`;
    }
    if (session.status === 'signed-out') {
      return html`<parley-login-page
        .session=${services.session}
        mode=${route.name === 'sign-up' ? 'sign-up' : 'sign-in'}
        ?expired=${session.expired}
      ></parley-login-page>`;
    }
    const account = this.account.value;
    if (!account) return html`<p class="boot">Loading…</p>`;
    return html`
      <parley-app-header
        .user=${session.user}
        connectivity=${this.connectivity.value ?? 'connecting'}
      ></parley-app-header>
      ${this.renderMessenger(account, route.name === 'conversation' ? route.id : null)}
    `;
  }

  private renderMessenger(account: UserServices, conversationId: string | null) {
    const inbox = this.inbox.value;
    return html`<div class="layout ${conversationId ? 'has-conversation' : ''}">
      <aside class="glass" aria-label="Conversations and people">
        <parley-people-search .people=${account.people}></parley-people-search>
        ${this.openError ? html`<p class="alert" role="alert">${this.openError}</p>` : null}
        <parley-conversation-list
          .conversations=${inbox?.conversations ?? []}
          .activeId=${conversationId}
          .me=${account.user.id}
          ?loaded=${inbox?.loaded ?? false}
        ></parley-conversation-list>
      </aside>
      <main>
        ${
          conversationId
            ? html`<parley-conversation-view
                .account=${account}
                .conversationId=${conversationId}
              ></parley-conversation-view>`
            : html`<div class="placeholder">
                <p>Pick a conversation, or search for someone to start one.</p>
              </div>`
        }
      </main>
    </div>`;
  }

  private readonly onNavigate = (e: NavigateEvent): void => {
    this.services?.router.navigate(e.path);
  };

  private readonly onConversationOpen = (e: ConversationOpenEvent): void => {
    const account = this.account.value;
    if (!account || !this.services) return;
    const router = this.services.router;
    this.openError = null;
    account.inbox.openWith(e.peerId).then(
      (summary) => {
        account.people.clear();
        router.navigate(conversationPath(summary.id));
      },
      (err: unknown) => {
        this.openError = errorText(err);
      },
    );
  };

  private readonly onSignOut = (): void => {
    const services = this.services;
    if (!services) return;
    void services.session.signOut().finally(() => services.router.navigate('/', { replace: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-app-shell': AppShell;
  }
}
