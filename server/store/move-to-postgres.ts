/**
 * Moves a stopped embedded deployment's SQLite database into an empty PostgreSQL database
 * (cluster mode): every table in dependency order, in batches inside one transaction, then
 * verified (row counts, each document's Yjs state vector) before the transaction commits.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { SQLITE_SCHEMA_VERSION } from './migrations';
import { PG_SCHEMA_VERSION, migratePg } from './pg/migrations';
import { openPool } from './pg/pool';
import { MOVED_TABLES, type MovedTable } from './move-tables';
import { verifyMove, type MoveSummary } from './move-verify';
import { FsBlobStore } from '../attachments/fs-blob-store';
import { PgBlobStore } from '../attachments/pg-blob-store';
import { blobDir } from '../attachments/open-attachments';

export type { MoveSummary } from './move-verify';

/** Why a move did not happen; `kind` chooses the command's exit code. */
export class MoveError extends Error {
  constructor(
    readonly kind: 'source' | 'target' | 'unavailable' | 'mismatch',
    message: string,
    readonly summary?: MoveSummary,
  ) {
    super(message);
  }
}

export interface MoveOptions {
  /** The embedded deployment's DATA_DIR (holds parley.db). */
  dataDir: string;
  /** postgres:// URL of the empty target database. */
  to: string;
  /** Called after every batch and once at the end of each table. */
  onProgress?: (table: string, copied: number, total: number) => void;
}

/** Rows per INSERT, and bytes: a batch of large compacted documents is cut earlier. */
const BATCH_ROWS = 500;
const BATCH_BYTES = 8 * 1024 * 1024;

