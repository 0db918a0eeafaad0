/**
 * `<parley-app-shell>`: the app's frame. Chooses the page from the session and the
 * route (sign-in / sign-up, or the messenger: people search and conversation list
 * beside the open conversation or the people page), and turns the components' intent
 * events into calls on the data layer and the router. Keeps the total of unread messages
 * in the page title ("(3) Parley") and the app badge.
 */
import { LitElement, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AppServices, UserServices } from '../app-services';
import { StoreController } from '../controllers/store-controller';
import { ApiError } from '../data/api';
import { errorText } from '../errors';
import { conversationPath, type Route } from '../router';
import { appShellStyles } from '../styles/app-shell-styles';
import { sharedStyles } from '../styles/shared-styles';
import type { ConfirmDialog, ConfirmOptions } from './confirm-dialog';
import type {
  ConversationOpenEvent,
  NavigateEvent,
  PersonActionEvent,
  ThemeChangeEvent,
  MuteEvent,
  ConversationPrefEvent,
  PushActionEvent,
} from './events';
import type { NotificationsDialog } from './notifications-dialog';
import { confirmWith, loadElement, loaded, ready } from './lazy-elements';
import { carryOutPersonAction, changeConversationPref } from './shell-actions';
import './app-header';
import './conversation-list';
import './message-search';
import './conversation-view';
import './people-search';

/** A page shown beside the list (on a phone: instead of it), other than a conversation. */
type DetailPage = 'people' | 'settings' | 'not-found';

@customElement('parley-app-shell')
export class AppShell extends LitElement {
  static override styles = [sharedStyles, appShellStyles];

  @property({ attribute: false }) services: AppServices | null = null;
  @state() private openError: string | null = null;
  @query('parley-confirm-dialog') private confirm!: ConfirmDialog | null;
  @query('parley-notifications-dialog') private notifications!: NotificationsDialog | null;
  private shownUnread = -1;

