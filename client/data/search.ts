/**
 * Message search: debounced, newest query wins. Online it asks the server
 * (GET /api/search: every conversation, ranked); when the network is off or the server
 * cannot be reached it searches what is on this device instead (device-search.ts) and
 * says so in the state.
 */
import type { ConversationSummary, SearchResult } from '../../shared/api';
import { SEARCH_TEXT_MAX, SEARCH_WORDS_MAX, searchWords } from '../../shared/search-text';
import { ApiError, type Api } from './api';
import type { ReadLocalDoc } from './device-search';
import { localDocName } from './conversation';
import { SnapshotStore } from './store';

export interface MessageSearchState {
  query: string;
  results: readonly SearchResult[];
  /** True while the current query's answer is outstanding. */
  searching: boolean;
  /** Where the results come from: the server, or this device only (offline). */
  source: 'server' | 'device' | null;
  error: string | null;
}

export interface MessageSearchOptions {
  api: Api;
  userId: string;
  /** The conversation list as this device knows it (the inbox), for the device search. */
  conversations: () => readonly ConversationSummary[];
  /** Reads a stored document; IndexedDB by default. */
  read?: ReadLocalDoc;
  /** False when the browser knows it is offline (skip the server); navigator.onLine by default. */
  online?: () => boolean;
  /** Wait this long after the last keystroke; 200 ms by default. */
  debounceMs?: number;
  /** Most results; 20 by default. */
  limit?: number;
}

const EMPTY: MessageSearchState = {
  query: '',
  results: [],
  searching: false,
  source: null,
  error: null,
};

export class MessageSearch extends SnapshotStore<MessageSearchState> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sequence = 0;

  constructor(private readonly opts: MessageSearchOptions) {
    super(EMPTY);
  }

  /** Search for `query`; an empty query clears the results. */
  search(query: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const seq = ++this.sequence;
    const q = query.trim();
    if (q === '') {
      this.set({ ...EMPTY, query });
      return;
    }
    const words = searchWords(q);
    const refusal =
      q.length > SEARCH_TEXT_MAX
        ? `The search text is too long (${SEARCH_TEXT_MAX} characters at most).`
        : words.length === 0
          ? 'Type a word to search for.'
          : words.length > SEARCH_WORDS_MAX
            ? `Search for ${SEARCH_WORDS_MAX} words at most.`
            : null;
    if (refusal) {
      this.set({ ...EMPTY, query, error: refusal });
      return;
    }
    this.patch({ query, searching: true });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run(q, words, seq);
    }, this.opts.debounceMs ?? 200);
  }

  clear(): void {
    this.search('');
  }

  private async run(q: string, words: string[], seq: number): Promise<void> {
    const limit = this.opts.limit ?? 20;
    const online = this.opts.online ?? (() => typeof navigator === 'undefined' || navigator.onLine);
    try {
      let results: SearchResult[] | null = null;
      let source: 'server' | 'device' = 'server';
      if (online()) {
        try {
          results = await this.opts.api.searchMessages(q, { limit });
        } catch (e) {
          // Unreachable server: fall back to the device. Anything else is the answer.
          if (!(e instanceof ApiError && e.code === 'network')) throw e;
        }
      }
      if (results === null) {
        source = 'device';
        // Its own chunk: only offline searches need it.
        const { indexedDbReader, searchDevice } = await import('./device-search');
        results = await searchDevice(this.opts.conversations(), words, {
          // A new reader per search: it lists the databases that exist now.
          read: this.opts.read ?? indexedDbReader(),
          localName: (doc) => localDocName(this.opts.userId, doc),
          limit,
        });
      }
      if (seq === this.sequence) this.patch({ results, source, searching: false, error: null });
    } catch (e) {
      if (seq !== this.sequence) return;
      const message = e instanceof ApiError ? e.message : 'Something went wrong, try again.';
      this.patch({ results: [], searching: false, error: message });
    }
  }
}
