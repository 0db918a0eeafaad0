/**
 * Who is online: open connections per user (sync sockets and event streams, any tab, any
 * device). Offline after a short grace once the last one closes (a reload does not
 * flicker), which also sets last seen.
 */
import type { UserStore } from './store/user-store';

export class Presence {
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
      this.users.setLastSeen(userId, Date.now());
      this.emit(userId, false);
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
  flush(): void {
    for (const [userId, timer] of this.leaving) {
      clearTimeout(timer);
      this.users.setLastSeen(userId, Date.now());
    }
    this.leaving.clear();
  }

  private emit(userId: string, online: boolean): void {
    for (const fn of this.listeners) fn(userId, online);
  }
}
