/** Connect pairs across the worker pool, run a paced send window, gather the measurements. */
import type { Context, Pair } from './context';
import type { ConnSpec } from './protocol';
import { chunk, type WorkerPool } from './pool';
import type { Target } from './target';
import type { ServiceCpuMs } from './service-cpu';
import { CpuWindow } from './proc';
import { summarizeProfile, type ProfileSummary } from './profile';
import { concat, dist, nowMs, round, sleep, type Dist } from './util';

export interface Connected {
  sockets: number;
  streams: number;
  failed: number;
  errors: string[];
  handshake: Dist;
  /** Handshakes completed per second over the whole connect phase. */
  perSecond: number;
  serverCpuMsPerHandshake: number;
}

/** Open `specsPerWorker[i]` on worker i, all at once (bounded concurrency per worker). */
export async function connectAll(
  pool: WorkerPool,
  /** The server process or a cluster target: only its summed CPU is read. */
  server: { cpuMs(): number },
  specsPerWorker: ConnSpec[][],
  withDoc: boolean,
  awareness: boolean,
  concurrency: number,
  /** withDoc: receivers send receipts (101) and read markers as the client does. */
  receipts = false,
): Promise<Connected> {
  const cpu0 = server.cpuMs();
  const replies = await Promise.all(
    specsPerWorker.map((conns, i) =>
      pool.call(i, { op: 'connect', conns, withDoc, awareness, receipts, concurrency }),
    ),
  );
  const cpuMs = server.cpuMs() - cpu0;
  const connected = replies.reduce((a, r) => a + r.connected, 0);
  const failed = replies.reduce((a, r) => a + r.failed, 0);
  const start = Math.min(...replies.map((r) => r.firstStart));
  const end = Math.max(...replies.map((r) => r.lastSynced));
  return {
    sockets: connected,
    streams: replies.reduce((a, r) => a + r.streams, 0),
    failed,
    errors: replies.flatMap((r) => r.errors).slice(0, 5),
    handshake: dist(concat(replies.map((r) => r.handshakeMs))),
    perSecond: connected / Math.max(0.001, (end - start) / 1000),
    serverCpuMsPerHandshake: connected > 0 ? cpuMs / connected : NaN,
  };
}

/** Both sockets of a pair in one worker; each user also opens its event stream when `events`. */
export function pairSpecs(pairs: readonly Pair[], workers: number, events: boolean): ConnSpec[][] {
  return chunk(pairs, workers).map((ps) =>
    ps.flatMap((p, k) => [
      { doc: p.doc, cookie: p.a.cookie, userId: p.a.user.id, peer: 2 * k + 1, events },
      { doc: p.doc, cookie: p.b.cookie, userId: p.b.user.id, peer: 2 * k, events },
    ]),
  );
}

export interface RateRun {
  targetRate: number;
  sent: number;
  delivered: number;
  lost: number;
  duplicated: number;
  deliveredPerS: number;
  latency: Dist;
  stored: Dist;
  lag: Dist;
  closes: Record<string, number>;
  /** Server-Sent Events received per second on the users' event streams. */
  eventsPerS: number;
  wallMs: number;
  serverCpuMs: number;
  serverCpuPct: number;
  /** Share of the server's CPU spent in the kernel (syscalls: socket writes, SQLite I/O). */
  serverSysPct: number;
  serverUsPerMsg: number;
  generatorCpuPct: number;
  otherCpuPct: number;
  /** Cluster mode: the services' CPU over the window (ms); null when embedded. */
  services: ServiceCpuMs | null;
  profile: ProfileSummary | null;
}