  private readonly session = new StoreController(this, () => this.services?.session);
  private readonly route = new StoreController(this, () => this.services?.router);
  private readonly account = new StoreController(this, () => this.services?.account);
  private readonly connectivity = new StoreController(this, () => this.services?.connectivity);
  private readonly inbox = new StoreController(this, () => this.account.value?.inbox);
  private readonly contacts = new StoreController(this, () => this.account.value?.contacts);
  private readonly theme = new StoreController(this, () => this.services?.theme);
  private readonly pushService = new StoreController(this, () => this.account.value?.push);
  private readonly push = new StoreController(this, () => this.pushService.value);
  private readonly sound = new StoreController(this, () => this.services?.sound);
  private readonly policy = new StoreController(this, () => this.services?.policy);

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('navigate', this.onNavigate);
    this.addEventListener('conversation-open', this.onConversationOpen);
    this.addEventListener('sign-out', this.onSignOut);
    this.addEventListener('person-action', this.onPersonAction);
    this.addEventListener('theme-change', this.onThemeChange);
    this.addEventListener('notifications-open', this.onNotificationsOpen);
    this.addEventListener('push-action', this.onPushAction);
    this.addEventListener('conversation-mute', this.onMute);
    this.addEventListener('conversation-pref', this.onConversationPref);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('navigate', this.onNavigate);
    this.removeEventListener('conversation-open', this.onConversationOpen);
    this.removeEventListener('sign-out', this.onSignOut);
    this.removeEventListener('person-action', this.onPersonAction);
    this.removeEventListener('theme-change', this.onThemeChange);
    this.removeEventListener('notifications-open', this.onNotificationsOpen);
    this.removeEventListener('push-action', this.onPushAction);
    this.removeEventListener('conversation-mute', this.onMute);
    this.removeEventListener('conversation-pref', this.onConversationPref);
  }

  protected override updated(): void {
    // Signed in on an auth page: go to the messenger.
    const route = this.route.value;
    if (this.session.value?.status === 'signed-in' && route) {
      if (route.name === 'sign-in' || route.name === 'sign-up' || route.name === 'forgot') {
        this.services?.router.navigate('/', { replace: true });
      }
    }
    this.showUnreadTotal();
    this.returnFocusToList(route);
  }

  /** The conversation that was open at the last update. */
  private lastConversation: string | null = null;

  /**
   * Back from a conversation to the list (on a phone, where the conversation hid the list):
   * focus goes to that conversation's entry rather than being lost with the conversation.
   */
  private returnFocusToList(route: Route | null | undefined): void {
    const open = route?.name === 'conversation' ? route.id : null;
    const left = this.lastConversation;
    this.lastConversation = open;
    if (!left || open !== null || route?.name !== 'home') return;
    const list = this.renderRoot.querySelector('parley-conversation-list');
    void list?.updateComplete.then(() => list.focusConversation(left));
  }

  /** The unread total in the title and the app badge (where the browser has one). */
  private showUnreadTotal(): void {
    const route = this.route.value;
    const activeId = route?.name === 'conversation' ? route.id : null;
    const signedIn = this.session.value?.status === 'signed-in';
    const total = signedIn
      ? (this.inbox.value?.conversations ?? []).reduce(
          (sum, c) => sum + (c.id === activeId ? 0 : c.unread),
          0,
        )
      : 0;
    if (total === this.shownUnread) return;
    // More unread than before, in a conversation not on screen: the optional chime.
    if (signedIn && this.shownUnread >= 0 && total > this.shownUnread) this.services?.sound.play();
    this.shownUnread = total;
    document.title = total > 0 ? `(${total}) Parley` : 'Parley';
    const nav = navigator as Navigator & {
      setAppBadge?: (n?: number) => Promise<void>;
      clearAppBadge?: () => Promise<void>;
    };
    // Unsupported or not allowed (not installed): the title still says it.
    if (total > 0) nav.setAppBadge?.(total).catch(() => undefined);
    else nav.clearAppBadge?.().catch(() => undefined);
  }

  override render() {
    const session = this.session.value;
    const route = this.route.value;
    const services = this.services;
    if (!services || !session || !route || session.status === 'restoring') {
      return html`<p class="boot">Loading…</p>`;
    }
    // A one-time link works whoever is signed in on this device (it signs its own user in).
    if (route.name === 'reset') {
      if (!ready(this, 'parley-recovery-page')) return html`<p class="boot">Loading…</p>`;
      return html`<parley-recovery-page
        .session=${services.session}
        mode="reset"
        token=${route.token}
        ?welcome=${route.welcome}
      ></parley-recovery-page>`;
    }
    if (session.status === 'signed-out') {
      if (this.policy.value === null) void services.policy.load();
      if (route.name === 'forgot') {
        if (!ready(this, 'parley-recovery-page')) return html`<p class="boot">Loading…</p>`;
        return html`<parley-recovery-page
          .session=${services.session}
          .policy=${this.policy.value ?? null}
          mode="forgot"
        ></parley-recovery-page>`;
      }
      if (!ready(this, 'parley-login-page')) return html`<p class="boot">Loading…</p>`;
      return html`<parley-login-page
        .session=${services.session}
        .policy=${this.policy.value ?? null}
        mode=${route.name === 'sign-up' ? 'sign-up' : 'sign-in'}
        invite=${route.name === 'sign-up' ? (route.invite ?? '') : ''}
        ?expired=${session.expired}
      ></parley-login-page>`;
    }
    const account = this.account.value;
    if (!account) return html`<p class="boot">Loading…</p>`;
    const missing =
      route.name === 'not-found' ||
      (route.name === 'conversation' && this.missingConversation === route.id);
    if (route.name === 'conversation' && !missing) this.checkConversation(account, route.id);
    const page: DetailPage | null = missing
      ? 'not-found'
      : route.name === 'people'
        ? 'people'
        : route.name === 'settings'
          ? 'settings'
          : null;
    const conversationId = route.name === 'conversation' && !missing ? route.id : null;
    const lazyPage =
      route.name === 'admin' && account.admin
        ? 'parley-admin-page'
        : page === 'people'
          ? 'parley-people-view'
          : page === 'settings'
            ? 'parley-settings-page'
            : null;
    if (lazyPage && !ready(this, lazyPage)) return html`<p class="boot">Loading…</p>`;
    const adminConsole =
      route.name === 'admin' && account.admin ? loaded(this, account.admin) : null;
    if (route.name === 'admin' && account.admin && !adminConsole)
      return html`<p class="boot">Loading…</p>`;
    return html`
      <parley-app-header
        class=${conversationId !== null || page !== null ? 'behind' : ''}
        .user=${session.user}
        connectivity=${this.connectivity.value ?? 'connecting'}
        ?settings=${route.name === 'settings'}
      ></parley-app-header>
      ${
        adminConsole
          ? html`<main class="admin">
              <parley-admin-page
                class="glass"
                .console=${adminConsole}
                me=${account.user.id}
              ></parley-admin-page>
            </main>`
          : this.renderMessenger(
              account,
              conversationId,
              page,
              route.name === 'conversation' ? (route.messageId ?? null) : null,
            )
      }
      <parley-confirm-dialog></parley-confirm-dialog>
      <parley-notifications-dialog
        .state=${this.push.value ?? null}
        .sound=${this.sound.value ?? false}
      ></parley-notifications-dialog>
    `;
  }

  private renderMessenger(
    account: UserServices,
    conversationId: string | null,
    page: DetailPage | null,
    revealId: string | null,
  ) {
    const peoplePage = page === 'people';
    const inbox = this.inbox.value;
    const requests = this.contacts.value?.incoming.length ?? 0;
    const detail = conversationId !== null || page !== null;
    return html`<main class="layout ${detail ? 'has-conversation' : ''}">
      ${this.openError ? html`<p class="alert floating" role="alert">${this.openError}</p>` : null}
      <section class="side glass" aria-label="Conversations and people">
        ${detail ? null : html`<h1 class="visually-hidden">Chats</h1>`}
        <parley-people-search
          .people=${account.people}
          .contacts=${account.contacts}
          .presence=${account.presence}
        ></parley-people-search>
        <nav class="nav" aria-label="Sections">
          <a
            href="/people"
            aria-current=${peoplePage ? 'page' : 'false'}
            @click=${this.onPeopleLink}
            >Contacts${
              requests > 0
                ? html`<span class="count"
                    >${requests}<span class="visually-hidden"> new requests</span></span
                  >`
                : null
            }</a
          >
        </nav>
        <parley-message-search
          .search=${account.search}
          .me=${account.user.id}
        ></parley-message-search>
        <parley-conversation-list
          .conversations=${inbox?.conversations ?? []}
          .activeId=${conversationId}
          .me=${account.user.id}
          ?loaded=${inbox?.loaded ?? false}
          .presence=${account.presence}
          .typing=${inbox?.typing ?? new Set<string>()}
        ></parley-conversation-list>
      </section>
      <div class="detail">
        ${
          page === 'not-found'
            ? this.renderNotFound()
            : peoplePage
              ? html`<parley-people-view .account=${account}></parley-people-view>`
              : page === 'settings'
                ? html`<parley-settings-page
                    .account=${account}
                    .services=${this.services}
                    theme=${this.theme.value ?? 'system'}
                  ></parley-settings-page>`
                : conversationId
                  ? html`<parley-conversation-view
                      .account=${account}
                      .conversationId=${conversationId}
                      .revealId=${revealId}
                    ></parley-conversation-view>`
                  : html`<div class="placeholder">
                      <p>Pick a conversation, or search for someone to start one.</p>
                    </div>`
        }
      </div>
    </main>`;
  }

  /** A link to nothing (an unknown page, or a conversation that is not yours): say so, with a way back. */
  private renderNotFound() {
    return html`<section class="not-found glass" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Not found</h1>
      <p>
        There is nothing at this address. The link may be mistyped, or the conversation is not one
        of yours.
      </p>
      <p><a href="/" @click=${this.onHomeLink}>Back to your chats</a></p>
    </section>`;
  }

  /** The conversation ids already asked about (one question per id). */
  private readonly checked = new Set<string>();
  /** A conversation the server said is not there, or not yours (404 or 403). */
  @state() private missingConversation: string | null = null;

  /**
   * A conversation link with an id the inbox does not know: ask the server once; if it
   * answers 404 or 403 the link goes nowhere and the not-found screen shows. Offline (no
   * answer), the conversation view says it cannot load.
   */
  private checkConversation(account: UserServices, id: string): void {
    if (!this.inbox.value?.loaded || account.inbox.find(id) || this.checked.has(id)) return;
    this.checked.add(id);
    account.inbox.get(id).catch((err: unknown) => {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403))
        this.missingConversation = id;
    });
  }

  private readonly onHomeLink = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.services?.router.navigate('/');
  };

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
        // Chosen (by keyboard too): focus in its composer, even if it was already open.
        void this.updateComplete.then(() =>
          this.renderRoot.querySelector('parley-conversation-view')?.focusComposer(),
        );
      },
      (err: unknown) => {
        this.openError = errorText(err);
      },
    );
  };

  private readonly onPeopleLink = (e: MouseEvent): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.openError = null;
    this.services?.router.navigate('/people');
  };

  private readonly onNotificationsOpen = (): void => {
    void this.account.value?.push.load().then(
      (p) => p.refresh(),
      () => undefined, // the dialog shows "Loading…"; opening it again tries again
    );
    loadElement('parley-notifications-dialog')
      .then(() => this.notifications?.updateComplete)
      .then(() => this.notifications?.show())
      .catch((e: unknown) => console.warn('Could not open the notifications dialog', e));
  };

  private readonly onPushAction = (e: PushActionEvent): void => {
    const a = e.action;
    if (a.kind === 'sound') {
      this.services?.sound.choose(a.on);
      return;
    }
    // The dialog offers these only with the service's state, so it is loaded.
    const push = this.account.value?.push.instance;
    if (!push) return;
    if (a.kind === 'enable') void push.enable();
    else if (a.kind === 'disable') void push.disable();
    else void push.saveSettings(a.settings);
  };

  private readonly onMute = (e: MuteEvent): void => {
    const account = this.account.value;
    if (!account || !this.services) return;
    this.openError = null;
    this.services.api
      .mute(e.conversationId, e.duration)
      .then(() => account.inbox.refresh())
      .catch((err: unknown) => {
        this.openError = errorText(err);
      });
  };

  /** Pin, archive or delete a chat for me (asks first); the list on every device follows. */
  private readonly onConversationPref = (e: ConversationPrefEvent): void => {
    void this.conversationPref(e);
  };

  private async conversationPref(e: ConversationPrefEvent): Promise<void> {
    const account = this.account.value;
    if (!account || !this.services) return;
    await this.run(changeConversationPref(e, account, this.services.router, this.confirmer));
  }

  /** Clear the error line, then show the error of `action`, if it fails. */
  private async run(action: Promise<unknown>): Promise<void> {
    this.openError = null;
    try {
      await action;
    } catch (err) {
      this.openError = errorText(err);
    }
  }

  private readonly confirmer = (options: ConfirmOptions): Promise<boolean> =>
    confirmWith(this.confirm, options);

  private readonly onThemeChange = (e: ThemeChangeEvent): void => {
    this.services?.theme.choose(e.theme);
  };

  /** Carry out a people action; removing and blocking ask first. */
  private readonly onPersonAction = (e: PersonActionEvent): void => {
    void this.personAction(e);
  };

  private async personAction(e: PersonActionEvent): Promise<void> {
    const account = this.account.value;
    if (!account || !this.services) return;
    await this.run(carryOutPersonAction(e, account, this.services.router, this.confirmer));
  }

  /**
   * Sign out, after a warning when this device still holds messages the server has not
   * stored (they would be lost with the device's data).
   */
  private readonly onSignOut = (): void => {
    void this.signOut();
  };

  private async signOut(): Promise<void> {
    const services = this.services;
    if (!services) return;
    const account = this.account.value;
    const unsent = account ? account.unsent.total() + account.outbox.snapshot.pending.length : 0;
    if (unsent > 0) {
      const ok = await confirmWith(this.confirm, {
        title: 'Sign out?',
        body: `${unsent === 1 ? '1 message has' : `${unsent} messages have`} not been sent yet. Signing out now deletes ${unsent === 1 ? 'it' : 'them'} from this device.`,
        confirm: 'Sign out anyway',
        cancel: 'Send them first',
      });
      if (!ok) return;
    }
    await services.session
      .signOut()
      .finally(() => services.router.navigate('/', { replace: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-app-shell': AppShell;
  }
}
