/**
 * Byte budgets over fixed windows (`Limits.budgetWindowMs`): what one socket, and all of one
 * user's sockets together, may send the server and be sent in answer to sync step 1.
 * Exceeding one closes the socket with 1013 (slow down; the client retries later).
 */
import { Limits } from '../../shared/protocol';

/** Bytes spent in the current window. */
export class ByteWindow {
  private start = 0;
  private used = 0;

  /**
   * Spend `bytes` now; false when the window's total passes `limit`. The first spend of a
   * window is always allowed, whatever its size: a document larger than the budget must
   * still reach a new device (once per window).
   */
  spend(bytes: number, limit: number, now: number): boolean {
    if (now - this.start >= Limits.budgetWindowMs) {
      this.start = now;
      this.used = 0;
    }
    const before = this.used;
    this.used += bytes;
    return before === 0 || this.used <= limit;
  }

  /** True when the window is over (nothing spent counts any more). */
  idle(now: number): boolean {
    return now - this.start >= Limits.budgetWindowMs;
  }
}

/** One socket's or one user's two budgets. */
export interface Budgets {
  incoming: ByteWindow;
  syncAnswers: ByteWindow;
}

export const newBudgets = (): Budgets => ({
  incoming: new ByteWindow(),
  syncAnswers: new ByteWindow(),
});

/** The per-user budgets, shared by the user's sockets; idle entries are dropped by `prune`. */
export class UserBudgets {
  private readonly users = new Map<string, Budgets>();

  of(userId: string): Budgets {
    let b = this.users.get(userId);
    if (!b) {
      b = newBudgets();
      this.users.set(userId, b);
    }
    return b;
  }

  prune(now: number): void {
    for (const [user, b] of this.users) {
      if (b.incoming.idle(now) && b.syncAnswers.idle(now)) this.users.delete(user);
    }
  }
}
