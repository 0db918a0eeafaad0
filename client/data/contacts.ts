/**
 * The signed-in user's people: contacts, contact requests both ways and the people they
 * blocked (GET /api/contacts), and the actions on them. Refreshed when the user-level
 * event stream says `contacts` changed, and after every action.
 */
import type { DirectoryUser } from '../../shared/api';
import { ApiError, type Api, type IncomingRequest, type OutgoingRequest } from './api';
import type { Presence } from './presence';
import { SnapshotStore } from './store';

export interface ContactsState {
  contacts: readonly DirectoryUser[];
  incoming: readonly IncomingRequest[];
  outgoing: readonly OutgoingRequest[];
  blocked: readonly DirectoryUser[];
  /** True once a list came from the server. */
  loaded: boolean;
  /** The last refresh failed with this text; cleared by the next success. */
  error: string | null;
}

/** How someone relates to you, for choosing which actions to offer. */
export type Relation = 'contact' | 'incoming' | 'outgoing' | 'blocked' | 'none';

export interface ContactsOptions {
  api: Api;
  /** Told the presence carried by every fetched list. */
  presence?: Presence;
  /** The server said 401: the session is gone. */
  onUnauthenticated?: () => void;
}

const byName = (a: DirectoryUser, b: DirectoryUser): number =>
  a.displayName.localeCompare(b.displayName);

export class Contacts extends SnapshotStore<ContactsState> {
  private inFlight: Promise<void> | null = null;
  private again = false;

  constructor(private readonly opts: ContactsOptions) {
    super({ contacts: [], incoming: [], outgoing: [], blocked: [], loaded: false, error: null });
  }

  /** Fetch the lists now; concurrent calls share one request plus at most one follow-up. */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.fetchLists().finally(() => {
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.inFlight;
  }

  /** How `userId` relates to you, as far as the last list knows. */
  relation(userId: string): Relation {
    const s = this.snapshot;
    if (s.blocked.some((u) => u.id === userId)) return 'blocked';
    if (s.contacts.some((u) => u.id === userId)) return 'contact';
    if (s.incoming.some((r) => r.from.id === userId)) return 'incoming';
    if (s.outgoing.some((r) => r.to.id === userId)) return 'outgoing';
    return 'none';
  }

  /** Ask someone to be your contact (accepts theirs when they asked first). Throws `ApiError`. */
  add(userId: string): Promise<void> {
    return this.act(this.opts.api.requestContact(userId));
  }

  accept(requestId: string): Promise<void> {
    return this.act(this.opts.api.acceptContactRequest(requestId));
  }

  /** Decline a request to you. */
  decline(requestId: string): Promise<void> {
    return this.act(this.opts.api.declineContactRequest(requestId));
  }

  /** Cancel a request you sent (the same call as declining, by the sender). */
  cancel(requestId: string): Promise<void> {
    return this.act(this.opts.api.declineContactRequest(requestId));
  }

  remove(userId: string): Promise<void> {
    return this.act(this.opts.api.removeContact(userId));
  }

  block(userId: string): Promise<void> {
    return this.act(this.opts.api.block(userId));
  }

  unblock(userId: string): Promise<void> {
    return this.act(this.opts.api.unblock(userId));
  }

  private async act(call: Promise<void>): Promise<void> {
    await this.guard(call);
    await this.refresh();
  }

  private async fetchLists(): Promise<void> {
    try {
      const lists = await this.guard(this.opts.api.contacts());
      this.opts.presence?.learn([
        ...lists.contacts,
        ...lists.incoming.map((r) => r.from),
        ...lists.outgoing.map((r) => r.to),
      ]);
      this.set({
        contacts: [...lists.contacts].sort(byName),
        incoming: lists.incoming,
        outgoing: lists.outgoing,
        blocked: [...lists.blocked].sort(byName),
        loaded: true,
        error: null,
      });
    } catch (e) {
      this.patch({ error: e instanceof ApiError ? e.message : 'Something went wrong, try again.' });
    }
  }

  private async guard<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthenticated') this.opts.onUnauthenticated?.();
      throw e;
    }
  }
}
