/**
 * Message search: the seam. Both storages index the messages projection's current text
 * (SQLite FTS5, PostgreSQL tsvector + GIN; see their migrations) and answer here, limited to
 * the conversations a user sees in their list.
 */
import type { MessageRecord } from '../../shared/api';
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

/** Relevance is divided by 1 + age / this: a match a week old counts half as much as a new one. */
export const RECENCY_SCALE_MS = 7 * 24 * 3600 * 1000;

export interface MessageSearch {
  /** Best matches first: relevance weighted by recency. Deleted messages are never found. */
  search(q: MessageSearchQuery): Awaitable<MessageSearchHit[]>;
}
