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
import { dist, mapLimit, round, sleep } from '../lib/util';

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

export async function push(ctx: Context): Promise<ScenarioResult> {
  const { smoke } = ctx.opts;
  const pairs = ctx.opts.pairs?.[0] ?? (smoke ? 5 : 100);
  const rate = ctx.opts.rates?.[0] ?? (smoke ? 50 : 1000);
  const durationMs = (ctx.opts.durationS ?? (smoke ? 2 : 20)) * 1000;
  const drainMs = smoke ? 3000 : 10_000;
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
      'coalesced',
      'lost',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'stored p50 ms',
      'server CPU %',
      'server µs/msg',
      'server µs/push',
      'gen CPU %',
      'other CPU %',
    ],
    targets: [],
    notes: [
      `${pairs} pairs, contacts (the recipient accepted the request: a request notifies once), ${rate} msg/s in all for ${durationMs / 1000} s, one way: each sender's socket sends ${round(rate / pairs)} msg/s (awareness "viewing" announced, as a client with the chat open); each recipient is away: no socket, no event stream, notifications on with the default preview (name and message). Every user has a push subscription to an HTTP endpoint in the bench process (PUSH_ALLOW_PRIVATE_ENDPOINTS=1), which times each request when its body has arrived and decrypts it (aes128gcm, the tests' PushDevice).`,
      `Latency = push request received − the sender's push into its document (the time the generator writes into the message text, which the payload's preview carries): the server's whole path (sync, commit, notifier, encryption, VAPID signature, HTTP) in one clock. "stored" (the sender's push to the server's ack, which follows the commit but is coalesced per socket) is shown for scale; the server keeps no commit time the bench can read, so commit-to-push-request is not split out of the latency.`,
      `The server sends one push per commit that adds messages, naming the newest (server/push/notifier.ts); it neither rate-limits nor coalesces per recipient otherwise. "coalesced" = messages covered by a push of a later message of the same commit (sent − lost − pushes); "lost" = messages after the newest one pushed to their recipient when the ${drainMs / 1000} s drain ended.`,
      'Server µs/push = (server CPU of this run − the baseline run without subscriptions, same load on a fresh server) / pushes: the notifier (subscription, settings, mute, block, unread count, "showing"), web-push and the HTTP request. The baseline run has no push figures.',
    ],
    profiles: [],
  };
  const receiver = await PushReceiver.start();
  const pool = new WorkerPool(ctx.opts.workers);
  let baselineMs = NaN;
  try {
    for (const subscribed of [false, true]) {
      const label = subscribed ? 'push' : 'push-baseline';
      const server = await ctx.startServer(label, { PUSH_ALLOW_PRIVATE_ENDPOINTS: '1' });
      const target = embeddedTarget(server);
      try {
        const ps = await makePairs(server.origin, pairs);
        await mapLimit(ps, 16, async (p, i) => {
          await acceptConversation(server.origin, p.b, p.conversationId);
          if (!subscribed) return;
          await subscribePush(server.origin, p.a, receiver.device(`s${i}`).subscription);
          await subscribePush(server.origin, p.b, receiver.device(`r${i}`).subscription);
        });
        await pool.all({ op: 'init', origin: server.origin, wsBase: server.wsBase });
        const conn = await connectAll(pool, server, senderSpecs(ps, pool.size), true, true, 32);
        if (conn.failed > 0)
          throw new Error(`${conn.failed} sockets failed to connect: ${conn.errors.join('; ')}`);
        await settle(smoke ? 200 : 1000);
        receiver.reset();
        ctx.log(`push: ${label}, ${pairs} senders at ${rate} msg/s for ${durationMs / 1000} s`);
        const win = new CpuWindow([server.pid]);
        const run = await rateWindow(ctx, pool, target, {
          perClientRate: rate / pairs,
          sockets: conn.sockets,
          durationMs,
          drainMs: 2000,
          profileName: ctx.opts.profile ? label : null,
        });
        // The pushes trail the commits: wait until every message is covered, or the drain ends.
        const end = Date.now() + (subscribed ? drainMs : 0);
        while (receiver.covered() < run.sent && Date.now() < end) await sleep(20);
        const cpu = win.read();
        if (run.profile) result.profiles.push({ title: label, summary: run.profile });
        if (run.sent === 0) throw new Error('no message was sent');
        const lat = dist(receiver.latency.take());
        const pushes = receiver.received;
        const lost = subscribed ? run.sent - receiver.covered() : NaN;
        const pushWindowS = Math.max(0.001, (receiver.lastAt - receiver.firstAt) / 1000);
        if (!subscribed) baselineMs = cpu.serverMs;
        const us = (ms: number): number => (ms * 1000) / Math.max(1, pushes);
        result.rows.push({
          subscriptions: subscribed ? 'every user' : 'none (baseline)',
          pairs,
          'target msg/s': rate,
          sent: run.sent,
          pushes: subscribed ? pushes : '—',
          'pushes/s': subscribed ? round(pushes / pushWindowS) : '—',
          coalesced: subscribed ? run.sent - lost - pushes : '—',
          lost: subscribed ? lost : '—',
          'p50 ms': subscribed ? round(lat.p50) : '—',
          'p95 ms': subscribed ? round(lat.p95) : '—',
          'p99 ms': subscribed ? round(lat.p99) : '—',
          'max ms': subscribed ? round(lat.max) : '—',
          'stored p50 ms': round(run.stored.p50),
          'server CPU %': round((cpu.serverMs / cpu.wallMs) * 100),
          'server µs/msg': round((cpu.serverMs * 1000) / run.sent),
          'server µs/push': subscribed ? round(us(cpu.serverMs - baselineMs)) : '—',
          'gen CPU %': round((cpu.generatorMs / cpu.wallMs) * 100),
          'other CPU %': round((cpu.otherMs / cpu.wallMs) * 100),
        });
        if (subscribed) {
          if (receiver.failed + receiver.other > 0)
            result.notes.push(
              `${receiver.failed} pushes did not decrypt, ${receiver.other} named no bench message.`,
            );
          const closes = Object.entries(run.closes);
          if (closes.length > 0)
            result.notes.push(
              `Sockets closed by the server: ${closes.map(([k, v]) => `${v}×${k}`).join(' ')}.`,
            );
          result.targets.push({
            target: `push at ${rate} msg/s, every recipient away: commit-to-push-request latency p50/p99, CPU per push (report)`,
            reached: `p50 ${round(lat.p50)} ms, p99 ${round(lat.p99)} ms (send to push request; stored p50 ${round(run.stored.p50)} ms), ${round(us(cpu.serverMs - baselineMs))} µs of server CPU per push, ${pushes} pushes for ${run.sent} messages, ${lost} lost`,
            met: null,
          });
        }
        await pool.all({ op: 'close' });
      } finally {
        await server.stop();
      }
    }
  } finally {
    await pool.terminate();
    await receiver.close();
  }
  return result;
}
