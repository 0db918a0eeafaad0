/**
 * Directory search ("find people"): debounced GET /api/users?q=, newest query wins.
 */
import type { DirectoryUser } from '../../shared/api';
import { ApiError, type Api } from './api';
import type { Presence } from './presence';
import { SnapshotStore } from './store';

export interface PeopleState {
  query: string;
  results: readonly DirectoryUser[];
  /** True while the current query's answer is outstanding. */
  searching: boolean;
  error: string | null;
}

export interface PeopleOptions {
  api: Api;
  /** Wait this long after the last keystroke; 150 ms by default. */
  debounceMs?: number;
  /** Told the presence carried by every answer. */
  presence?: Presence;
}

export class People extends SnapshotStore<PeopleState> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sequence = 0;

  constructor(private readonly opts: PeopleOptions) {
    super({ query: '', results: [], searching: false, error: null });
  }

  /** Search for `query`; an empty query clears the results. */
  search(query: string): void {
    const q = query.trim();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const seq = ++this.sequence;
    if (q.length === 0) {
      this.set({ query, results: [], searching: false, error: null });
      return;
    }
    this.patch({ query, searching: true });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run(q, seq);
    }, this.opts.debounceMs ?? 150);
  }

  clear(): void {
    this.search('');
  }

  private async run(q: string, seq: number): Promise<void> {
    try {
      const results = await this.opts.api.searchUsers(q);
      this.opts.presence?.learn(results);
      if (seq === this.sequence) this.patch({ results, searching: false, error: null });
    } catch (e) {
      if (seq !== this.sequence) return;
      const message = e instanceof ApiError ? e.message : 'Something went wrong, try again.';
      this.patch({ searching: false, error: message });
    }
  }
}
