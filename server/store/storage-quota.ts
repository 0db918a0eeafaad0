/**
 * The per-user storage quota: bytes of document updates each user stored (counted by the
 * storage in the same transaction as the append, see `Storage.commit`), kept in memory per
 * process, and the check an update must pass before it is accepted.
 */
import type { Awaitable } from './storage';

export class StorageQuota {
  /** Bytes per user: committed plus reserved by updates accepted but not committed yet. */
  private readonly used = new Map<string, number>();

  constructor(
    /** The stored bytes of a user (`Storage.storedBytes`). */
    private readonly read: (userId: string) => Awaitable<number>,
    /** Most bytes one user may store (config `userQuotaBytes`). */
    readonly limitBytes: number,
  ) {}

  /** Bring the user's usage into memory (before their socket's first update). */
  async load(userId: string): Promise<void> {
    if (this.used.has(userId)) return;
    const n = await this.read(userId);
    if (!this.used.has(userId)) this.used.set(userId, n);
  }

  /** Bytes `userId` has stored or reserved; read once per user, then kept in memory. */
  usage(userId: string): number {
    const known = this.used.get(userId);
    if (known !== undefined) return known;
    const n = this.read(userId);
    if (n instanceof Promise) throw new Error(`storage usage of ${userId} was not loaded`);
    this.used.set(userId, n);
    return n;
  }

  /** Reserve `bytes` for an update about to be written; false (nothing reserved) past the quota. */
  reserve(userId: string, bytes: number): boolean {
    const n = this.usage(userId);
    if (n + bytes > this.limitBytes) return false;
    this.used.set(userId, n + bytes);
    return true;
  }

  /** The reserved update was not written. */
  release(userId: string, bytes: number): void {
    this.used.set(userId, Math.max(0, this.usage(userId) - bytes));
  }
}
