/**
 * Who is online: open connections per user (sync sockets and event streams, any tab, any
 * device). Offline after a short grace once the last one closes (a reload does not
 * flicker), which also sets last seen. `LocalPresence` counts one process (embedded mode);
 * `RedisPresence` (server/cluster/redis-presence.ts) answers for every process of a cluster.
 */
import type { UserStore } from './store/user-store';

/** The presence seam: People asks it and listens to it; the sync server and streams feed it. */
export interface Presence {
  /** A sync socket or event stream of `userId` opened in this process. */
  connected(userId: string): void;
  /** One of them closed. */
  disconnected(userId: string): void;
  /** Online anywhere (any process in cluster mode), or within the grace after the last close. Synchronous: answered from memory. */
  isOnline(userId: string): boolean;
  /** How many connections the user has open in this process (the per-process socket cap). */
  count(userId: string): number;
  /** Called when `isOnline(userId)` changed; last seen is already written when it turns false. */
  onChange(fn: (userId: string, online: boolean) => void): () => void;
  /** Shutdown: settle pending "going offline" (last seen written) and withdraw this process's count. */
  flush(): Promise<void>;
}

export class LocalPresence implements Presence {
  private readonly open = new Map<string, number>();
  private readonly leaving = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<(userId: string, online: boolean) => void>();

  constructor(
    private readonly users: UserStore,
    /** How long after the last connection closes the user is shown offline. */
    private readonly graceMs: number,
  ) {}

  connected(userId: string): void {
    const n = (this.open.get(userId) ?? 0) + 1;
    this.open.set(userId, n);
    const timer = this.leaving.get(userId);
    if (timer) {
      clearTimeout(timer);
      this.leaving.delete(userId);
      return; // never went offline
    }
    if (n === 1) this.emit(userId, true);
  }

  disconnected(userId: string): void {
    const n = (this.open.get(userId) ?? 1) - 1;
    if (n > 0) {
      this.open.set(userId, n);
      return;
    }
    this.open.delete(userId);
    const timer = setTimeout(() => {
      this.leaving.delete(userId);
      void this.saveLastSeen(userId).then(() => this.emit(userId, false));
    }, this.graceMs);
    timer.unref();
    this.leaving.set(userId, timer);
  }

  isOnline(userId: string): boolean {
    return (this.open.get(userId) ?? 0) > 0 || this.leaving.has(userId);
  }

  /** How many connections the user has open now. */
  count(userId: string): number {
    return this.open.get(userId) ?? 0;
  }

  onChange(fn: (userId: string, online: boolean) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Settle every pending "going offline" now (shutdown): last seen is written. */
  async flush(): Promise<void> {
    const saves: Promise<void>[] = [];
    for (const [userId, timer] of this.leaving) {
      clearTimeout(timer);
      saves.push(this.saveLastSeen(userId));
    }
    this.leaving.clear();
    await Promise.all(saves);
  }

  /** Last seen is best effort: a failed write only loses the time, never the sign of life. */
  private async saveLastSeen(userId: string): Promise<void> {
    try {
      await this.users.setLastSeen(userId, Date.now());
    } catch {
      // the database is unreachable; the next disconnect writes it again
    }
  }

  private emit(userId: string, online: boolean): void {
    for (const fn of this.listeners) fn(userId, online);
  }
}
