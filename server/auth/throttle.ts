/** Sliding-window failure counters for sign-in and registration throttling (in memory). */

export class Throttle {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it may now. */
  retryAfter(key: string, now = Date.now()): number {
    const list = this.prune(key, now);
    if (list.length < this.max) return 0;
    const oldest = list[0] ?? now;
    return Math.max(1, oldest + this.windowMs - now);
  }

  record(key: string, now = Date.now()): void {
    const list = this.prune(key, now);
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 100_000) this.sweep(now);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private prune(key: string, now: number): number[] {
    const list = this.hits.get(key) ?? [];
    while (list.length > 0 && (list[0] ?? 0) <= now - this.windowMs) list.shift();
    return list;
  }

  private sweep(now: number): void {
    for (const key of this.hits.keys())
      if (this.prune(key, now).length === 0) this.hits.delete(key);
  }
}
