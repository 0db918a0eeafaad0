/**
 * Cluster faults (issue #11): Redis restarting during traffic loses nothing and the rooms
 * resync from the log; PostgreSQL unreachable for a few seconds acknowledges nothing it did
 * not store, closes sockets with 1011, and the clients' resends are stored afterwards.
 * Each test runs its own Redis or its own path to PostgreSQL, so the machine's services are
 * never disturbed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { freePort } from '../helpers/child-server';
import { TestClient, waitFor } from '../helpers/client';
import { PG_ADMIN_URL } from '../helpers/services';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A private redis-server on a free port, stopped by its PID. */
async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }),
    10_000,
    'redis up',
  );
  return proc;
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

async function pair(cluster: TestCluster) {
  const alice = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
  const bob = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
  await alice.register(`alice-${Math.random().toString(36).slice(2)}@example.com`, 'Alice');
  await bob.register(`bob-${Math.random().toString(36).slice(2)}@example.com`, 'Bob');
  const c = await alice.open(bob.user!.id);
  await bob.request('POST', `/api/conversations/${c.id}/accept`);
  cleanups.push(() => {
    alice.destroy();
    bob.destroy();
  });
  return { alice, bob, c };
}

describe('cluster faults', () => {
  it('a Redis restart during traffic loses nothing: rooms catch up from the log', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    cleanups.push(() => stop(redis));
    const cluster = await startCluster(2, { REDIS_URL: `redis://127.0.0.1:${port}` });
    cleanups.push(() => cluster.stop());
    const { alice, bob, c } = await pair(cluster);
    const a = await alice.connect(cluster.wsUrl(0), c.doc);
    const b = await bob.via(cluster.nodes[1]!.origin).connect(cluster.wsUrl(1), c.doc);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(a.send(alice.user!.id, `before ${i}`).id);
    await waitFor(() => ids.every((id) => b.messages.toArray().some((m) => m.id === id)), 10_000);

    await stop(redis); // pub/sub between the processes is gone
    for (let i = 0; i < 5; i++) ids.push(a.send(alice.user!.id, `during ${i}`).id);
    await waitFor(() => a.allAcked(), 10_000, 'stored in PostgreSQL without Redis');
    redis = await startRedis(port);
    for (let i = 0; i < 5; i++) ids.push(a.send(alice.user!.id, `after ${i}`).id);

    await waitFor(
      () => ids.every((id) => b.messages.toArray().some((m) => m.id === id)),
      20_000,
      'bob has every message once the rooms resynced',
    );
    for (const id of ids) expect(b.messages.toArray().filter((m) => m.id === id)).toHaveLength(1);
  }, 60_000);

  it('PostgreSQL unreachable: nothing unstored is acknowledged; the resends are stored afterwards', async () => {
    // A TCP path to PostgreSQL that the test can cut (the database itself keeps running).
    const target = new URL(PG_ADMIN_URL);
    const proxyPort = await freePort();
    let open = true;
    const sockets = new Set<Socket>();
    const proxy: Server = createServer((client) => {
      if (!open) return client.destroy();
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => proxy.listen(proxyPort, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => proxy.close(() => r())));
    const cluster = await startCluster(
      1,
      {},
      {
        databaseUrl: (dbUrl) => {
          const u = new URL(dbUrl);
          u.port = String(proxyPort);
          return u.toString();
        },
      },
    );
    cleanups.push(() => cluster.stop());
    const { alice, c } = await pair(cluster);
    const a = await alice.connect(cluster.wsUrl(0), c.doc);
    a.send(alice.user!.id, 'stored before');
    await waitFor(() => a.allAcked(), 10_000, 'first stored');

    open = false;
    for (const s of sockets) s.destroy(); // PostgreSQL is unreachable now
    const closed = a.nextClose();
    const during = a.send(alice.user!.id, 'written during the outage');
    expect(await closed).toBe(1011);
    expect(a.allAcked()).toBe(false); // never acknowledged: it was not stored

    // The client keeps trying while the database is away (its attempts fail), then it is back.
    await new Promise((r) => setTimeout(r, 3000));
    open = true;
    await waitFor(() => a.allAcked(), 30_000, 'resent and stored');
    const fresh = await alice.connect(cluster.wsUrl(0), c.doc, new Y.Doc());
    expect(fresh.messages.toArray().filter((m) => m.id === during.id)).toHaveLength(1);
    expect(fresh.texts()).toContain('stored before');
  }, 90_000);
});
