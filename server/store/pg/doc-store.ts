/** DocStore on PostgreSQL: table `doc_updates` (the update log) and `doc_clients`. */
import type pg from 'pg';
import type { DocStore, StoredUpdate } from '../doc-store';
import { bytes, first, rows, run, statement } from './pool';

const q = {
  load: statement('SELECT seq, data FROM doc_updates WHERE doc = $1 ORDER BY seq'),
  append: statement('INSERT INTO doc_updates (doc, data) VALUES ($1, $2) RETURNING seq'),
  count: statement('SELECT count(*) AS n FROM doc_updates WHERE doc = $1'),
  // One statement, so one transaction: the merged rows go and the snapshot comes together.
  replace: statement(
    `WITH merged AS (DELETE FROM doc_updates WHERE doc = $1 AND seq = ANY ($3::bigint[]))
     INSERT INTO doc_updates (doc, data) VALUES ($1, $2) RETURNING seq`,
  ),
  clients: statement('SELECT client_id, user_id FROM doc_clients WHERE doc = $1'),
  bind: statement(
    'INSERT INTO doc_clients (doc, client_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
  ),
};

export class PgDocStore implements DocStore {
  constructor(private readonly pool: pg.Pool) {}

  async loadUpdates(doc: string): Promise<StoredUpdate[]> {
    const all = await rows<{ seq: number; data: Buffer }>(this.pool, q.load, [doc]);
    return all.map((r) => ({ seq: r.seq, data: bytes(r.data) }));
  }

  async appendUpdate(doc: string, update: Uint8Array): Promise<number> {
    return seqOf(await first<{ seq: number }>(this.pool, q.append, [doc, update]));
  }

  async countUpdates(doc: string): Promise<number> {
    return (await first<{ n: number }>(this.pool, q.count, [doc]))?.n ?? 0;
  }

  /** Delete exactly the rows `merged` and append the snapshot, atomically; its sequence. */
  async replaceWithSnapshot(
    doc: string,
    snapshot: Uint8Array,
    merged: readonly number[],
  ): Promise<number> {
    return seqOf(await first<{ seq: number }>(this.pool, q.replace, [doc, snapshot, merged]));
  }

  async loadClients(doc: string): Promise<Map<number, string>> {
    const all = await rows<{ client_id: number; user_id: string }>(this.pool, q.clients, [doc]);
    return new Map(all.map((r) => [r.client_id, r.user_id]));
  }

  /** First writer wins: a client id already bound stays with its user. */
  async bindClient(doc: string, clientId: number, userId: string): Promise<void> {
    await run(this.pool, q.bind, [doc, clientId, userId]);
  }
}

export function seqOf(row: { seq: number } | undefined): number {
  if (!row) throw new Error('INSERT … RETURNING seq returned no row');
  return row.seq;
}
