/**
 * PostgreSQL and Redis for the cluster suites: each run gets its own database and Redis key
 * prefix and drops them afterwards. When a service does not answer, the suites fail with a
 * message that says how to start it (they never pass silently).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';

export const PG_ADMIN_URL =
  process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

const HOW_TO_START =
  'The cluster suites need PostgreSQL 15 on 127.0.0.1:5432 (user postgres, trust auth) and ' +
  'Redis 7 on 127.0.0.1:6379. Start them with:\n' +
  '  pg_ctlcluster --skip-systemctl-redirect 15 main start\n' +
  '  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n' +
  '(or point PG_TEST_URL / REDIS_TEST_URL elsewhere).';

export class MissingServiceError extends Error {}

/** Throws a MissingServiceError naming the service and how to start it. */
export async function requireServices(): Promise<void> {
  await requirePostgres();
  const redis = createClient({
    url: REDIS_URL,
    socket: { connectTimeout: 3000, reconnectStrategy: false },
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new MissingServiceError(`Redis does not answer (${String(e)}).\n${HOW_TO_START}`);
  } finally {
    if (redis.isOpen) await redis.quit().catch(() => undefined);
  }
}

/** PostgreSQL alone (the storage suites): throws a MissingServiceError saying how to start it. */
export async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    throw new MissingServiceError(`PostgreSQL does not answer (${String(e)}).\n${HOW_TO_START}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database with a unique name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `parley_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface TestRedisPrefix {
  url: string;
  prefix: string;
  /** Delete every key under the prefix. */
  drop(): Promise<void>;
}

/** A unique Redis key and channel prefix for one test run. */
export function createRedisPrefix(): TestRedisPrefix {
  const prefix = `parley-t-${randomBytes(6).toString('hex')}:`;
  return {
    url: REDIS_URL,
    prefix,
    drop: async () => {
      const c = createClient({ url: REDIS_URL });
      c.on('error', () => undefined);
      await c.connect();
      try {
        const keys: string[] = [];
        for await (const batch of c.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
          keys.push(...batch);
        if (keys.length > 0) await c.del(keys);
      } finally {
        await c.quit();
      }
    },
  };
}