export async function moveToPostgres(opts: MoveOptions): Promise<MoveSummary> {
  const sqlite = openSource(join(opts.dataDir, 'parley.db'));
  try {
    const pool = openPool(opts.to, { max: 1, applicationName: 'parley-migrate' });
    try {
      const version = await migratePg(pool).catch((e: unknown) => {
        // An SQLSTATE (five characters) is PostgreSQL refusing the schema, e.g. a table of
        // another application named like one of ours; anything else is the connection.
        const sqlState = /^[0-9A-Z]{5}$/.test((e as { code?: string }).code ?? '');
        throw sqlState
          ? new MoveError(
              'target',
              `Could not create the Parley schema in the target database: ${(e as Error).message}. Use a new, empty database.`,
            )
          : new MoveError('unavailable', `PostgreSQL did not answer: ${(e as Error).message}`);
      });
      if (version !== PG_SCHEMA_VERSION)
        throw new MoveError(
          'target',
          `The target database's schema is at version ${version}, newer than this Parley (${PG_SCHEMA_VERSION}). Use the Parley version that made it, or an empty database.`,
        );
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        try {
          await refuseNonEmpty(client);
          for (const table of MOVED_TABLES) await copyTable(sqlite, client, table, opts);
          await resetSequences(sqlite, client);
          const blobs = await copyBlobs(opts.dataDir, client, opts);
          const verified = await verifyMove(sqlite, client);
          const summary = {
            ...verified,
            tables: [...verified.tables, blobs],
            ok: verified.ok && blobs.sqlite === blobs.postgres,
          };
          if (!summary.ok)
            throw new MoveError(
              'mismatch',
              'The copy does not match the SQLite database; nothing was committed.',
              summary,
            );
          await client.query('COMMIT');
          return summary;
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  } finally {
    sqlite.close();
  }
}

/**
 * Open the SQLite file with an exclusive lock: a running server holds it open, so the lock is
 * refused and we say to stop it. The lock also keeps a server from starting on the file while
 * we copy. Then fold the WAL into the file (a crashed server may have left one) and read only.
 */
function openSource(file: string): Database.Database {
  if (!existsSync(file))
    throw new MoveError('source', `No database at ${file} (set DATA_DIR or pass --data-dir).`);
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 1000');
    db.pragma('locking_mode = EXCLUSIVE');
    try {
      db.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY'))
        throw new MoveError(
          'source',
          `A Parley server seems to be using ${file} (it is locked). Stop the server first, then run migrate again.`,
        );
      throw e;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SQLITE_SCHEMA_VERSION)
      throw new MoveError(
        'source',
        `${file} has schema version ${version}; this Parley expects ${SQLITE_SCHEMA_VERSION}. Start this Parley version once on it (it upgrades the file), stop it, and migrate again.`,
      );
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok')
      throw new MoveError('source', `${file} is damaged (quick_check: ${check}).`);
    db.pragma('query_only = ON');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Lock every Parley table (no process writes while we copy) and refuse any that has rows. */
async function refuseNonEmpty(client: pg.PoolClient): Promise<void> {
  const names = MOVED_TABLES.map((t) => t.name);
  await client.query(`LOCK TABLE ${names.join(', ')} IN EXCLUSIVE MODE`);
  const full: string[] = [];
  for (const name of names) {
    const { rows } = await client.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${name}) AS any`,
    );
    if (rows[0]?.any) full.push(name);
  }
  if (full.length > 0)
    throw new MoveError(
      'target',
      `The target database is not empty (rows in: ${full.join(', ')}). Migrate into a new, empty database; nothing was changed.`,
    );
}

/**
 * The attachment files of DATA_DIR/blobs into the blobs table (streamed, one at a time),
 * each checked against its name (its SHA-256). Returns the counts for the summary.
 */
async function copyBlobs(
  dataDir: string,
  client: pg.PoolClient,
  opts: MoveOptions,
): Promise<MoveSummary['tables'][number]> {
  const files = new FsBlobStore(blobDir(dataDir));
  const target = new PgBlobStore(client);
  const hashes: string[] = [];
  for await (const h of files.list()) hashes.push(h);
  let copied = 0;
  for (const h of hashes) {
    const source = await files.get(h);
    if (!source) continue;
    const { sha256 } = await target.put(source);
    if (sha256 !== h)
      throw new MoveError('source', `The attachment file ${h} in ${blobDir(dataDir)} is damaged.`);
    opts.onProgress?.('blobs', ++copied, hashes.length);
  }
  if (hashes.length === 0) opts.onProgress?.('blobs', 0, 0);
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM blobs');
  return { name: 'blobs (attachment files)', sqlite: hashes.length, postgres: Number(rows[0]?.n) };
}

async function copyTable(
  sqlite: Database.Database,
  client: pg.PoolClient,
  table: MovedTable,
  opts: MoveOptions,
): Promise<void> {
  const total = (sqlite.prepare(`SELECT count(*) AS n FROM ${table.name}`).get() as { n: number })
    .n;
  const cols = table.columns;
  const rowsPerBatch = Math.min(BATCH_ROWS, Math.floor(60_000 / cols.length));
  const read = sqlite.prepare(
    `SELECT ${table.select ?? cols.join(', ')} FROM ${table.name} ORDER BY ${table.order}`,
  );
  let batch: unknown[][] = [];
  let bytes = 0;
  let copied = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const start = values.length;
      values.push(...row);
      return `(${row.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    await client.query(
      `INSERT INTO ${table.name} (${cols.join(', ')}) VALUES ${tuples.join(', ')}`,
      values,
    );
    copied += batch.length;
    batch = [];
    bytes = 0;
    opts.onProgress?.(table.name, copied, total);
  };
  // iterate() keeps a statement open on the SQLite file; the awaits between batches are safe
  // because nothing else uses this connection.
  for (const raw of read.iterate() as Iterable<Record<string, unknown>>) {
    const row = cols.map((c) => {
      const v = raw[c];
      // SQLite keeps booleans as 0/1; PostgreSQL's BOOLEAN columns want true/false.
      return table.booleans?.includes(c) ? v === 1 : v;
    });
    batch.push(row);
    for (const v of row)
      bytes += Buffer.isBuffer(v) ? v.length : typeof v === 'string' ? v.length : 8;
    if (batch.length >= rowsPerBatch || bytes >= BATCH_BYTES) await flush();
  }
  await flush();
  if (total === 0) opts.onProgress?.(table.name, 0, 0);
}

/**
 * The copied rows carry explicit sequence values (doc_updates.seq, messages.seq = SQLite's
 * rowid, which read_markers.up_to_seq points at): move each BIGSERIAL past them so the cluster's
 * next rows number on. doc_updates is AUTOINCREMENT in SQLite: never reuse a number it gave.
 */
async function resetSequences(sqlite: Database.Database, client: pg.PoolClient): Promise<void> {
  const used = (
    sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'doc_updates'").get() as
      { seq: number } | undefined
  )?.seq;
  for (const [table, floor] of [
    ['doc_updates', used ?? 0],
    ['messages', 0],
    ['audit_log', 0],
  ] as const) {
    await client.query(
      // With no rows at all the sequence starts at 1 as a new one would (setval refuses 0).
      `SELECT setval(pg_get_serial_sequence('${table}', 'seq'), greatest(v, 1), v > 0)
       FROM (SELECT greatest(coalesce(max(seq), 0), $1::bigint) AS v FROM ${table}) m`,
      [floor],
    );
  }
}
