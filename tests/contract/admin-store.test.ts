/** The AdminStore contract against SQLite (a temp file, two connections) and PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../server/store/sqlite-storage';
import { pgFixture } from './pg-fixture';
import { adminStoreContract } from './admin-store.contract';

adminStoreContract('sqlite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-admin-'));
  const storage = SqliteStorage.open(join(dir, 'test.db'));
  const other = SqliteStorage.open(join(dir, 'test.db'));
  return Promise.resolve({
    storage,
    other,
    teardown: async () => {
      await storage.close();
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

const pg = pgFixture();
adminStoreContract('postgres', async () => {
  const [storage, other] = await pg.fresh(2);
  return {
    storage: storage!,
    other: other!,
    teardown: async () => {
      await Promise.all([storage!.close(), other!.close()]);
    },
  };
});
