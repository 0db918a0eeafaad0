/**
 * Checks a SQLite → PostgreSQL copy before it is committed: equal row counts per table, and
 * for every document the same Yjs state vector from the merged stored updates on both sides.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import * as Y from 'yjs';
import { MOVED_TABLES } from './move-tables';

export interface MoveSummary {
  tables: { name: string; sqlite: number; postgres: number }[];
  documents: number;
  /** Documents whose state vectors differ (empty when the copy is good). */
  mismatchedDocuments: string[];
  ok: boolean;
}

export async function verifyMove(
  sqlite: Database.Database,
  client: pg.ClientBase,
): Promise<MoveSummary> {
  const tables: MoveSummary['tables'] = [];
  for (const { name } of MOVED_TABLES) {
    const s = (sqlite.prepare(`SELECT count(*) AS n FROM ${name}`).get() as { n: number }).n;
    const p = (await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${name}`)).rows[0]?.n;
    tables.push({ name, sqlite: s, postgres: Number(p) });
  }
  const docs = sqlite
    .prepare('SELECT DISTINCT doc FROM doc_updates ORDER BY doc')
    .pluck()
    .all() as string[];
  const sqliteRows = sqlite
    .prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq')
    .pluck();
  const mismatchedDocuments: string[] = [];
  for (const doc of docs) {
    const here = stateVector(sqliteRows.all(doc) as Buffer[]);
    const { rows } = await client.query<{ data: Buffer }>(
      'SELECT data FROM doc_updates WHERE doc = $1 ORDER BY seq',
      [doc],
    );
    const there = stateVector(rows.map((r) => r.data));
    if (!sameStateVector(here, there)) mismatchedDocuments.push(doc);
  }
  const { rows } = await client.query<{ n: number }>(
    'SELECT count(DISTINCT doc) AS n FROM doc_updates',
  );
  if (Number(rows[0]?.n) !== docs.length)
    mismatchedDocuments.push('(documents only in PostgreSQL)');
  const ok = mismatchedDocuments.length === 0 && tables.every((t) => t.sqlite === t.postgres);
  return { tables, documents: docs.length, mismatchedDocuments, ok };
}

function stateVector(updates: Uint8Array[]): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(updates)));
}

function sameStateVector(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, clock] of a) if (b.get(client) !== clock) return false;
  return true;
}
