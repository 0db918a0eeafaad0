/**
 * Answers of PostgreSQL questions asked for every message (privacy settings, blocks,
 * contacts), kept for a short time in this process. Every change made through the store
 * drops them, and so does every `policy` or `privacy` signal (a change made by another
 * process: `PeopleStore.forget`). An answer that was being fetched while they were dropped
 * is not kept, and none is kept longer than `ttlMs`, so a lost signal heals by itself.
 */
export class AnswerCache<V> {
  private readonly answers = new Map<string, { value: V; until: number }>();
  /** Bumped by `clear`: a fetch that started before it does not store its (older) answer. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  async get(key: string, ask: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.answers.get(key);
    if (hit && hit.until > now) return hit.value;
    const generation = this.generation;
    const value = await ask();
    if (generation === this.generation) {
      if (this.answers.size >= this.maxEntries) this.answers.clear();
      this.answers.set(key, { value, until: now + this.ttlMs });
    }
    return value;
  }

  clear(): void {
    this.generation++;
    this.answers.clear();
  }
}
