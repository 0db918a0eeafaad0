/**
 * PostgreSQL migrations (cluster mode): processes that start together migrate once, under
 * the advisory lock, into the schema the code expects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PG_SCHEMA_VERSION, migratePg } from '../../server/store/pg/migrations';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services';

let db: TestDatabase;
beforeAll(async () => {
  await requireServices();
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('PostgreSQL migrations', () => {
  it('three processes starting at once apply each migration exactly once', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: db.url, max: 2 }));
    try {
      const versions = await Promise.all(pools.map((p) => migratePg(p)));
      expect(versions).toEqual([PG_SCHEMA_VERSION, PG_SCHEMA_VERSION, PG_SCHEMA_VERSION]);
      const first = pools[0]!;
      const { rows } = await first.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((r) => r.version)).toEqual(
        Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1),
      );
      const tables = await first.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['users', 'sessions', 'conversations', 'doc_updates', 'messages']),
      );
      // Starting again is a no-op.
      expect(await migratePg(first)).toBe(PG_SCHEMA_VERSION);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
