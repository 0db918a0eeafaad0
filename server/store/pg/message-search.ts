/**
 * MessageSearch on PostgreSQL: the generated `messages.search` tsvector and its GIN index
 * (migration 2). The newest matches (by arrival, `seq`) of the searcher's listed
 * conversations, found one of two ways so that neither a rare nor a common word scans
 * everything: a capped probe counts matches; few are read through the GIN index and sorted,
 * many are read newest first per conversation (`messages_seq` backwards), stopping early.
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

/** Up to this many matches, reading them all through the GIN index is the cheaper way. */
const FEW_MATCHES = 2000;

/** A tsquery of prefix terms, each quoted: the words hold only letters, marks and digits. */
export const tsQuery = (words: readonly string[]): string =>
  words.map((w) => `'${w.replaceAll("'", "''").replaceAll('\\', '\\\\')}':*`).join(' & ');

/**
 * Unnamed (planned per execution with its parameters): how many rows a word matches decides
 * the plan, and a named statement's generic plan, chosen after five runs, cannot know it
 * (measured: 0.5 s instead of 30 ms for a word in every message).
 */
async function planned<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values: unknown[],
): Promise<R[]> {
  return (await pool.query<R>({ text, values })).rows;
}

const q = {
  // The conversation list's rule: yours, not declined, nobody you blocked.
  listed: statement(
    `SELECT c.id, CASE WHEN c.user_a = $1 THEN c.user_b ELSE c.user_a END AS peer
     FROM conversations c
     WHERE (c.user_a = $1 OR c.user_b = $1)
       AND NOT EXISTS (SELECT 1 FROM conversation_hidden h WHERE h.conversation_id = c.id AND h.user_id = $1)
       AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker = $1
                       AND b.blocked = CASE WHEN c.user_a = $1 THEN c.user_b ELSE c.user_a END)`,
  ),
  probe: `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM messages m
       WHERE m.search @@ to_tsquery('simple'::regconfig, $1) AND m.conversation_id = ANY ($2::text[])
         AND NOT m.deleted AND m.created < $3
       LIMIT $4
     ) AS found`,
  few: `SELECT m.* FROM messages m
     WHERE m.search @@ to_tsquery('simple'::regconfig, $1) AND m.conversation_id = ANY ($2::text[])
       AND NOT m.deleted AND m.created < $3
     ORDER BY m.seq DESC
     LIMIT $4`,
  many: `SELECT m.* FROM unnest($2::text[]) AS listed(id), LATERAL (
       SELECT * FROM messages m
       WHERE m.conversation_id = listed.id AND m.search @@ to_tsquery('simple'::regconfig, $1)
         AND NOT m.deleted AND m.created < $3
       ORDER BY m.seq DESC
       LIMIT $4
     ) AS m
     ORDER BY m.seq DESC
     LIMIT $4`,
};

export class PgMessageSearch implements MessageSearch {
  constructor(private readonly pool: pg.Pool) {}

  async search(query: MessageSearchQuery): Promise<MessageSearchHit[]> {
    if (query.words.length === 0) return [];
    const listed = await rows<{ id: string; peer: string }>(this.pool, q.listed, [query.userId]);
    if (listed.length === 0) return [];
    const peers = new Map(listed.map((c) => [c.id, c.peer]));
    const args = [
      tsQuery(query.words),
      listed.map((c) => c.id),
      query.before ?? Number.MAX_SAFE_INTEGER,
    ];
    const [probe] = await planned<{ n: number }>(this.pool, q.probe, [...args, FEW_MATCHES + 1]);
    const few = (probe?.n ?? 0) <= FEW_MATCHES;
    const found = await planned<RawMessage>(this.pool, few ? q.few : q.many, [
      ...args,
      SEARCH_CANDIDATES,
    ]);
    return rankHits(
      found.map((r) => ({ message: toMessage(r), peer: peers.get(r.conversation_id) ?? '' })),
      query,
    );
  }
}
