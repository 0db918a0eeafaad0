/**
 * The client's composition root: builds the data layer once and hands it to the UI.
 * Services of the signed-in user (inbox, people search, open conversations) are
 * created when someone signs in and torn down when they sign out.
 */
import type { User } from '../shared/api';
import { Api } from './data/api';
import { ConnectivityStore } from './data/connectivity';
import { Contacts } from './data/contacts';
import { ConversationRepo } from './data/conversation-repo';
import { Inbox } from './data/inbox';
import { deleteLocalData } from './data/local-data';
import { People } from './data/people';
import { Presence } from './data/presence';
import { Session } from './data/session';
import { SnapshotStore, type Subscribable } from './data/store';
import { ThemeStore } from './data/theme';
import { Router } from './router';

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
}

export interface AppServices {
  readonly api: Api;
  readonly session: Session;
  readonly router: Router;
  readonly connectivity: ConnectivityStore;
  /** The colour theme (system / dark / light), remembered on this device. */
  readonly theme: ThemeStore;
  /** The signed-in user's services (null while signed out); subscribe to follow changes. */
  readonly account: Subscribable<UserServices | null>;
  /** Restore the session; call once at boot. */
  start(): Promise<void>;
}

class AccountScope extends SnapshotStore<UserServices | null> {
  private unsubscribers: (() => void)[] = [];

  constructor(
    private readonly api: Api,
    private readonly session: Session,
    private readonly connectivity: ConnectivityStore,
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
    const onUnauthenticated = (): void => this.session.expire();
    const contacts = new Contacts({ api: this.api, presence, onUnauthenticated });
    const inbox = new Inbox({
      api: this.api,
      userId: user.id,
      presence,
      onUnauthenticated,
      onEvent: (event) => {
        if (event.type === 'contacts') void contacts.refresh();
      },
    });
    const conversations = new ConversationRepo({
      me: user.id,
      onActivity: (id, kind) => {
        if (kind === 'read') inbox.markReadLocally(id);
        inbox.refreshSoon();
      },
    });
    this.unsubscribers.push(
      conversations.subscribe(() => {
        const statuses = conversations.snapshot.statuses;
        this.connectivity.setConversationStatuses(statuses.values());
        if ([...statuses.values()].includes('unauthenticated')) this.session.expire();
      }),
    );
    inbox.start();
    void contacts.refresh();
    return {
      user,
      inbox,
      people: new People({ api: this.api, presence }),
      conversations,
      contacts,
      presence,
    };
  }

  /** Stop the current user's services; resolves once every conversation is closed. */
  async teardown(): Promise<void> {
    const current = this.snapshot;
    if (!current) return;
    for (const fn of this.unsubscribers) fn();
    this.unsubscribers = [];
    current.inbox.stop();
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
  account = new AccountScope(api, session, connectivity);
  const scope = account;
  session.subscribe(() => scope.sync());
  const router = new Router();
  return {
    api,
    session,
    router,
    connectivity,
    theme: new ThemeStore(),
    account: scope,
    start: () => session.restore(),
  };
}
