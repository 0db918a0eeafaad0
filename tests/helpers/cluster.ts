/**
 * A cluster for tests: N real server processes (server/main.ts) on one fresh PostgreSQL
 * database and one Redis key prefix, each on its own port; `stop` kills them by PID and
 * drops the database (unless the caller brought its own) and the keys.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startChildServer, type ChildServer } from './child-server';
import {
  createRedisPrefix,
  createTestDatabase,
  requireServices,
  type TestDatabase,
  type TestRedisPrefix,
} from './services';

/** The origin browsers would use through the balancer (the processes all expect it). */
export const CLUSTER_ORIGIN = 'http://parley.test';

export interface TestCluster {
  nodes: ChildServer[];
  db: TestDatabase;
  redis: TestRedisPrefix;
  /** The environment every process of this cluster runs with. */
  env: Record<string, string>;
  /** `ws://` base of process `i`'s sync endpoint. */
  wsUrl(i: number): string;
  /** Start one more process (or restart one that was killed) on a new port. */
  add(): Promise<ChildServer>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Run on this existing database (e.g. one `npm run migrate` filled); the caller drops it. */
  db?: TestDatabase;
  /** The DATABASE_URL the processes use, from the test database's (e.g. through a proxy). */
  databaseUrl?: (url: string) => string;
}

export async function startCluster(
  n: number,
  extraEnv: Record<string, string> = {},
  opts: ClusterOptions = {},
): Promise<TestCluster> {
  await requireServices();
  const ownDb = opts.db === undefined;
  const db = opts.db ?? (await createTestDatabase());
  const redis = createRedisPrefix();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
  const env: Record<string, string> = {
    DATABASE_URL: opts.databaseUrl ? opts.databaseUrl(db.url) : db.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    PUBLIC_ORIGIN: CLUSTER_ORIGIN,
    ...extraEnv,
  };
  const nodes: ChildServer[] = [];
  const add = async (): Promise<ChildServer> => {
    const node = await startChildServer(await freePort(), dataDir, env);
    nodes.push(node);
    return node;
  };
  try {
    await Promise.all(Array.from({ length: n }, add));
  } catch (e) {
    for (const node of nodes) node.proc.kill('SIGKILL');
    if (ownDb) await db.drop();
    await redis.drop();
    throw e;
  }
  return {
    nodes,
    db,
    redis,
    env,
    wsUrl: (i) => `${nodes[i]!.origin.replace('http', 'ws')}/sync`,
    add,
    stop: async () => {
      await Promise.all(
        nodes.map(
          (node) =>
            new Promise<void>((resolve) => {
              if (node.proc.exitCode !== null || node.proc.signalCode !== null) return resolve();
              node.proc.once('exit', () => resolve());
              node.proc.kill('SIGTERM');
              setTimeout(() => node.proc.kill('SIGKILL'), 5000).unref();
            }),
        ),
      );
      if (ownDb) await db.drop();
      await redis.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
