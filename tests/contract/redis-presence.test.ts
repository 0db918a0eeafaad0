/**
 * RedisPresence in use: two instances (two processes' worth) on one Redis prefix and one
 * SQLite file, talking through real RedisSignals, each watched the way People watches it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type RedisClientType } from 'redis';
import { RedisPresence } from '../../server/cluster/redis-presence';
import { RedisSignals } from '../../server/cluster/redis-signals';
import { SqliteStorage } from '../../server/store/sqlite-storage';
import { waitFor } from '../helpers/client';
import { createRedisPrefix, requireServices, type TestRedisPrefix } from '../helpers/services';

interface Node {
  presence: RedisPresence;
  heard: [string, boolean][];
  stop(): Promise<void>;
}

let redis: TestRedisPrefix;
let dir: string;
let storage: SqliteStorage;
const nodes: Node[] = [];

beforeAll(async () => {
  await requireServices();
  redis = createRedisPrefix();
  dir = mkdtempSync(join(tmpdir(), 'parley-presence-'));
  storage = SqliteStorage.open(join(dir, 'parley.db'));
});
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop();
});
afterAll(async () => {
  await storage?.close();
  await redis?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function node(ttlMs = 3000): Promise<Node> {
  const client: RedisClientType = createClient({ url: redis.url });
  await client.connect();
  const signals = await RedisSignals.connect({ url: redis.url, prefix: redis.prefix });
  const presence = await RedisPresence.start({
    client,
    prefix: redis.prefix,
    users: storage.users,
    signals,
    graceMs: 50,
    ttlMs,
  });
  const heard: [string, boolean][] = [];
  presence.onChange((u, online) => heard.push([u, online]));
  const n: Node = {
    presence,
    heard,
    stop: async () => {
      await presence.flush();
      await signals.close();
      await client.quit();
    },
  };
  nodes.push(n);
  return n;
}

function user(): string {
  const email = `p-${Math.random().toString(36).slice(2)}@example.com`;
  const row = storage.users.create(email, 'P', 'hash');
  return row!.id;
}

const heardOf = (n: Node, u: string, online: boolean): boolean =>
  n.heard.some(([x, o]) => x === u && o === online);

describe('RedisPresence', () => {
  it('a user connected on one instance is online on the other; offline there with last seen after the grace', async () => {
    const [a, b] = [await node(), await node()];
    const u = user();
    expect(b.presence.isOnline(u)).toBe(false);
    a.presence.connected(u);
    await waitFor(() => heardOf(b, u, true), 5000, 'b hears online');
    expect(b.presence.isOnline(u)).toBe(true);
    expect(a.heard).toEqual([[u, true]]); // once, not once per path
    const before = Date.now();
    a.presence.disconnected(u);
    await waitFor(() => heardOf(b, u, false), 5000, 'b hears offline');
    expect(b.presence.isOnline(u)).toBe(false);
    expect(storage.users.byId(u)?.lastSeen).toBeGreaterThanOrEqual(before);
  });

  it('stays online while another instance still holds a connection', async () => {
    const [a, b] = [await node(), await node()];
    const u = user();
    const barrier = user();
    a.presence.connected(u);
    b.presence.connected(u);
    await waitFor(() => heardOf(a, u, true) && heardOf(b, u, true), 5000, 'online on both');
    a.presence.disconnected(u);
    // Barrier: a later user leaving a, heard on both, comes after u's change on a.
    a.presence.connected(barrier);
    a.presence.disconnected(barrier);
    await waitFor(() => heardOf(a, barrier, false) && heardOf(b, barrier, false), 5000, 'barrier');
    expect(heardOf(a, u, false) || heardOf(b, u, false)).toBe(false);
    expect(a.presence.isOnline(u) && b.presence.isOnline(u)).toBe(true);
  });

  it('an instance that shuts down withdraws its users at once (no wait for the TTL)', async () => {
    // A long TTL: hearing "offline" within half of it proves the withdrawal, not a reap.
    const [a, b] = [await node(20_000), await node(20_000)];
    const u = user();
    a.presence.connected(u);
    await waitFor(() => heardOf(b, u, true), 5000, 'online');
    const started = Date.now();
    await a.presence.flush(); // u is still connected on a: shutdown writes last seen too
    await waitFor(() => heardOf(b, u, false), 10_000, 'offline after the shutdown');
    expect(storage.users.byId(u)?.lastSeen).toBeGreaterThanOrEqual(started - 1000);
  });

  it('after Redis loses its keys (a restart), every instance writes its users back', async () => {
    const a = await node();
    const u = user();
    a.presence.connected(u);
    await waitFor(() => heardOf(a, u, true), 5000, 'online');
    await redis.drop(); // sets, heartbeats and the instance list are gone
    // An instance starting now learns of u only once a has rewritten its set.
    const c = await node();
    await waitFor(() => c.presence.isOnline(u), 10_000, 'u online again on a new instance');
  });
});
