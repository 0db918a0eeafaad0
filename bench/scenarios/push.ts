/**
 * push: P pairs where only the sender is connected and every recipient is away (no sync
 * socket, no event stream, so no "viewing" presence) with a push subscription pointing to an
 * endpoint in this process. Senders send R msg/s in all. Each push request received is timed
 * against the push time carried in the message it names. The same load runs first on a fresh
 * server without subscriptions (baseline), so that the CPU of the pushes themselves shows.
 */
import { makePairs, type Context, type Pair, type ScenarioResult } from '../lib/context';
import { acceptConversation, subscribePush } from '../lib/http';
import { WorkerPool, chunk } from '../lib/pool';
import { connectAll, rateWindow, settle } from '../lib/load';
import { CpuWindow } from '../lib/proc';
import { PushReceiver } from '../lib/push-receiver';
import { embeddedTarget } from '../lib/target';
import type { ConnSpec } from '../lib/protocol';
import { dist, mapLimit, nowMs, round, sleep } from '../lib/util';

/** The drain ends when every message is covered, or no push came for this long. */
const QUIET_MS = 3000;
/** … or after this long in any case. */
const MAX_DRAIN_MS = 120_000;

interface Shape {
  pairs: number;
  rate: number;
  durationMs: number;
}

/** Only the senders' sockets (peer null: nobody in the bench observes their messages). */
function senderSpecs(pairs: readonly Pair[], workers: number): ConnSpec[][] {
  return chunk(pairs, workers).map((ps) =>
    ps.map((p) => ({
      doc: p.doc,
      cookie: p.a.cookie,
      userId: p.a.user.id,
      peer: null,
      events: false,
    })),
  );
}

/** One run on a fresh server: the cells of its row, and its server CPU (ms). */
async function runOnce(
  ctx: Context,
  pool: WorkerPool,
  receiver: PushReceiver,
  shape: Shape,
  baselineMs: number | null,
  result: ScenarioResult,
): Promise<{ serverMs: number; row: Record<string, number | string> }> {
  const subscribed = baselineMs !== null;
  const { pairs, rate, durationMs } = shape;
  const label = `push-${rate}${subscribed ? '' : '-baseline'}`;
  const server = await ctx.startServer(label, { PUSH_ALLOW_PRIVATE_ENDPOINTS: '1' });
  try {
    const ps = await makePairs(server.origin, pairs);
    await mapLimit(ps, 16, async (p, i) => {
      await acceptConversation(server.origin, p.b, p.conversationId);
      if (!subscribed) return;
      await subscribePush(server.origin, p.a, receiver.device(`${rate}-s${i}`).subscription);
      await subscribePush(server.origin, p.b, receiver.device(`${rate}-r${i}`).subscription);
    });
    await pool.all({ op: 'init', origin: server.origin, wsBase: server.wsBase });
    const conn = await connectAll(pool, server, senderSpecs(ps, pool.size), true, true, 32);
    if (conn.failed > 0)
      throw new Error(`${conn.failed} sockets failed to connect: ${conn.errors.join('; ')}`);
    await settle(ctx.opts.smoke ? 200 : 1000);
    receiver.reset();
    ctx.log(`push: ${label}, ${pairs} senders at ${rate} msg/s for ${durationMs / 1000} s`);
    const win = new CpuWindow([server.pid]);
    const run = await rateWindow(ctx, pool, embeddedTarget(server), {
      perClientRate: rate / pairs,
      sockets: conn.sockets,
      durationMs,
      drainMs: 2000,
      profileName: ctx.opts.profile ? label : null,
    });
    const sentEnd = nowMs();
    // The pushes trail the commits: wait until every message is covered or they stop coming.
    if (subscribed)
      while (
        receiver.covered() < run.sent &&
        nowMs() - Math.max(receiver.lastAt, sentEnd) < QUIET_MS &&
        nowMs() - sentEnd < MAX_DRAIN_MS
      )
        await sleep(20);
    const cpu = win.read();
    await pool.all({ op: 'close' });
    if (run.profile) result.profiles.push({ title: label, summary: run.profile });
    if (run.sent === 0) throw new Error('no message was sent');
    const closes = Object.entries(run.closes);
    if (closes.length > 0)
      result.notes.push(
        `${label}: sockets closed by the server: ${closes.map(([k, v]) => `${v}×${k}`).join(' ')}.`,
      );
    const common = {
      pairs,
      'target msg/s': rate,
      sent: run.sent,
      'stored p50 ms': round(run.stored.p50),
      'stored p99 ms': round(run.stored.p99),
      'server CPU %': round((cpu.serverMs / cpu.wallMs) * 100),
      'server µs/msg': round((cpu.serverMs * 1000) / run.sent),
      'gen CPU %': round((cpu.generatorMs / cpu.wallMs) * 100),
      'other CPU %': round((cpu.otherMs / cpu.wallMs) * 100),
    };
    if (!subscribed) return { serverMs: cpu.serverMs, row: { subscriptions: 'none', ...common } };
    const lat = dist(receiver.latency.take());
    const pushes = receiver.received;
    const lost = run.sent - receiver.covered();
    const usPerPush = ((cpu.serverMs - baselineMs) * 1000) / Math.max(1, pushes);
    if (receiver.failed + receiver.other > 0)
      result.notes.push(
        `${label}: ${receiver.failed} pushes did not decrypt, ${receiver.other} named no bench message.`,
      );
    result.targets.push({
      target: `push at ${rate} msg/s (${pairs} pairs), every recipient away: send-to-push-request latency p50/p99, CPU per push (report)`,
      reached: `p50 ${round(lat.p50)} ms, p99 ${round(lat.p99)} ms; ${round(usPerPush)} µs of server CPU per push; ${pushes} pushes for ${run.sent} messages (${round(pushes / Math.max(0.001, (receiver.lastAt - receiver.firstAt) / 1000))}/s), ${lost} never pushed`,
      met: null,
    });
    return {
      serverMs: cpu.serverMs,
      row: {
        subscriptions: 'every user',
        ...common,
        pushes,
        'pushes/s': round(pushes / Math.max(0.001, (receiver.lastAt - receiver.firstAt) / 1000)),
        'last push after s': round(Math.max(0, receiver.lastAt - sentEnd) / 1000),
        coalesced: run.sent - lost - pushes,
        lost,
        'p50 ms': round(lat.p50),
        'p95 ms': round(lat.p95),
        'p99 ms': round(lat.p99),
        'max ms': round(lat.max),
        'server µs/push': round(usPerPush),
      },
    };
  } finally {
    await server.stop();
  }
}

