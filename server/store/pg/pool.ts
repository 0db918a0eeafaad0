/**
 * The PostgreSQL connection pool of one process and the small query helpers the pg stores
 * share: BIGINT columns come back as numbers, BYTEA as Uint8Array views, and every statement
 * is a named prepared statement (parsed and planned once per connection).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../logger';

/** A pool or one checked-out client (inside a transaction). */
export type Queryable = pg.Pool | pg.PoolClient;

/** A named statement: `name` is derived from the text, so equal texts share one plan. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

export function statement(text: string): Statement {
  return { name: `parley_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
}

export async function rows<R extends pg.QueryResultRow>(
  db: Queryable,
  s: Statement,
  values: unknown[],
): Promise<R[]> {
  return (await db.query<R>({ name: s.name, text: s.text, values })).rows;
}

export async function first<R extends pg.QueryResultRow>(
  db: Queryable,
  s: Statement,
  values: unknown[],
): Promise<R | undefined> {
  return (await rows<R>(db, s, values))[0];
}

/** Run a statement for its effect; resolves to the number of rows it touched. */
export async function run(db: Queryable, s: Statement, values: unknown[]): Promise<number> {
  return (await db.query({ name: s.name, text: s.text, values })).rowCount ?? 0;
}

/** A BYTEA value as the Uint8Array the stores hand out (a view, no copy). */
export const bytes = (b: Buffer): Uint8Array =>
  new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export interface PgPoolOptions {
  /** Most connections this process opens (default 10). */
  max?: number;
  /** Shown in `pg_stat_activity`. */
  applicationName?: string;
  /** Where errors of idle connections go (a dropped connection must not crash the process). */
  log?: Logger;
  /** How long to wait for a connection before the query fails (default 10 s). */
  connectTimeoutMs?: number;
}

/** A pool whose BIGINT (int8) values parse as numbers: times in ms, sequences, byte counts. */
export function openPool(url: string, opts: PgPoolOptions = {}): pg.Pool {
  // On this pool's own type table, not pg's global one: other pg users in the process keep
  // the default (string) parsing. Every BIGINT Parley stores stays below 2^53.
  const types = new pg.TypeOverrides();
  types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'parley',
    types,
    // Without a timeout a batch commit waits forever for a server that is down, and every
    // write queued behind it with it; failing lets the writers hear `failed` and retry.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    // TCP keepalive: a connection to a server that vanished is noticed, not waited on.
    keepAlive: true,
  });
  pool.on('error', (e) =>
    opts.log?.warn('idle PostgreSQL connection failed', { error: String(e) }),
  );
  return pool;
}
