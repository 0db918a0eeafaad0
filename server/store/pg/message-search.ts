/**
 * MessageSearch on PostgreSQL: the generated `messages.search` tsvector and its GIN index
 * (migration 2); the newest matches (by arrival, `seq`) of the searcher's listed conversations.
 */
import type pg from 'pg';
import {
  SEARCH_CANDIDATES,
  rankHits,
  type MessageSearch,
  type MessageSearchHit,
  type MessageSearchQuery,
} from '../message-search';
import { toMessage, type RawMessage } from '../rows';
import { rows, statement } from './pool';

type Row = RawMessage & { peer: string };

/** A tsquery of prefix terms, each quoted: the words hold only letters, marks and digits. */
export const tsQuery = (words: readonly string[]): string =>
  words.map((w) => `'${w.replaceAll("'", "''").replaceAll('\\', '\\\\')}':*`).join(' & ');

const q = {
  find: statement(
    `WITH query AS (SELECT to_tsquery('simple'::regconfig, $2) AS tsq)
     SELECT m.conversation_id, m.id, m.sender, m.text, m.created, m.edited, m.deleted,
       CASE WHEN c.user_a = $1 THEN c.user_b ELSE c.user_a END AS peer
     FROM query, messages m
     JOIN conversations c ON c.id = m.conversation_id
     WHERE m.search @@ query.tsq
       AND (c.user_a = $1 OR c.user_b = $1)
       AND NOT m.deleted AND m.created < $3
       AND NOT EXISTS (SELECT 1 FROM conversation_hidden h WHERE h.conversation_id = c.id AND h.user_id = $1)
       AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker = $1
                       AND b.blocked = CASE WHEN c.user_a = $1 THEN c.user_b ELSE c.user_a END)
     ORDER BY m.seq DESC
     LIMIT $4`,
  ),
};

export class PgMessageSearch implements MessageSearch {
  constructor(private readonly pool: pg.Pool) {}

  async search(query: MessageSearchQuery): Promise<MessageSearchHit[]> {
    if (query.words.length === 0) return [];
    const found = await rows<Row>(this.pool, q.find, [
      query.userId,
      tsQuery(query.words),
      query.before ?? Number.MAX_SAFE_INTEGER,
      SEARCH_CANDIDATES,
    ]);
    return rankHits(
      found.map((r) => ({ message: toMessage(r), peer: r.peer })),
      query,
    );
  }
}
