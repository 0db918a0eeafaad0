/**
 * The batch commit on PostgreSQL: one transaction per batch, in which a write that fails
 * fails alone (each write in its own savepoint) and the users' byte counts are upserted once.
 *
 * Savepoints cost a round trip per write and a subtransaction each (past 64 in one
 * transaction, every snapshot in the cluster has to look subtransactions up), and writes
 * almost never fail. So a batch first runs without them; only when a write fails is the
 * batch rolled back and run again with a savepoint per write. Round trips: writes + 2.
 */
import pg from 'pg';
import type { DocWrite, WriteResult } from '../storage';
import { writeOne } from './doc-write';

/** Deadlock and serialization failure: the batch's transaction is rolled back and tried again. */
const RETRY_CODES = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

const retryable = (e: unknown): boolean => RETRY_CODES.has((e as { code?: string }).code ?? '');

/** A write failed in a batch run without savepoints: run it again with them. */
class WriteFailed extends Error {}

/**
 * Commit `writes` in one transaction; per write its sequence or why it failed. Rejects when
 * the transaction itself fails (connection lost): then no write of the batch is stored.
 */
export async function commitBatch(
  pool: pg.Pool,
  writes: readonly DocWrite[],
): Promise<WriteResult[]> {
  if (writes.length === 0) return [];
  let isolate = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await commitOnce(pool, writes, isolate);
    } catch (e) {
      if (e instanceof WriteFailed) isolate = true;
      else if (attempt >= ATTEMPTS || !retryable(e)) throw e;
    }
  }
}

async function commitOnce(
  pool: pg.Pool,
  writes: readonly DocWrite[],
  isolate: boolean,
): Promise<WriteResult[]> {
  const results: WriteResult[] = new Array<WriteResult>(writes.length);
  const bytes = new Map<string, number>();
  const tx = await pool.connect();
  let healthy = true;
  // A checked-out client reports a lost connection as an 'error' event too: without a
  // listener that would crash the process. The failing query rejects as well.
  const lost = (): void => {
    healthy = false;
  };
  tx.on('error', lost);
  try {
    // Commands without parameters share one simple-protocol round trip.
    await tx.query(isolate ? 'BEGIN; SAVEPOINT w' : 'BEGIN');
    let firstWrite = true;
    // Conversation by conversation: two processes' batches lock rows in the same order.
    for (const i of lockOrder(writes)) {
      const w = writes[i]!;
      if (isolate) {
        if (!firstWrite) await tx.query('RELEASE SAVEPOINT w; SAVEPOINT w');
        firstWrite = false;
        results[i] = await writeInSavepoint(tx, w);
      } else {
        results[i] = await writeOrAbandon(tx, w);
      }
      if (results[i].ok) bytes.set(w.userId, (bytes.get(w.userId) ?? 0) + w.update.byteLength);
    }
    await tx.query(`${addBytesSql(bytes)}COMMIT`);
    return results;
  } catch (e) {
    await tx.query('ROLLBACK').catch(() => {
      healthy = false;
    });
    throw e;
  } finally {
    tx.off('error', lost);
    // A broken connection is destroyed, not returned to the pool.
    tx.release(!healthy);
  }
}

/** A write without a savepoint: any failure abandons the transaction (see commitBatch). */
async function writeOrAbandon(tx: pg.PoolClient, w: DocWrite): Promise<WriteResult> {
  try {
    return { ok: true, seq: await writeOne(tx, w) };
  } catch (error) {
    if (retryable(error)) throw error;
    throw new WriteFailed('a write of the batch failed', { cause: error });
  }
}

/**
 * One write inside the open savepoint `w`. A failure rolls back to the savepoint and fails
 * only this write — unless it lost a deadlock: rolling back the savepoint would not release
 * the locks the other transaction waits for (those of earlier writes), so that rejects and
 * the whole batch is tried again. If the rollback fails, the connection is gone: rejects too.
 */
async function writeInSavepoint(tx: pg.PoolClient, w: DocWrite): Promise<WriteResult> {
  try {
    return { ok: true, seq: await writeOne(tx, w) };
  } catch (error) {
    if (retryable(error)) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT w');
    return { ok: false, error: error ?? new Error('write failed') };
  }
}

/**
 * The byte counts' upsert as literal SQL, so that it travels with the COMMIT in one round
 * trip (a simple query has no parameters). User ids are quoted by pg's escapeLiteral; the
 * counts are integers. Users in sorted order: batches lock their rows in one order.
 */
function addBytesSql(bytes: Map<string, number>): string {
  if (bytes.size === 0) return '';
  const values = [...bytes.keys()].sort().map((user) => {
    const n = bytes.get(user) ?? 0;
    if (!Number.isSafeInteger(n)) throw new Error(`byte count ${n} is not an integer`);
    return `(${pg.escapeLiteral(user)}, ${n})`;
  });
  return `INSERT INTO user_storage (user_id, bytes) VALUES ${values.join(', ')}
    ON CONFLICT (user_id) DO UPDATE SET bytes = user_storage.bytes + excluded.bytes; `;
}

/** Indexes of `writes` grouped by conversation (sorted), in write order within each. */
function lockOrder(writes: readonly DocWrite[]): number[] {
  return writes
    .map((w, i) => ({ c: w.conversationId, i }))
    .sort((x, y) => (x.c < y.c ? -1 : x.c > y.c ? 1 : x.i - y.i))
    .map((x) => x.i);
}
