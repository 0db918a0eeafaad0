/**
 * `npm run backup` in embedded mode keeps attachments: the blob files are copied beside the
 * database, and a server restored from the two serves the same bytes.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { backupDatabase } from '../../server/store/backup';
import { newMessageId } from '../../shared/schema';
import { TestClient, waitFor } from '../helpers/client';
import { startTestServer } from '../helpers/test-server';
import { download, photoWithGps, upload } from './attachments-fixture';

it('a backup taken while the server runs restores the attachments with the messages', async () => {
  const server = await startTestServer();
  const restoreDir = mkdtempSync(join(tmpdir(), 'parley-restore-'));
  try {
    const alice = new TestClient(server.origin);
    const bob = new TestClient(server.origin);
    await alice.register('alice-backup@example.com', 'Alice');
    await bob.register('bob-backup@example.com', 'Bob');
    const c = await alice.open(bob.user!.id);
    const photo = (await upload(alice, c.id, await photoWithGps('#107070'))).body.attachment!;
    const device = await alice.connect(server.wsUrl, c.doc);
    device.messages.push([
      {
        id: newMessageId(),
        from: alice.user!.id,
        text: 'a view',
        at: Date.now(),
        attachments: [photo],
      },
    ]);
    await waitFor(() => device.allAcked(), 10_000, 'stored');
    const before = (await download(bob, c.id, photo.id)).bytes;
    device.destroy();

    const dest = join(restoreDir, 'parley.db');
    const result = await backupDatabase(server.dataDir, dest);
    expect(result.blobs).toBe(2); // the photo and its thumbnail
    // Restore as docs/operations.md says: the database and the blobs directory (the test
    // servers share their session secret, so cookies and upload tokens stay valid).
    cpSync(`${dest}.blobs`, join(restoreDir, 'blobs'), { recursive: true });
    const restored = await startTestServer({}, restoreDir);
    try {
      const bobAgain = bob.via(restored.origin);
      const got = await download(bobAgain, c.id, photo.id);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(before)).toBe(true);
    } finally {
      await restored.stop();
    }
  } finally {
    await server.stop();
    server.cleanup();
    rmSync(restoreDir, { recursive: true, force: true });
  }
});