export async function push(ctx: Context): Promise<ScenarioResult> {
  const { smoke } = ctx.opts;
  const pairs = ctx.opts.pairs?.[0] ?? (smoke ? 5 : 100);
  const rates = ctx.opts.rates ?? [smoke ? 50 : 1000];
  const durationMs = (ctx.opts.durationS ?? (smoke ? 2 : 20)) * 1000;
  const result: ScenarioResult = {
    scenario: 'push',
    rows: [],
    columns: [
      'subscriptions',
      'pairs',
      'target msg/s',
      'sent',
      'pushes',
      'pushes/s',
      'last push after s',
      'coalesced',
      'lost',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'stored p50 ms',
      'stored p99 ms',
      'server CPU %',
      'server µs/msg',
      'server µs/push',
      'gen CPU %',
      'other CPU %',
    ],
    targets: [],
    notes: [
      `${pairs} pairs, contacts (the recipient accepted the request: a request notifies once), for ${durationMs / 1000} s, one way: each sender's socket sends rate/${pairs} msg/s (awareness "viewing" announced, as a client with the chat open); each recipient is away: no socket, no event stream, notifications on with the default preview (name and message). Every user has a push subscription to an HTTP endpoint in the bench process (PUSH_ALLOW_PRIVATE_ENDPOINTS=1), which times each request when its body has arrived and decrypts it (aes128gcm, the tests' PushDevice).`,
      `Latency = push request received − the sender's push into its document (the time the generator writes into the message text, which the payload's preview carries): the server's whole path (sync, commit, notifier, encryption, VAPID signature, HTTP) on one clock. "stored" (the sender's push to the server's ack, which follows the commit but is coalesced per socket) is shown for scale; the server keeps no commit time the bench can read, so commit-to-push-request is not split out of the latency.`,
      `The server sends one push per commit that adds messages, naming the newest (server/push/notifier.ts); it neither rate-limits nor coalesces per recipient otherwise. "coalesced" = messages covered by a push of a later message of the same commit (sent − lost − pushes); "lost" = messages after the newest one pushed to their recipient when the pushes stopped (none for ${QUIET_MS / 1000} s, at most ${MAX_DRAIN_MS / 1000} s after sending ended); "last push after" = how long after sending ended the last push arrived (a backlog). "pushes/s" is over first to last push.`,
      'Server µs/push = (server CPU of this run − the baseline run without subscriptions, same load on a fresh server) / pushes: the notifier (subscriptions, settings, mute, block, unread count, "showing"), web-push (encryption, VAPID signature), the HTTP request and the success write. The baseline row has no push figures. Server CPU is over sending and the drain.',
    ],
    profiles: [],
  };
  const receiver = await PushReceiver.start();
  const pool = new WorkerPool(ctx.opts.workers);
  try {
    for (const rate of rates) {
      const shape = { pairs, rate, durationMs };
      const base = await runOnce(ctx, pool, receiver, shape, null, result);
      result.rows.push(base.row);
      const withPush = await runOnce(ctx, pool, receiver, shape, base.serverMs, result);
      result.rows.push(withPush.row);
    }
  } finally {
    await pool.terminate();
    await receiver.close();
  }
  return result;
}
