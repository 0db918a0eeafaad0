/**
 * ramp: 50 pairs, the total rate raised step by step until p99 exceeds 100 ms or a message
 * is lost; reports the last rate that held. Each step uses 50 fresh pairs (fresh documents),
 * so every step measures the same conversation sizes and the generator's Y.Docs stay lean
 * (a Y.Array append walks the list after each remote change).
 */
import { makePairs, type Context, type ScenarioResult } from '../lib/context';
import { WorkerPool } from '../lib/pool';
import { connectAll, pairSpecs, rateCells, rateWindow, settle, type RateRun } from '../lib/load';
import { errorText, round } from '../lib/util';
import { clusterColumns, CLUSTER_NOTE } from '../lib/target';
import { READ_FRAME_MS, RECEIVED_DEBOUNCE_MS } from '../lib/receipts';

/** The server closes a socket after 2,000 frames in 10 s: 200 frames/s per socket. */
const MAX_FRAMES_PER_SOCKET_PER_S = 200;

/**
 * Frames a socket sends per second at `perClient` messages/s: with receipts also a read
 * marker per message of the peer (at most one per frame) and a "received" per 300 ms.
 */
function framesPerSocket(perClient: number, receipts: boolean): number {
  if (!receipts) return perClient;
  return perClient + Math.min(perClient, 1000 / READ_FRAME_MS) + 1000 / RECEIVED_DEBOUNCE_MS;
}

/** The highest per-socket message rate under the frame limit (`framesPerSocket` inverted). */
function maxPerClient(receipts: boolean): number {
  if (!receipts) return MAX_FRAMES_PER_SOCKET_PER_S;
  const rest = MAX_FRAMES_PER_SOCKET_PER_S - 1000 / RECEIVED_DEBOUNCE_MS;
  return Math.max(rest / 2, rest - 1000 / READ_FRAME_MS);
}

export async function ramp(ctx: Context): Promise<ScenarioResult> {
  const { smoke } = ctx.opts;
  const pairsN = ctx.opts.pairs?.[0] ?? (smoke ? 5 : 50);
  const rates =
    ctx.opts.rates ??
    (smoke
      ? [100, 200]
      : [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000, 14000, 16000, 18000]);
  const stepMs = (ctx.opts.durationS ?? (smoke ? 1 : 5)) * 1000;
  const result: ScenarioResult = {
    scenario: 'ramp',
    rows: [],
    columns: [
      ...(ctx.opts.cluster ? ['mode'] : []),
      'step',
      'target msg/s',
      'delivered msg/s',
      'lost',
      'p50 ms',
      'p99 ms',
      'max ms',
      'stored p99 ms',
      'gen lag p99 ms',
      'server CPU %',
      'server µs/msg',
      'server sys %',
      'gen CPU %',
      'other CPU %',
      'events/s',
      'closes',
      'held',
      ...clusterColumns(ctx),
    ],
    targets: [],
    notes: [
      `${pairsN} pairs per step (fresh pairs each step), ${stepMs / 1000} s per step; a step holds when nothing is lost, p99 ≤ 100 ms and no socket was closed. "gen lag" is how late the generator pushed against its schedule: when it grows, the generator, not the server, is the limit.`,
      `The server's per-socket limit of 2,000 frames per 10 s caps this scenario at ${round(maxPerClient(ctx.opts.receipts) * 2 * pairsN)} msg/s with ${pairsN} pairs${ctx.opts.receipts ? ' (each socket also sends its read markers and receipts)' : ''}.`,
    ],
    profiles: [],
  };
  if (ctx.opts.cluster) result.notes.push(CLUSTER_NOTE);
  for (const processes of ctx.modes) {
    try {
      await rampOne(ctx, result, processes, pairsN, rates, stepMs);
    } catch (e) {
      // Keep the other modes' rows; the run still fails (run.ts counts `failed`).
      if (ctx.modes.length === 1) throw e;
      const why = `${processes === 0 ? 'embedded' : `cluster ${processes}`}: ${errorText(e).split('\n')[0]}`;
      ctx.log(`ramp ${why}`);
      (result.failed ??= []).push(why);
    }
  }
  return result;
}

