/**
 * Cluster mode as a balancer and a scraper see it: /readyz names PostgreSQL or Redis when one
 * stops answering (503), and /metrics counts messages and the bus between processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, CLUSTER_ORIGIN, type TestCluster } from '../helpers/cluster';
import { freePort } from '../helpers/child-server';
import { PG_ADMIN_URL } from '../helpers/services';
import { TestClient, waitFor } from '../helpers/client';
import { metric, scrape } from '../helpers/metrics';

const TOKEN = 'cluster-metrics-token-0123456789abcdef';

/** A TCP path to PostgreSQL that the test can cut (the database itself keeps running). */
async function cuttablePostgres(): Promise<{
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}> {
  const target = new URL(PG_ADMIN_URL);
  const port = await freePort();
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
  await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', () => r()));
  return {
    port,
    cut: () => {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore: () => {
      open = true;
    },
    close: () => new Promise<void>((r) => proxy.close(() => r())),
  };
}

async function pair(cluster: TestCluster, i: number, j: number) {
  const alice = new TestClient(cluster.nodes[i]!.origin, CLUSTER_ORIGIN);
  const bob = new TestClient(cluster.nodes[j]!.origin, CLUSTER_ORIGIN);
  const tag = Math.random().toString(36).slice(2, 8);
  await alice.register(`alice-${tag}@example.com`, 'Alice');
  await bob.register(`bob-${tag}@example.com`, 'Bob');
  const c = await alice.open(bob.user!.id);
  return { alice, bob, c };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('cluster health and metrics', () => {
  it('counts a message on the process that stored it and its bus delivery on the other', async () => {
    const cluster = await startCluster(2, { METRICS_TOKEN: TOKEN });
    cleanups.push(() => cluster.stop());
    const [n0, n1] = cluster.nodes.map((n) => n.origin) as [string, string];
    for (const origin of [n0, n1]) {
      const ready = await fetch(`${origin}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true, checks: { database: 'ok', redis: 'ok' } });
      expect((await scrape(`${origin}/metrics`)).status).toBe(401);
    }
    const before0 = (await scrape(`${n0}/metrics`, TOKEN)).text;
    const before1 = (await scrape(`${n1}/metrics`, TOKEN)).text;

    const { alice, bob, c } = await pair(cluster, 0, 1);
    const a = await alice.connect(cluster.wsUrl(0), c.doc);
    const b = await bob.connect(cluster.wsUrl(1), c.doc);
    a.send(alice.user!.id, 'across processes');
    await waitFor(() => b.texts().includes('across processes'), 15_000, 'bob receives it');

    const after0 = (await scrape(`${n0}/metrics`, TOKEN)).text;
    const after1 = (await scrape(`${n1}/metrics`, TOKEN)).text;
    expect(metric(after0, 'parley_messages_accepted_total')).toBe(
      (metric(before0, 'parley_messages_accepted_total') ?? 0) + 1,
    );
    // Stored once, by the process that accepted it; the other only relayed it.
    expect(metric(after1, 'parley_messages_accepted_total')).toBe(
      metric(before1, 'parley_messages_accepted_total') ?? 0,
    );
    expect(metric(after1, 'parley_bus_lag_seconds_count')).toBeGreaterThan(
      metric(before1, 'parley_bus_lag_seconds_count') ?? 0,
    );
    expect(metric(after1, 'parley_gap_repaired_rows_total')).toBeDefined();
    expect(metric(after0, 'parley_websocket_connections')).toBe(1);
    a.destroy();
    b.destroy();
  }, 90_000);

  it('counts the gap a Redis restart leaves and the rows repaired from the log', async () => {
    const port = await freePort();
    const startRedis = async (): Promise<ChildProcess> => {
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
    };
    const stopRedis = (proc: ChildProcess): Promise<void> =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    let redis = await startRedis();
    cleanups.push(() => stopRedis(redis));
    const cluster = await startCluster(2, {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      METRICS_TOKEN: TOKEN,
    });
    cleanups.push(() => cluster.stop());
    const n1 = cluster.nodes[1]!.origin;
    const { alice, bob, c } = await pair(cluster, 0, 1);
    const a = await alice.connect(cluster.wsUrl(0), c.doc);
    const b = await bob.connect(cluster.wsUrl(1), c.doc);
    a.send(alice.user!.id, 'before');
    await waitFor(() => b.texts().includes('before'), 15_000, 'delivered over the bus');
    const before = (await scrape(`${n1}/metrics`, TOKEN)).text;
    expect(metric(before, 'parley_bus_gaps_total')).toBe(0);

    await stopRedis(redis); // the bus is gone: these reach PostgreSQL, not process 1
    for (let i = 0; i < 3; i++) a.send(alice.user!.id, `during ${i}`);
    await waitFor(() => a.allAcked(), 15_000, 'stored without Redis');
    redis = await startRedis();
    await waitFor(
      () => [0, 1, 2].every((i) => b.texts().includes(`during ${i}`)),
      30_000,
      'process 1 repaired the gap from the log',
    );
    const after = (await scrape(`${n1}/metrics`, TOKEN)).text;
    expect(metric(after, 'parley_bus_gaps_total')).toBeGreaterThanOrEqual(1);
    expect(metric(after, 'parley_gap_repaired_rows_total')).toBeGreaterThan(
      metric(before, 'parley_gap_repaired_rows_total') ?? 0,
    );
    a.destroy();
    b.destroy();
  }, 120_000);

  it('/readyz answers 503 naming PostgreSQL when it stops answering, and 200 again after', async () => {
    const pgPath = await cuttablePostgres();
    cleanups.push(() => pgPath.close());
    const cluster = await startCluster(
      1,
      {},
      {
        databaseUrl: (url) => {
          const u = new URL(url);
          u.port = String(pgPath.port);
          return u.toString();
        },
      },
    );
    cleanups.push(() => cluster.stop());
    const origin = cluster.nodes[0]!.origin;
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);

    pgPath.cut();
    const r = await fetch(`${origin}/readyz`);
    expect(r.status).toBe(503);
    const body = (await r.json()) as { checks: Record<string, string>; error: { code: string } };
    expect(body.checks).toEqual({ database: 'failed', redis: 'ok' });
    expect(body.error.code).toBe('unavailable');
    // Alive all the same: the balancer keeps the process, only stops sending it work.
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);

    pgPath.restore();
    await waitFor(
      async () => (await fetch(`${origin}/readyz`)).status === 200,
      30_000,
      'ready again once PostgreSQL answers',
    );
  }, 90_000);

  it('/readyz answers 503 naming Redis when it stops answering', async () => {
    // A Redis path the test can cut: the process starts through it, then it closes.
    const port = await freePort();
    const sockets = new Set<Socket>();
    let open = true;
    const proxy = createServer((client) => {
      if (!open) return client.destroy();
      const upstream = connect(6379, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => proxy.close(() => r())));
    const cluster = await startCluster(1, { REDIS_URL: `redis://127.0.0.1:${port}` });
    cleanups.push(() => cluster.stop());
    const origin = cluster.nodes[0]!.origin;
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);

    open = false;
    for (const s of sockets) s.destroy();
    const r = await fetch(`${origin}/readyz`);
    expect(r.status).toBe(503);
    expect(((await r.json()) as { checks: unknown }).checks).toEqual({
      database: 'ok',
      redis: 'failed',
    });
  }, 90_000);
});