/** Every connected socket sends `perClientRate` msg/s for `durationMs`; measure the window. */
export async function rateWindow(
  ctx: Context,
  pool: WorkerPool,
  target: Target,
  o: {
    perClientRate: number;
    sockets: number;
    durationMs: number;
    drainMs: number;
    profileName: string | null;
  },
): Promise<RateRun> {
  // In cluster mode only the first process is profiled (its share of the load is alike).
  const server = target.servers[0]!;
  if (o.profileName) await server.profileStart();
  const services = await target.services?.window();
  const win = new CpuWindow(target.servers.map((s) => s.pid));
  const startAt = nowMs() + 300;
  const replies = await pool.all({
    op: 'rate',
    startAt,
    durationMs: o.durationMs,
    perClientRate: o.perClientRate,
    drainMs: o.drainMs,
    textChars: 60,
  });
  const cpu = win.read();
  const serviceMs = (await services?.read()) ?? null;
  let profile: ProfileSummary | null = null;
  if (o.profileName) {
    const file = ctx.profileFile(o.profileName);
    await server.profileStop(file);
    profile = summarizeProfile(file);
  }
  const sum = (f: (r: (typeof replies)[number]) => number): number =>
    replies.reduce((a, r) => a + f(r), 0);
  const closes: Record<string, number> = {};
  for (const r of replies)
    for (const [k, v] of Object.entries(r.closes)) closes[k] = (closes[k] ?? 0) + v;
  const delivered = sum((r) => r.received);
  const activeMs = cpu.wallMs - 300;
  // "Other" is what neither Parley, the generator nor (in cluster mode) the services used.
  const servicesTotal = serviceMs
    ? serviceMs.pg + serviceMs.pgBackground + serviceMs.redis + serviceMs.nginx
    : 0;
  return {
    targetRate: o.perClientRate * o.sockets,
    sent: sum((r) => r.sent),
    delivered,
    lost: sum((r) => r.lost),
    duplicated: sum((r) => r.duplicated),
    deliveredPerS: delivered / (o.durationMs / 1000),
    latency: dist(concat(replies.map((r) => r.latencyMs))),
    stored: dist(concat(replies.map((r) => r.storedMs))),
    lag: dist(concat(replies.map((r) => r.lagMs))),
    closes,
    eventsPerS: sum((r) => r.events) / (o.durationMs / 1000),
    wallMs: activeMs,
    serverCpuMs: cpu.serverMs,
    serverCpuPct: (cpu.serverMs / activeMs) * 100,
    serverSysPct: cpu.serverMs > 0 ? (cpu.serverSysMs / cpu.serverMs) * 100 : NaN,
    serverUsPerMsg: delivered > 0 ? (cpu.serverMs * 1000) / delivered : NaN,
    generatorCpuPct: (cpu.generatorMs / activeMs) * 100,
    otherCpuPct: (Math.max(0, cpu.otherMs - servicesTotal) / activeMs) * 100,
    services: serviceMs,
    profile,
  };
}

/** Table cells for a rate run. */
export function rateCells(r: RateRun): Record<string, number | string> {
  const closes = Object.entries(r.closes)
    .map(([k, v]) => `${v}×${k}`)
    .join(' ');
  return {
    'target msg/s': round(r.targetRate),
    'delivered msg/s': round(r.deliveredPerS),
    sent: r.sent,
    lost: r.lost,
    dup: r.duplicated,
    'p50 ms': round(r.latency.p50),
    'p95 ms': round(r.latency.p95),
    'p99 ms': round(r.latency.p99),
    'max ms': round(r.latency.max),
    'stored p99 ms': round(r.stored.p99),
    'gen lag p99 ms': round(r.lag.p99),
    'server CPU %': round(r.serverCpuPct),
    'server µs/msg': round(r.serverUsPerMsg),
    'server sys %': round(r.serverSysPct),
    'gen CPU %': round(r.generatorCpuPct),
    'other CPU %': round(r.otherCpuPct),
    'events/s': round(r.eventsPerS),
    closes: closes || '—',
    ...serviceCells(r),
  };
}

/** Cluster mode: each service's CPU per delivered message, and everything summed. */
function serviceCells(r: RateRun): Record<string, number | string> {
  const s = r.services;
  if (!s || !(r.delivered > 0)) return {};
  const us = (ms: number): number => round((ms * 1000) / r.delivered);
  return {
    'PG µs/msg': us(s.pg),
    'PG bg µs/msg': us(s.pgBackground),
    'Redis µs/msg': us(s.redis),
    'nginx µs/msg': us(s.nginx),
    'total µs/msg': us(r.serverCpuMs + s.pg + s.pgBackground + s.redis + s.nginx),
  };
}

export async function settle(ms: number): Promise<void> {
  await sleep(ms);
}