/** One ramp against the embedded server (`processes` 0) or a cluster of `processes`. */
async function rampOne(
  ctx: Context,
  result: ScenarioResult,
  processes: number,
  pairsN: number,
  rates: number[],
  stepMs: number,
): Promise<void> {
  const { smoke } = ctx.opts;
  // Each step's sockets and event streams; the previous step's are closed before it.
  const server = await ctx.startTarget('ramp', processes, 4 * pairsN);
  const mode = server.mode;
  // Targets and profile titles name the mode only when a cluster is in the run.
  const tag = ctx.opts.cluster ? ` (${mode})` : '';
  const pool = new WorkerPool(ctx.opts.workers);
  let lastHeld: RateRun | null = null;
  let firstFailed: RateRun | null = null;
  let at1000: RateRun | null = null;
  try {
    await pool.all({ op: 'init', origin: server.origin, wsBase: server.wsBase });
    for (const [i, rate] of rates.entries()) {
      const perClient = rate / (2 * pairsN);
      if (framesPerSocket(perClient, ctx.opts.receipts) > MAX_FRAMES_PER_SOCKET_PER_S * 0.95) {
        result.notes.push(
          `Stopped before ${rate} msg/s: above the server's per-socket frame limit.`,
        );
        break;
      }
      const pairs = await makePairs(server.origin, pairsN);
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
      await settle(smoke ? 100 : 500);
      ctx.log(`ramp${tag} step ${i + 1}: ${rate} msg/s for ${stepMs / 1000} s`);
      const run = await rateWindow(ctx, pool, server, {
        perClientRate: perClient,
        sockets: conn.sockets,
        durationMs: stepMs,
        drainMs: 2000,
        profileName: ctx.opts.profile ? `ramp-${rate}` : null,
      });
      await pool.all({ op: 'close' });
      const held =
        run.lost === 0 &&
        run.latency.p99 <= 100 &&
        Object.keys(run.closes).length === 0 &&
        run.sent > 0;
      result.rows.push({ mode, step: i + 1, ...rateCells(run), held: held ? 'yes' : 'no' });
      if (rate === 1000) at1000 = run;
      if (run.profile)
        result.profiles.push({ title: `ramp ${rate} msg/s${tag}`, summary: run.profile });
      if (held) lastHeld = run;
      else {
        firstFailed = run;
        break;
      }
      await settle(smoke ? 100 : 1000);
    }
  } finally {
    await pool.terminate();
    await server.stop();
  }
  // Keep only the profiles of the last step that held and the one that failed.
  result.profiles = result.profiles.filter(
    (p) =>
      !p.title.endsWith(`msg/s${tag}`) ||
      p.title === `ramp ${lastHeld?.targetRate} msg/s${tag}` ||
      p.title === `ramp ${firstFailed?.targetRate} msg/s${tag}`,
  );
  const held = lastHeld ? round(lastHeld.targetRate) : 0;
  result.targets.push({
    target: `ramp${tag}: p99 ≤ 100 ms with no loss up to ≥ 5,000 msg/s`,
    reached: lastHeld
      ? `held ${held} msg/s (p99 ${round(lastHeld.latency.p99)} ms)${
          firstFailed
            ? `; ${round(firstFailed.targetRate)} msg/s failed (p99 ${round(firstFailed.latency.p99)} ms, ${firstFailed.lost} lost)`
            : ''
        }`
      : 'no step held',
    met: smoke ? null : held >= 5000,
  });
  if (at1000) {
    result.targets.push({
      target: `≤ 100 µs server CPU per delivered message at 1,000 msg/s${tag}`,
      reached: `${round(at1000.serverUsPerMsg)} µs (${round(at1000.serverCpuPct)}% of a core)`,
      met: at1000.serverUsPerMsg <= 100,
    });
  }
  if (lastHeld) {
    const ceiling = 1e6 / lastHeld.serverUsPerMsg;
    result.notes.push(
      `${tag ? `${mode}: a` : 'A'}t the last held step the server spent ${round(lastHeld.serverUsPerMsg)} µs of CPU per delivered message: one core would saturate near ${round(ceiling)} msg/s.`,
    );
  }
}
