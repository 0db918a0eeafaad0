/** The Storage contract against SQLite (a temp file) and PostgreSQL (a fresh database). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../server/store/sqlite-storage';
import { pgFixture } from './pg-fixture';
import { runStorageContract } from './storage.contract';

runStorageContract('sqlite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-storage-'));
  const storage = SqliteStorage.open(join(dir, 'test.db'));
  const other = SqliteStorage.open(join(dir, 'test.db')); // another process on the same file
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
runStorageContract('postgres', async () => {
  const [storage, other] = await pg.fresh(2); // two pools: two processes on one database
  return {
    storage: storage!,
    other: other!,
    teardown: async () => {
      await Promise.all([storage!.close(), other!.close()]);
    },
  };
});
