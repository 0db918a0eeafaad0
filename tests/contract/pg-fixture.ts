/**
 * The PostgreSQL side of the contract suites: one fresh database per test file (dropped
 * after), emptied before each test, and as many `PgStorage` handles (pools, standing in for
 * processes) on it as a test asks for.
 */
import { afterAll, beforeAll } from 'vitest';
import { PgStorage } from '../../server/store/pg/storage';
import { createTestDatabase, requirePostgres, type TestDatabase } from '../helpers/services';

export interface PgFixture {
  /** Empty every table, then open `n` storages on the database. */
  fresh(n: number): Promise<PgStorage[]>;
}

export function pgFixture(): PgFixture {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    await requirePostgres();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  return {
    async fresh(n) {
      if (!db) throw new Error('the test database was not created');
      const url = db.url;
      const all = await Promise.all(
        Array.from({ length: n }, () => PgStorage.open(url, { max: 4 })),
      );
      const { rows } = await all[0]!.pool.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
      );
      await all[0]!.pool.query(`TRUNCATE ${rows.map((r) => r.tablename).join(', ')} CASCADE`);
      return all;
    },
  };
}
