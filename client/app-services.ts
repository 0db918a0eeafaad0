/**
 * The client's composition root: builds the data layer once and hands it to the UI.
 * Services of the signed-in user (inbox, people search, open conversations) are
 * created when someone signs in and torn down when they sign out.
 */
import type { User } from '../shared/api';
import { Api } from './data/api';
import { ServerPolicyStore } from './data/server-policy';
import { BackgroundSync } from './data/background-sync';
import { ConnectivityStore } from './data/connectivity';
import type { AdminConsole } from './data/admin-console';
import type { MessageSearch } from './data/search';
import type { PushNotifications } from './data/push';
import { LazyService } from './data/lazy-service';
import { Contacts } from './data/contacts';
import { ConversationRepo } from './data/conversation-repo';
import { Inbox } from './data/inbox';
import { Outbox } from './data/outbox';
import { sendThroughRepo } from './data/outbox-send';
import { Drafts } from './data/drafts';
import { deleteLocalData } from './data/local-data';
import { People } from './data/people';
import { Presence } from './data/presence';
import { Profile } from './data/profile';
import type { PrivacySettingsStore } from './data/privacy';
import { Session } from './data/session';
import { UnsentMessages } from './data/unsent';
import { ViewCache } from './data/view-cache';
import type { AccountSecurity } from './data/devices';
import { StorageHealth } from './data/storage-health';
import { SnapshotStore, type Subscribable } from './data/store';
import { ThemeStore } from './data/theme';
import { MessageSound } from './data/message-sound';
import { Router } from './router';
import { followNotificationClicks } from './pwa/notification-clicks';

/** What exists only while someone is signed in. */
export interface UserServices {
  readonly user: User;
  readonly inbox: Inbox;
  readonly people: People;
  readonly conversations: ConversationRepo;
  /** Contacts, requests and blocks. */
  readonly contacts: Contacts;
  /** Freshest online / last-seen of everyone the user may see. */
  readonly presence: Presence;
  /** Half-written messages per conversation (survive reloads; wiped on sign-out). */
  readonly drafts: Drafts;
  /** Messages with attachments waiting for their uploads (bytes in IndexedDB). */
  readonly outbox: Outbox;
  /**
   * Push notifications on this device, and the notification settings (loaded just after
   * sign-in, which renews an old subscription, outside the first load's script).
   */
  readonly push: LazyService<PushNotifications>;
  /** The admin page's data (loaded with the page); null for everyone but the server's admins. */
  readonly admin: LazyService<AdminConsole> | null;
  /** Message search: the server's when online, this device's when not (loaded on first use). */
  readonly search: LazyService<MessageSearch>;
  /** Your display name, "about" line and photo. */
  readonly profile: Profile;
  /** Your privacy settings (read receipts, last seen, typing, found by e-mail); settings page. */
  readonly privacy: LazyService<PrivacySettingsStore>;
  /** Your messages on this device that the server has not stored yet (sign-out warns). */
  readonly unsent: UnsentMessages;
  /** Devices signed in as you, password change, account deletion (settings, "Account"). */
  readonly security: LazyService<AccountSecurity>;
}

export interface AppServices {
  readonly api: Api;
  readonly session: Session;
  readonly router: Router;
  readonly connectivity: ConnectivityStore;
  /** Persistent-storage request and "device full" reports. */
  readonly storage: StorageHealth;
  /** The colour theme (system / dark / light), remembered on this device. */
  readonly theme: ThemeStore;
  /** The optional sound for new messages while the app is open, remembered on this device. */
  readonly sound: MessageSound;
  /** Who may sign up, and how forgotten passwords are recovered (the auth pages load it). */
  readonly policy: ServerPolicyStore;
  /** The signed-in user's services (null while signed out); subscribe to follow changes. */
  readonly account: Subscribable<UserServices | null>;
  /** Restore the session; call once at boot. */
  start(): Promise<void>;
}

class AccountScope extends SnapshotStore<UserServices | null> {
  private unsubscribers: (() => void)[] = [];
  private background: BackgroundSync | null = null;

  constructor(
    private readonly api: Api,
    private readonly session: Session,
    private readonly connectivity: ConnectivityStore,
    private readonly storage: StorageHealth,
  ) {
    super(null);
  }

  /** Follow the session: build services for a new user, tear down for none. */
  sync(): void {
    const user = this.session.user;
    const current = this.snapshot;
    if (current && user && current.user.id === user.id) return;
    if (current) void this.teardown();
    if (user) this.set(this.build(user));
  }

