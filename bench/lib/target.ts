/**
 * What the rate scenarios drive: the embedded server (one process on SQLite) or, with
 * `--cluster N`, N processes in cluster mode on a fresh PostgreSQL database and Redis key
 * prefix behind nginx (the shipped deploy/nginx/parley.conf). The generators talk to
 * `origin` / `wsBase` either way; CPU is read per process from /proc.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../../tests/helpers/child-server';
import { NGINX, startBalancer, type Balancer } from '../../tests/helpers/balancer';
import {
  createRedisPrefix,
  createTestDatabase,
  requireServices,
  type TestDatabase,
  type TestRedisPrefix,
} from '../../tests/helpers/services';
import { existsSync } from 'node:fs';
import { ServerProcess } from './server';
import { ServiceCpu } from './service-cpu';

export interface Target {
  /** "embedded" or "cluster N". */
  mode: string;
  /** Parley processes (1 embedded). */
  servers: ServerProcess[];
  /** Where the generators send HTTP and Origin (nginx in cluster mode). */
  origin: string;
  wsBase: string;
  /** PostgreSQL, Redis and nginx CPU over a window; null when embedded. */
  services: ServiceCpu | null;
  /** The cluster's PostgreSQL database; null when embedded. */
  databaseUrl: string | null;
  /** Summed user + system CPU of the Parley processes, in ms. */
  cpuMs(): number;
  /** Sum of the Parley processes' peak resident sets, in KB. */
  peakRssKb(): number;
  stop(): Promise<void>;
}

export function embeddedTarget(server: ServerProcess): Target {
  return {
    mode: 'embedded',
    servers: [server],
    origin: server.origin,
    wsBase: server.wsBase,
    services: null,
    databaseUrl: null,
    cpuMs: () => server.cpuMs(),
    peakRssKb: () => server.mem().hwmKb,
    stop: () => server.stop(),
  };
}

export interface ClusterStartOptions {
  processes: number;
  /** Where each process's log and (unused in cluster mode) data directory go. */
  dir: string;
  env: Record<string, string>;
  /** Proxied sockets the balancer must carry at once (each uses two nginx connections). */
  maxClientConnections: number;
}

/**
 * Start the cluster: services checked first (a clear error naming what is missing), then a
 * fresh database and prefix, N processes on chosen ports, nginx on a port chosen before
 * them so that PUBLIC_ORIGIN names it. Anything started is stopped again on failure.
 */
export async function clusterTarget(o: ClusterStartOptions): Promise<Target> {
  if (!existsSync(NGINX)) {
    throw new Error(
      `--cluster needs nginx at ${NGINX} (apt-get install nginx-light), PostgreSQL and Redis`,
    );
  }
  try {
    await requireServices();
  } catch (e) {
    throw new Error(`--cluster needs PostgreSQL and Redis: ${String(e)}`);
  }
  const db: TestDatabase = await createTestDatabase();
  const redis: TestRedisPrefix = createRedisPrefix();
  const servers: ServerProcess[] = [];
  let balancer: Balancer | null = null;
  let services: ServiceCpu | null = null;
  const stop = async (): Promise<void> => {
    await balancer?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await services?.close();
    await db.drop();
    await redis.drop();
  };
  try {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      ...o.env,
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      PUBLIC_ORIGIN: origin,
    };
    for (let i = 0; i < o.processes; i++) {
      const dir = join(o.dir, `p${i}`);
      servers.push(
        await ServerProcess.start({
          dataDir: join(dir, 'data'),
          logFile: join(dir, 'server.log'),
          env,
          port: await freePort(),
        }),
      );
    }
    balancer = await startBalancer(
      servers.map((s) => s.origin),
      // Client sockets and their upstream twins, plus room for the setup's HTTP requests.
      { port, workerConnections: Math.max(1024, 2 * o.maxClientConnections + 512) },
    );
    services = await ServiceCpu.open(db.name, redis.url, balancer.proc.pid);
    return {
      mode: `cluster ${o.processes}`,
      servers,
      origin,
      wsBase: `ws://127.0.0.1:${port}/sync`,
      services,
      databaseUrl: db.url,
      cpuMs: () => servers.reduce((a, s) => a + s.cpuMs(), 0),
      peakRssKb: () => servers.reduce((a, s) => a + s.mem().hwmKb, 0),
      stop,
    };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}

/** The columns a rate scenario adds in cluster mode (rateCells fills them). */
export function clusterColumns(ctx: { opts: { cluster?: number[] } }): string[] {
  return ctx.opts.cluster?.some((n) => n > 0)
    ? ['PG µs/msg', 'PG bg µs/msg', 'Redis µs/msg', 'nginx µs/msg', 'total µs/msg']
    : [];
}

export const CLUSTER_NOTE =
  'Cluster mode: "server" columns sum every Parley process (CPU from /proc by PID; peak RSS is the sum of the processes\' peaks). "PG" is the PostgreSQL backends serving this run\'s database (their PIDs from pg_stat_activity, read at the start and end of the window), "PG bg" PostgreSQL\'s background processes (WAL writer, checkpointer, background writer; shared with any other database on that server), "Redis" the redis-server process (INFO server process_id; shared with anything else using it), "nginx" its master and worker; "total" is all of them plus the Parley processes. "other CPU" excludes them all. Only the first process is profiled with --profile.';
