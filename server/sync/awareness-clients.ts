/**
 * Client ids bound to a user by awareness alone (typing, viewing; never wrote to the
 * document): kept in memory only, at most `Limits.maxAwarenessClientsPerUser` per user per
 * document, and released when the socket that announced them leaves. A client id that
 * writes document content is bound durably to its first writer instead (`DocStore.bindClient`).
 */
import { Limits } from '../../shared/protocol';

export class AwarenessClients {
  private readonly owners = new Map<number, string>();
  private readonly byUser = new Map<string, Set<number>>();

  ownerOf(client: number): string | undefined {
    return this.owners.get(client);
  }

  /** Bind `client` to `userId`; false when the user already holds the most allowed. */
  bind(client: number, userId: string): boolean {
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    if (set.size >= Limits.maxAwarenessClientsPerUser) return false;
    set.add(client);
    this.owners.set(client, userId);
    return true;
  }

  /** Forget `client` (its socket left, or it wrote document content and is bound durably now). */
  release(client: number): void {
    const owner = this.owners.get(client);
    if (owner === undefined) return;
    this.owners.delete(client);
    const set = this.byUser.get(owner);
    set?.delete(client);
    if (set?.size === 0) this.byUser.delete(owner);
  }
}