  private build(user: User): UserServices {
    const presence = new Presence();
    // Offline, nobody's status is known: none is shown (finding 7).
    const reachable = (): void => presence.setReachable(this.connectivity.snapshot !== 'offline');
    reachable();
    this.unsubscribers.push(this.connectivity.subscribe(reachable));
    const onUnauthenticated = (): void => this.session.expire();
    const contacts = new Contacts({ api: this.api, presence, onUnauthenticated });
    const profile = new Profile(this.api, this.session);
    const inbox = new Inbox({
      api: this.api,
      userId: user.id,
      presence,
      onUnauthenticated,
      onEvent: (event) => {
        if (event.type === 'contacts') void contacts.refresh();
        if (event.type === 'profile' && event.userId === user.id) void profile.reload();
      },
    });
    const unsent = new UnsentMessages(user.id);
    const viewCache = new ViewCache(user.id);
    // Sign-out deletes the local data next: nothing may be written after it.
    this.unsubscribers.push(() => viewCache.close());
    const conversations = new ConversationRepo({
      me: user.id,
      onChange: (id, c) => unsent.note(id, c.snapshot),
      conversationOptions: {
        viewCache,
        fetchEpoch: (id, epoch, sv) => this.api.sealedDocument(id, epoch, sv),
        readPrivately: (id, upTo) => this.api.markRead(id, upTo),
      },
      onActivity: (id, kind) => {
        if (kind === 'read') inbox.markReadLocally(id);
        inbox.refreshSoon();
      },
    });
    this.unsubscribers.push(
      conversations.subscribe(() => {
        const statuses = conversations.snapshot.statuses;
        this.connectivity.setConversationStatuses(statuses.values());
        if ([...statuses.values()].includes('unauthenticated'))
          void this.checkSession(conversations);
      }),
    );
    inbox.start();
    void contacts.refresh();
    // Every conversation with new activity reaches IndexedDB, two at a time.
    this.background = new BackgroundSync({ userId: user.id, inbox, repo: conversations });
    this.background.start();
    void this.storage.requestPersistence();
    const outbox = new Outbox({ userId: user.id, send: sendThroughRepo(conversations, inbox) });
    void outbox.start();
    const api = this.api;
    const push = new LazyService(
      async () => new (await import('./data/push')).PushNotifications(api),
    );
    void push.load().then(
      (p) => p.refresh(),
      (e: unknown) => console.warn('Could not load the notifications service', e),
    );
    return {
      unsent,
      security: new LazyService(
        async () => new (await import('./data/devices')).AccountSecurity(api),
      ),
      push,
      outbox,
      user,
      inbox,
      people: new People({ api: this.api, presence }),
      conversations,
      contacts,
      presence,
      drafts: new Drafts(user.id, { health: this.storage }),
      privacy: new LazyService(
        async () => new (await import('./data/privacy')).PrivacySettingsStore(api),
      ),
      admin: user.admin
        ? new LazyService(async () => new (await import('./data/admin-console')).AdminConsole(api))
        : null,
      profile,
      search: new LazyService(
        async () =>
          new (await import('./data/search')).MessageSearch({
            api,
            userId: user.id,
            conversations: () => inbox.snapshot.conversations,
          }),
      ),
    };
  }

  private checking = false;

  /**
   * A socket was closed with 4401. Usually the session ended (expire), but a password change
   * on this device also closes its old sockets while the device goes on with a new session:
   * ask the server, and reconnect when it still knows us.
   */
  private async checkSession(conversations: ConversationRepo): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await this.api.me();
      conversations.resumeSignedIn();
    } catch {
      this.session.expire();
    } finally {
      this.checking = false;
    }
  }

  /** Stop the current user's services; resolves once every conversation is closed. */
  async teardown(): Promise<void> {
    const current = this.snapshot;
    if (!current) return;
    for (const fn of this.unsubscribers) fn();
    this.unsubscribers = [];
    this.background?.stop();
    this.background = null;
    current.inbox.stop();
    current.outbox.dispose();
    // Signed out (or revoked): this device stops getting pushes.
    void current.push.load().then(
      (p) => p.forget(),
      () => undefined, // not loadable: the server dropped the subscription with the session
    );
    this.connectivity.setConversationStatuses([]);
    this.set(null);
    await current.conversations.closeAll();
  }
}

export function createAppServices(): AppServices {
  const connectivity = new ConnectivityStore();
  const api = new Api({ onReachability: (ok) => connectivity.reportHttp(ok) });
  let account: AccountScope | null = null;
  const session = new Session({
    api,
    cleanup: async (user) => {
      // Close first: an open database cannot be deleted.
      await account?.teardown();
      await deleteLocalData(user.id);
    },
  });
  const storage = new StorageHealth();
  account = new AccountScope(api, session, connectivity, storage);
  const scope = account;
  session.subscribe(() => scope.sync());
  const router = new Router();
  followNotificationClicks(router);
  return {
    api,
    session,
    router,
    connectivity,
    storage,
    theme: new ThemeStore(),
    sound: new MessageSound(),
    policy: new ServerPolicyStore(api),
    account: scope,
    start: () => session.restore(),
  };
}
