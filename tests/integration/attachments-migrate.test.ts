/**
 * `npm run migrate` takes attachments along: their rows and the files of DATA_DIR/blobs
 * move into PostgreSQL, and a cluster-mode server serves the same bytes afterwards.
 */
import { expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { moveToPostgres } from '../../server/store/move-to-postgres';
import { PgStorage } from '../../server/store/pg/storage';
import { newMessageId } from '../../shared/schema';
import { TestClient, waitFor } from '../helpers/client';
import { createTestDatabase, requirePostgres } from '../helpers/services';
import { startTestServer } from '../helpers/test-server';
import { download, photoWithGps, upload } from './attachments-fixture';

it('moves attachment rows and bytes into PostgreSQL, where both people still download them', async () => {
  await requirePostgres();
  const embedded = await startTestServer();
  const db = await createTestDatabase();
  try {
    const alice = new TestClient(embedded.origin);
    const bob = new TestClient(embedded.origin);
    await alice.register('alice-move@example.com', 'Alice');
    await bob.register('bob-move@example.com', 'Bob');
    const c = await alice.open(bob.user!.id);
    const photo = (await upload(alice, c.id, await photoWithGps('#8040a0'))).body.attachment!;
    const note = Buffer.from('just some notes');
    const file = (await upload(alice, c.id, note, { name: 'notes.txt' })).body.attachment!;
    const device = await alice.connect(embedded.wsUrl, c.doc);
    device.messages.push([
      { id: newMessageId(), from: alice.user!.id, text: '', at: Date.now(), attachments: [photo] },
    ]);
    await waitFor(() => device.allAcked(), 10_000, 'stored');
    const photoBytes = (await download(bob, c.id, photo.id)).bytes;
    device.destroy();
    alice.destroy();
    await embedded.stop();

    const summary = await moveToPostgres({ dataDir: embedded.dataDir, to: db.url });
    expect(summary.ok).toBe(true);
    expect(summary.tables.find((t) => t.name === 'attachments')).toMatchObject({
      sqlite: 2,
      postgres: 2,
    });
    // The photo, its thumbnail and the file.
    expect(summary.tables.find((t) => t.name.startsWith('blobs'))).toMatchObject({
      sqlite: 3,
      postgres: 3,
    });

    const storage = await PgStorage.open(db.url, { max: 4 });
    const config = loadConfig(
      {},
      {
        port: 0,
        host: '127.0.0.1',
        dataDir: embedded.dataDir,
        staticDir: null,
        bcryptCost: 4,
        sessionSecret: 'x'.repeat(40), // startTestServer's: cookies and tokens stay valid
      },
    );
    const app = await createApp({ config, storage, log: createLogger('error') });
    try {
      const bobThere = bob.via(app.origin);
      const got = await download(bobThere, c.id, photo.id);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(photoBytes)).toBe(true);
      expect((await download(bobThere, c.id, photo.id, '/thumb')).status).toBe(200);
      // Never sent: still only its uploader's.
      expect((await download(bobThere, c.id, file.id)).status).toBe(403);
      const aliceThere = new TestClient(app.origin);
      aliceThere.cookie = alice.cookie;
      expect((await download(aliceThere, c.id, file.id)).bytes.equals(note)).toBe(true);
    } finally {
      await app.close();
    }
  } finally {
    embedded.cleanup();
    await db.drop();
  }
});
