import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runBlobStoreContract } from './blob-store.contract';
import { pgFixture } from './pg-fixture';
import { FsBlobStore } from '../../server/attachments/fs-blob-store';
import { PgBlobStore } from '../../server/attachments/pg-blob-store';

runBlobStoreContract('filesystem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-blobs-'));
  return {
    store: new FsBlobStore(dir),
    other: new FsBlobStore(dir),
    teardown: () => rmSync(dir, { recursive: true, force: true }),
  };
});

const pg = pgFixture();
runBlobStoreContract('postgres', async () => {
  const [a, b] = await pg.fresh(2);
  return {
    store: new PgBlobStore(a!.pool),
    other: new PgBlobStore(b!.pool),
    teardown: async () => {
      await Promise.all([a!.close(), b!.close()]);
    },
  };
});

it('the filesystem store leaves no temporary file behind a failed put', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-blobs-'));
  try {
    const store = new FsBlobStore(dir);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      await Promise.resolve();
      throw new Error('reset');
    }
    await expect(store.put(failing())).rejects.toThrow('reset');
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
