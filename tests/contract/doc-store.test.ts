import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDocStoreContract } from './doc-store.contract';
import { pgFixture } from './pg-fixture';
import { MemoryDocStore } from '../../server/store/memory-doc-store';
import { SqliteDocStore } from '../../server/store/sqlite-doc-store';
import { openDatabase } from '../../server/store/database';

runDocStoreContract('memory', () => ({ store: new MemoryDocStore(), teardown: () => undefined }));

runDocStoreContract('sqlite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
  const db = openDatabase(join(dir, 'test.db'));
  const second = openDatabase(join(dir, 'test.db')); // another process on the same file
  return {
    store: new SqliteDocStore(db),
    other: new SqliteDocStore(second),
    teardown: () => {
      db.close();
      second.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const pg = pgFixture();
runDocStoreContract('postgres', async () => {
  const [a, b] = await pg.fresh(2); // two pools: two processes on one database
  return {
    store: a!.docs,
    other: b!.docs,
    teardown: async () => {
      await Promise.all([a!.close(), b!.close()]);
    },
  };
});
