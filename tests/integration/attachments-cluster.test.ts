/**
 * Attachments across the processes of a cluster: a photo uploaded through one process and
 * sent on its socket is downloaded by the other person through another process (bytes and
 * rows in PostgreSQL); deleting the message there removes the bytes everywhere.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { newMessageId } from '../../shared/schema';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient, waitFor } from '../helpers/client';
import { download, photoWithGps, upload } from './attachments-fixture';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster(2);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

async function blobCount(): Promise<number> {
  const c = new pg.Client({ connectionString: cluster.db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM blobs) + (SELECT count(*) FROM blob_chunks) AS n',
    );
    return Number(rows[0]?.n);
  } finally {
    await c.end();
  }
}

it('uploaded through one process, downloaded through the other, deleted everywhere', async () => {
  const alice = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
  const bob = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
  await alice.register('alice-cluster-att@example.com', 'Alice');
  await bob.register('bob-cluster-att@example.com', 'Bob');
  const c = await alice.open(bob.user!.id);
  const photo = (await upload(alice, c.id, await photoWithGps('#a0a020'))).body.attachment!;
  expect(photo.kind).toBe('image');
  const bobThere = bob.via(cluster.nodes[1]!.origin);
  expect((await download(bobThere, c.id, photo.id)).status).toBe(403); // not sent yet

  const device = await alice.connect(cluster.wsUrl(0), c.doc);
  const id = newMessageId();
  device.messages.push([
    { id, from: alice.user!.id, text: '', at: Date.now(), attachments: [photo] },
  ]);
  await waitFor(() => device.allAcked(), 10_000, 'stored');
  const got = await download(bobThere, c.id, photo.id);
  expect(got.status).toBe(200);
  expect(got.bytes.includes(Buffer.from('SpyCam'))).toBe(false);
  expect(await blobCount()).toBeGreaterThan(0);

  device.messages.delete(0, 1);
  await waitFor(() => device.allAcked(), 10_000, 'deleted');
  await waitFor(async () => (await blobCount()) === 0, 10_000, 'the blobs deleted');
  expect((await download(bobThere, c.id, photo.id)).status).toBe(404);
  device.destroy();
  alice.destroy();
});
