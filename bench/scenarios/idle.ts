/**
 * idle: N signed-in idle connections (1,000 / 5,000 / 10,000). Every user holds 10 sockets,
 * one per conversation, with conversations laid out on a ring (user i talks to i±1..i±5),
 * so N sockets are N/10 users and N/2 rooms. Measures the sign-in + sync handshake rate
 * (cookie-authenticated upgrade, sync step 1/2, awareness; passwords were hashed in setup)
 * and the server's memory per connection after a full GC.
 */
import type { Context, ScenarioResult } from '../lib/context';
import { openConversation, register, runTag, type Account } from '../lib/http';
import type { ConnSpec } from '../lib/protocol';
import { WorkerPool } from '../lib/pool';
import { connectAll } from '../lib/load';
import { CpuWindow } from '../lib/proc';
import { summarizeProfile } from '../lib/profile';
import { mapLimit, round, sleep } from '../lib/util';

const PER_USER = 10;

interface Layout {
  users: number;
  conversations: [number, number][];
}

/** Ring layout: conversations (i, i+d) for d = 1..5, enough of them for `sockets` sockets. */
export function layout(sockets: number): Layout {
  const need = Math.ceil(sockets / 2);
  const users = Math.max(PER_USER + 1, Math.ceil(sockets / PER_USER));
  const conversations: [number, number][] = [];
  for (let d = 1; d <= PER_USER / 2 && conversations.length < need; d++)
    for (let i = 0; i < users && conversations.length < need; i++)
      conversations.push([i, (i + d) % users]);
  return { users, conversations };
}

export async function idle(ctx: Context): Promise<ScenarioResult> {
  const { smoke } = ctx.opts;
  const sizes = ctx.opts.conns ?? (smoke ? [100] : [1000, 5000, 10000]);
  const idleMs = smoke ? 1000 : 16_000;
  const result: ScenarioResult = {
    scenario: 'idle',
    rows: [],
    columns: [
      'connections',
      'users',
      'rooms',
      'handshakes/s',
      'handshake p50 ms',
      'handshake p99 ms',
      'server µs/handshake',
      'KB/connection (RSS)',
      'KB/connection (heap)',
      'server RSS MB',
      'idle server CPU %',
      'failed',
    ],
    targets: [],
    notes: [
      `Each user holds ${PER_USER} sockets (one per conversation); rooms hold the two participants' sockets. Sockets announce an awareness state on connect and renew it every 15 s, as y-websocket does; unless --no-events each user also opens its event stream (GET /api/events) first, whose cost is in "server µs/handshake" (one stream per 10 sockets) but not in the handshake rate. "idle server CPU" is measured over ${idleMs / 1000} s after all are connected.`,
      'Memory per connection = (RSS after connecting − RSS before, both after a full GC) / connections; it includes the rooms (a Y.Doc per conversation) the sockets opened.',
    ],
    profiles: [],
  };
  const pool = new WorkerPool(ctx.opts.workers);
  try {
    for (const n of sizes) {
      const server = await ctx.startServer(`idle-${n}`);
      try {
        const plan = layout(n);
        ctx.log(`idle ${n}: ${plan.users} users, ${plan.conversations.length} conversations`);
        const tag = runTag();
        const accounts: Account[] = await mapLimit(
          Array.from({ length: plan.users }, (_, i) => i),
          16,
          (i) => register(server.origin, `${tag}-${i}`),
        );
        const docs = await mapLimit(plan.conversations, 16, async ([a, b]) => {
          const c = await openConversation(server.origin, accounts[a]!, accounts[b]!.user.id);
          return c.doc;
        });
        const specs: ConnSpec[] = [];
        const withStream = new Set<number>();
        plan.conversations.forEach(([a, b], k) => {
          for (const u of [a, b]) {
            if (specs.length < n) {
              const events = ctx.opts.events && !withStream.has(u);
              if (events) withStream.add(u);
              specs.push({
                doc: docs[k]!,
                cookie: accounts[u]!.cookie,
                userId: accounts[u]!.user.id,
                peer: null,
                events,
              });
            }
          }
        });
        // Interleave so that each worker gets a share of every user's sockets.
        const perWorker: ConnSpec[][] = Array.from({ length: pool.size }, () => []);
        specs.forEach((s, i) => perWorker[i % pool.size]!.push(s));
        await pool.all({ op: 'init', origin: server.origin, wsBase: server.wsBase });
        const before = await server.gc();
        if (ctx.opts.profile) await server.profileStart();
        ctx.log(`idle ${n}: connecting`);
        const conn = await connectAll(pool, server, perWorker, false, true, smoke ? 16 : 64);
        if (ctx.opts.profile) {
          const file = ctx.profileFile(`idle-${n}-connect`);
          await server.profileStop(file);
          result.profiles.push({ title: `idle ${n}: connecting`, summary: summarizeProfile(file) });
        }
        const win = new CpuWindow([server.pid]);
        await sleep(idleMs);
        const cpu = win.read();
        const after = await server.gc();
        const perConnRss = ((after.rssKb - before.rssKb) * 1024) / 1000 / conn.sockets;
        const perConnHeap =
          ((after.heapUsedKb + after.externalKb - before.heapUsedKb - before.externalKb) * 1024) /
          1000 /
          conn.sockets;
        result.rows.push({
          connections: conn.sockets,
          users: plan.users,
          rooms: plan.conversations.length,
          'handshakes/s': round(conn.perSecond),
          'handshake p50 ms': round(conn.handshake.p50),
          'handshake p99 ms': round(conn.handshake.p99),
          'server µs/handshake': round(conn.serverCpuMsPerHandshake * 1000),
          'KB/connection (RSS)': round(perConnRss),
          'KB/connection (heap)': round(perConnHeap),
          'server RSS MB': round(after.rssKb / 1024),
          'idle server CPU %': round((cpu.serverMs / cpu.wallMs) * 100),
          'other CPU %': round((cpu.otherMs / cpu.wallMs) * 100),
          failed: conn.failed,
        });
        if (conn.failed > 0) {
          result.notes.push(`${n}: ${conn.failed} sockets failed: ${conn.errors.join('; ')}`);
          if (conn.failed > n * 0.01) throw new Error(`${conn.failed} of ${n} sockets failed`);
        }
        if (n === Math.max(...sizes)) {
          result.targets.push(
            {
              target: 'idle: < 30 KB server memory per connection',
              reached: `${round(perConnRss)} KB (RSS), ${round(perConnHeap)} KB (JS heap + external) at ${conn.sockets} connections`,
              met: smoke ? null : perConnRss < 30,
            },
            {
              target: 'idle: ≥ 500 sign-in + sync handshakes/s',
              reached: `${round(conn.perSecond)}/s (${round(conn.serverCpuMsPerHandshake * 1000)} µs server CPU each)`,
              met: smoke ? null : conn.perSecond >= 500,
            },
          );
        }
        await pool.all({ op: 'close' });
      } finally {
        await server.stop();
      }
    }
  } finally {
    await pool.terminate();
  }
  return result;
}
