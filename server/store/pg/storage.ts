/**
 * Storage on PostgreSQL (cluster mode): the four stores over one connection pool, and the
 * batch commit — one transaction per batch, a savepoint per write, the users' byte counts
 * upserted once per batch.
 */
import type pg from 'pg';
import type { DocWrite, Storage, WriteResult } from '../storage';
import { PgConversationStore } from './conversation-store';
import { PgDocStore } from './doc-store';
import { writeOne } from './doc-write';
import { migratePg } from './migrations';
import { PgPeopleStore } from './people-store';
import { first, openPool, run, statement, type PgPoolOptions } from './pool';
import { PgUserStore } from './user-store';

const q = {
  addBytes: statement(
    `INSERT INTO user_storage (user_id, bytes) SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (user_id) DO UPDATE SET bytes = user_storage.bytes + excluded.bytes`,
  ),
  bytes: statement('SELECT bytes FROM user_storage WHERE user_id = $1'),
};

/** Deadlock and serialization failure: the batch's transaction is rolled back and tried again. */
const RETRY_CODES = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

export class PgStorage implements Storage {
  readonly kind = 'postgres';
  readonly users: PgUserStore;
  readonly people: PgPeopleStore;
  readonly conversations: PgConversationStore;
  readonly docs: PgDocStore;

  constructor(readonly pool: pg.Pool) {
    this.users = new PgUserStore(pool);
    this.people = new PgPeopleStore(pool);
    this.conversations = new PgConversationStore(pool);
    this.docs = new PgDocStore(pool);
  }

  /** Connect and migrate (under the migration advisory lock). */
  static async open(url: string, opts: PgPoolOptions = {}): Promise<PgStorage> {
    const pool = openPool(url, opts);
    try {
      await migratePg(pool);
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PgStorage(pool);
  }

  /**
   * Commit a batch in one transaction, each write in a savepoint: a failing write (a
   * constraint violation) rolls back only itself and reports `{ ok: false }`. Rejects when
   * the transaction itself fails (connection lost): then no write of the batch is stored.
   */
  async commit(writes: readonly DocWrite[]): Promise<WriteResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commitOnce(writes);
      } catch (e) {
        if (attempt >= ATTEMPTS || !retryable(e)) throw e;
      }
    }
  }

  private async commitOnce(writes: readonly DocWrite[]): Promise<WriteResult[]> {
    const results: WriteResult[] = new Array<WriteResult>(writes.length);
    if (writes.length === 0) return results;
    const bytes = new Map<string, number>();
    const tx = await this.pool.connect();
    let healthy = true;
    // A checked-out client reports a lost connection as an 'error' event too: without a
    // listener that would crash the process. The failing query rejects as well.
    const lost = (): void => {
      healthy = false;
    };
    tx.on('error', lost);
    try {
      // Savepoint commands have no parameters: each pair is one simple-protocol round trip.
      await tx.query('BEGIN; SAVEPOINT w');
      let firstWrite = true;
      // Conversation by conversation: two processes' batches lock rows in the same order.
      for (const i of lockOrder(writes)) {
        const w = writes[i]!;
        if (!firstWrite) await tx.query('RELEASE SAVEPOINT w; SAVEPOINT w');
        firstWrite = false;
        results[i] = await writeInSavepoint(tx, w);
        if (results[i].ok) bytes.set(w.userId, (bytes.get(w.userId) ?? 0) + w.update.byteLength);
      }
      if (bytes.size > 0) {
        const users = [...bytes.keys()].sort();
        await run(tx, q.addBytes, [users, users.map((u) => bytes.get(u))]);
      }
      await tx.query('COMMIT');
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

  async storedBytes(userId: string): Promise<number> {
    return (await first<{ bytes: number }>(this.pool, q.bytes, [userId]))?.bytes ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
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

const retryable = (e: unknown): boolean => RETRY_CODES.has((e as { code?: string }).code ?? '');

/** Indexes of `writes` grouped by conversation (sorted), in write order within each. */
function lockOrder(writes: readonly DocWrite[]): number[] {
  return writes
    .map((w, i) => ({ c: w.conversationId, i }))
    .sort((x, y) => (x.c < y.c ? -1 : x.c > y.c ? 1 : x.i - y.i))
    .map((x) => x.i);
}
