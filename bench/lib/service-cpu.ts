/**
 * CPU of the services behind a cluster run, from /proc by PID: PostgreSQL's backends serving
 * this run's database (pids from pg_stat_activity, so other databases on the same server do
 * not count), PostgreSQL's background processes (WAL writer, checkpointer, background writer:
 * shared by every database, but in a bench run nearly all their work is ours), Redis
 * (`INFO server` process_id; shared with whatever else uses it) and nginx (master and workers).
 */
import pg from 'pg';
import { createClient } from 'redis';
import { PG_ADMIN_URL } from '../../tests/helpers/services';
import { childPids, cpuMs } from './proc';

export interface ServiceCpuMs {
  /** This database's backends (client connections, its autovacuum and parallel workers). */
  pg: number;
  /** PostgreSQL background processes (not tied to a database). */
  pgBackground: number;
  redis: number;
  nginx: number;
}

type Group = keyof ServiceCpuMs;

/** A PID's CPU in ms, or null once it has exited (or is not visible from this machine). */
function cpuOrNull(pid: number): number | null {
  try {
    return cpuMs(pid);
  } catch {
    return null;
  }
}

export class ServiceCpu {
  private constructor(
    private readonly admin: pg.Client,
    private readonly dbName: string,
    private readonly redisPid: number,
    private readonly nginxPid: number,
  ) {}

  static async open(
    dbName: string,
    redisUrl: string,
    nginxPid: number | undefined,
  ): Promise<ServiceCpu> {
    const redis = createClient({ url: redisUrl });
    redis.on('error', () => undefined);
    await redis.connect();
    let redisPid: number;
    try {
      const info = await redis.info('server');
      redisPid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
    } finally {
      await redis.quit();
    }
    if (!Number.isFinite(redisPid)) throw new Error('redis INFO server gave no process_id');
    if (nginxPid === undefined) throw new Error('nginx has no pid');
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    return new ServiceCpu(admin, dbName, redisPid, nginxPid);
  }

  /** Every service PID now, by group. */
  private async pids(): Promise<Map<number, Group>> {
    const out = new Map<number, Group>();
    const r = await this.admin.query<{ pid: number; datname: string | null }>(
      'SELECT pid, datname FROM pg_stat_activity',
    );
    for (const row of r.rows) {
      if (row.datname === this.dbName) out.set(row.pid, 'pg');
      else if (row.datname === null) out.set(row.pid, 'pgBackground');
    }
    out.set(this.redisPid, 'redis');
    out.set(this.nginxPid, 'nginx');
    for (const w of childPids(this.nginxPid)) out.set(w, 'nginx');
    return out;
  }

  /**
   * Start a window; `read()` gives each group's CPU since. A PID that appears during the
   * window (a new pool connection) counts from zero; one that exits during it is not counted.
   */
  async window(): Promise<{ read(): Promise<ServiceCpuMs> }> {
    const start = new Map<number, number>();
    for (const pid of (await this.pids()).keys()) {
      const c = cpuOrNull(pid);
      if (c !== null) start.set(pid, c);
    }
    return {
      read: async () => {
        const sums: ServiceCpuMs = { pg: 0, pgBackground: 0, redis: 0, nginx: 0 };
        for (const [pid, group] of await this.pids()) {
          const c = cpuOrNull(pid);
          if (c !== null) sums[group] += c - (start.get(pid) ?? 0);
        }
        return sums;
      },
    };
  }

  async close(): Promise<void> {
    await this.admin.end().catch(() => undefined);
  }
}
