/**
 * Message search: the seam. Both storages index the messages projection's current text
 * (SQLite FTS5, PostgreSQL tsvector + GIN; see their migrations) and return the newest
 * matches in the conversations a user sees in their list; `rankHits` orders them by
 * relevance and recency, alike for both (and for the device's own search).
 */
import type { MessageRecord } from '../../shared/api';
import { searchScore } from '../../shared/search-text';
import type { Awaitable } from './storage';

export interface MessageSearchQuery {
  /** Whose conversations: only those where they take part, that they did not decline, with nobody they blocked. */
  userId: string;
  /** Words from `searchWords` (letters, marks and digits only); each must begin a word of the message. */
  words: readonly string[];
  /** Only messages sent before this time (epoch ms), or null for any. */
  before: number | null;
  limit: number;
  /** The time recency is measured from (epoch ms). */
  now: number;
}

export interface MessageSearchHit {
  message: MessageRecord;
  /** The other participant of the message's conversation. */
  peer: string;
}

/**
 * How many of the newest matches are ranked. Finding the newest matches costs little at any
 * size; scoring every match of a word found in most messages would cost milliseconds per
 * thousand. Older matches beyond these are reached with `before`.
 */
export const SEARCH_CANDIDATES = 300;

export interface MessageSearch {
  /** Best matches first: relevance weighted by recency. Deleted messages are never found. */
  search(q: MessageSearchQuery): Awaitable<MessageSearchHit[]>;
  /**
   * Messages were added: index them soon, in the background. Stores whose index follows
   * every write by itself (PostgreSQL's generated column) leave it out. Searching never
   * waits for it: a search indexes what is still pending first.
   */
  indexSoon?(): void;
}

/** The best `q.limit` of `hits` (the newest matches): by `searchScore`, then newest first. */
export function rankHits(hits: MessageSearchHit[], q: MessageSearchQuery): MessageSearchHit[] {
  return hits
    .map((h) => ({ h, score: searchScore(h.message.text, h.message.at, q.words, q.now) }))
    .sort((x, y) => y.score - x.score || y.h.message.at - x.h.message.at)
    .slice(0, q.limit)
    .map((x) => x.h);
}
