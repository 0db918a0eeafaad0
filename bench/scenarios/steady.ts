/**
 * steady: P pairs, both sides connected, each sending 1 message per second for 30 s.
 * One fresh server per P, so that its peak RSS belongs to that size.
 */
import { makePairs, type Context, type ScenarioResult } from '../lib/context';
import { WorkerPool } from '../lib/pool';
import { connectAll, pairSpecs, rateCells, rateWindow, settle } from '../lib/load';
import { errorText, round } from '../lib/util';
import { clusterColumns, CLUSTER_NOTE } from '../lib/target';

export async function steady(ctx: Context): Promise<ScenarioResult> {
  const { smoke } = ctx.opts;
  const sizes = ctx.opts.pairs ?? (smoke ? [5] : [100, 1000, 2500]);
  const durationMs = (ctx.opts.durationS ?? (smoke ? 2 : 30)) * 1000;
  const result: ScenarioResult = {
    scenario: 'steady',
    rows: [],
    columns: [
      ...(ctx.opts.cluster ? ['mode'] : []),
      'pairs',
      'target msg/s',
      'delivered msg/s',
      'lost',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'stored p99 ms',
      'server CPU %',
      'server µs/msg',
      'server sys %',
      'gen CPU %',
      'other CPU %',
      'events/s',
      'server peak RSS MB',
      'connect/s',
      'closes',
      ...clusterColumns(ctx),
    ],
    targets: [],
    notes: [
      `Each socket sends 1 message/s at a random phase for ${durationMs / 1000} s; latency is the sender's push to the receiver's observe (both in one worker thread, one clock). "stored" is push to the server's ack (type 100). Unless --no-events, every user also holds its event stream (GET /api/events) open, as the client does; "events/s" counts what arrived on them.`,
      ctx.opts.receipts
        ? 'Both sides have the conversation open and visible: each socket sends a delivery receipt (101) 300 ms after what arrives and moves its read marker when the other person wrote, as the client does (--no-receipts: neither).'
        : 'No delivery receipts (101) and no read markers are sent (--no-receipts).',
    ],
    profiles: [],
  };
  if (ctx.opts.cluster) result.notes.push(CLUSTER_NOTE);
  const pool = new WorkerPool(ctx.opts.workers);
  try {
    for (const processes of ctx.modes)
      for (const p of sizes) {
        // Each user's socket and event stream (plus their registration requests).
        const server = await ctx.startTarget(`steady-${p}`, processes, 4 * p);
        const mode = server.mode;
        try {
          ctx.log(`steady ${p} pairs (${mode}): registering ${2 * p} users`);
          const pairs = await makePairs(server.origin, p);
          await pool.all({ op: 'init', origin: server.origin, wsBase: server.wsBase });
          const conn = await connectAll(
            pool,
            server,
            pairSpecs(pairs, pool.size, ctx.opts.events),
            true,
            true,
            32,
            ctx.opts.receipts,
          );
          if (conn.failed > 0)
            throw new Error(`${conn.failed} sockets failed to connect: ${conn.errors.join('; ')}`);
          await settle(smoke ? 200 : 1000);
          ctx.log(
            `steady ${p} pairs (${mode}): ${conn.sockets} sockets, sending for ${durationMs / 1000} s`,
          );
          const run = await rateWindow(ctx, pool, server, {
            perClientRate: 1,
            sockets: conn.sockets,
            durationMs,
            drainMs: smoke ? 2000 : 5000,
            profileName: ctx.opts.profile ? `steady-${p}` : null,
          });
          result.rows.push({
            mode,
            pairs: p,
            ...rateCells(run),
            'server peak RSS MB': round(server.peakRssKb() / 1024),
            'connect/s': round(conn.perSecond),
            'handshake p99 ms': round(conn.handshake.p99),
          });
          if (run.profile)
            result.profiles.push({ title: `steady ${p} pairs (${mode})`, summary: run.profile });
          if (run.sent === 0) throw new Error('no message was sent');
          if (p === 1000 || (smoke && p === sizes[0])) {
            result.targets.push({
              target: `steady ${p} pairs${processes > 0 ? ` (${mode})` : ''}: zero loss, p99 < 50 ms`,
              reached: `${run.lost} lost, p99 ${round(run.latency.p99)} ms`,
              met: run.lost === 0 && run.latency.p99 < 50,
            });
          }
          await pool.all({ op: 'close' });
        } catch (e) {
          // Keep the other modes' rows; the run still fails (run.ts counts `failed`).
          if (ctx.modes.length === 1) throw e;
          const why = `${mode} ${p} pairs: ${errorText(e).split('\n')[0]}`;
          ctx.log(`steady ${why}`);
          (result.failed ??= []).push(why);
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
