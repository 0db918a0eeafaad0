/** Who is online: open sockets per user, across tabs and devices; last seen on the last close. */
import type { UserStore } from './store/user-store';

export class Presence {
  private readonly open = new Map<string, number>();
  private readonly listeners = new Set<(userId: string, online: boolean) => void>();

  constructor(private readonly users: UserStore) {}

  connected(userId: string): void {
    const n = (this.open.get(userId) ?? 0) + 1;
    this.open.set(userId, n);
    if (n === 1) this.emit(userId, true);
  }

  disconnected(userId: string): void {
    const n = (this.open.get(userId) ?? 1) - 1;
    if (n > 0) {
      this.open.set(userId, n);
      return;
    }
    this.open.delete(userId);
    this.users.setLastSeen(userId, Date.now());
    this.emit(userId, false);
  }

  isOnline(userId: string): boolean {
    return (this.open.get(userId) ?? 0) > 0;
  }

  /** How many sockets the user has open now. */
  count(userId: string): number {
    return this.open.get(userId) ?? 0;
  }

  onChange(fn: (userId: string, online: boolean) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(userId: string, online: boolean): void {
    for (const fn of this.listeners) fn(userId, online);
  }
}
