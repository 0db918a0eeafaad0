/**
 * The per-user storage quota: a running count of the bytes of document updates each user
 * stored (table `user_storage`, updated in the same transaction as the append), and the
 * check an update must pass before it is accepted.
 */
import type { Db } from './database';

export class StorageQuota {
  /** Bytes per user: committed plus reserved by updates accepted but not committed yet. */
  private readonly used = new Map<string, number>();
  /** Bytes recorded by the writes of the batch being committed, written once by `flush`. */
  private readonly pending = new Map<string, number>();
  private readonly read;
  private readonly add;

  constructor(
    db: Db,
    /** Most bytes one user may store (config `userQuotaBytes`). */
    readonly limitBytes: number,
  ) {
    this.read = db.prepare<[string], { bytes: number }>(
      'SELECT bytes FROM user_storage WHERE user_id = ?',
    );
    this.add = db.prepare<[string, number]>(
      `INSERT INTO user_storage (user_id, bytes) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET bytes = bytes + excluded.bytes`,
    );
  }

  /** Bytes `userId` has stored or reserved; read from disk once per user, then kept in memory. */
  usage(userId: string): number {
    let n = this.used.get(userId);
    if (n === undefined) {
      n = this.read.get(userId)?.bytes ?? 0;
      this.used.set(userId, n);
    }
    return n;
  }

  /** Reserve `bytes` for an update about to be written; false (nothing reserved) past the quota. */
  reserve(userId: string, bytes: number): boolean {
    const n = this.usage(userId);
    if (n + bytes > this.limitBytes) return false;
    this.used.set(userId, n + bytes);
    return true;
  }

  /**
   * Inside the write of the reserved update (last, so a write that fails never records):
   * counted into the batch's total, made durable by `flush` in the same transaction.
   */
  record(userId: string, bytes: number): void {
    this.pending.set(userId, (this.pending.get(userId) ?? 0) + bytes);
  }

  /** In the batch's transaction after its writes (`WriteBatcher.beforeCommit`): one upsert per user. */
  flush(): void {
    try {
      for (const [userId, bytes] of this.pending) this.add.run(userId, bytes);
    } finally {
      this.pending.clear();
    }
  }

  /** The reserved update was not written. */
  release(userId: string, bytes: number): void {
    this.used.set(userId, Math.max(0, this.usage(userId) - bytes));
  }
}
