/**
 * Client ids bound to a user by awareness alone (typing, viewing; never wrote to the
 * document): kept in memory only, at most `Limits.maxAwarenessClientsPerUser` per user per
 * document while their socket is open. A client id that writes document content is bound
 * durably to its first writer instead (`Storage.commit`).
 *
 * When the announcing socket leaves, its ids are remembered a while longer (the last
 * `RECENT` of them): the other person's client echoes every awareness change, the removal
 * included, and that echo must not claim an id that its owner will come back with — a
 * device that wrote offline reconnects with the same id, and would then be refused.
 */
import { Limits } from '../../shared/protocol';

/** Released ids remembered per document (about 40 bytes each). */
const RECENT = 4096;

export class AwarenessClients {
  private readonly owners = new Map<number, string>();
  private readonly byUser = new Map<string, Set<number>>();
  /** Ids whose socket left, oldest first: still theirs, not counted in the per-user bound. */
  private readonly recent = new Map<number, string>();

  ownerOf(client: number): string | undefined {
    return this.owners.get(client) ?? this.recent.get(client);
  }

  /**
   * Bind `client` to `userId`; false when the user already holds the most allowed, or when
   * the id was recently someone else's.
   */
  bind(client: number, userId: string): boolean {
    if (this.owners.get(client) === userId) return true;
    const before = this.recent.get(client);
    if (before !== undefined && before !== userId) return false;
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    if (set.size >= Limits.maxAwarenessClientsPerUser) return false;
    this.recent.delete(client);
    set.add(client);
    this.owners.set(client, userId);
    return true;
  }

  /** The socket that announced `client` left: remember its owner for a while. */
  release(client: number): void {
    const owner = this.drop(client);
    if (owner === undefined) return;
    this.recent.set(client, owner);
    if (this.recent.size > RECENT) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  /** `client` wrote document content and is bound durably now: forget it here. */
  forget(client: number): void {
    this.drop(client);
    this.recent.delete(client);
  }

  private drop(client: number): string | undefined {
    const owner = this.owners.get(client);
    if (owner === undefined) return undefined;
    this.owners.delete(client);
    const set = this.byUser.get(owner);
    set?.delete(client);
    if (set?.size === 0) this.byUser.delete(owner);
    return owner;
  }
}
