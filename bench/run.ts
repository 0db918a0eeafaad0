/**
 * Parley's benchmark suite: `npm run bench -- [scenario...] [options]`.
 * Scenarios: steady, ramp, idle, history, client, docsize, search, attach, push (default: all, in
 * that order).
 * See docs/benchmarks.md for what each measures and how to read the results.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Context as Ctx, Options, ScenarioResult } from './lib/context';
import { Context } from './lib/context';
import { REPO_ROOT } from './lib/server';
import { machineInfo, scenarioMarkdown, writeResults, type ScenarioRecord } from './lib/report';
import { errorText } from './lib/util';
import { steady } from './scenarios/steady';
import { ramp } from './scenarios/ramp';
import { idle } from './scenarios/idle';
import { history } from './scenarios/history';
import { client } from './scenarios/client';
import { docsize } from './scenarios/docsize';
import { search } from './scenarios/search';
import { attach } from './scenarios/attach';
import { push } from './scenarios/push';

const SCENARIOS: Record<string, (ctx: Ctx) => Promise<ScenarioResult>> = {
  steady,
  ramp,
  idle,
  history,
  client,
  docsize,
  search,
  attach,
  push,
};

const HELP = `usage: npm run bench -- [scenario...] [options]
scenarios: ${Object.keys(SCENARIOS).join(', ')} (default: all)
  attach: 10 concurrent uploads of 25 MB, then downloads (peak server RSS), and a photo's
          thumbnail (made once); push: every recipient away with a push subscription, the
          pushes received in this process (latency, CPU per push, loss)
options:
  --smoke            tiny sizes, a few seconds per scenario (CI); results go to bench/tmp
  --pairs N[,N]      steady: pair counts (default 100,1000,2500); push: pairs (default 100)
  --rates R[,R]      ramp: total msg/s steps (default 1000..18000); push: total msg/s (1000)
  --conns N[,N]      idle: connection counts (default 1000,5000,10000)
  --messages N       history, search: messages to seed (default 100000); client: 10000
  --turn N           history: messages per author turn when seeding (default 5)
  --epoch N          the server's EPOCH_MESSAGES (default: the server's, 10000); history
                     with --epoch 1000000 measures one ever-growing document
  --duration S       steady: seconds of sending (default 30); ramp: seconds per step (5);
                     push: seconds of sending (20)
  --cluster N[,N]    steady, ramp, search: run against N processes in cluster mode (fresh PostgreSQL
                     database and Redis prefix, nginx in front); 0 = the embedded server,
                     so --cluster 0,2 measures both in one run. Needs PostgreSQL, Redis, nginx
  --workers N        load-generating worker threads (default: number of CPUs)
  --profile          CPU-profile the server over each measured window (also BENCH_CPU_PROF=1)
  --keep             keep the data directories under bench/tmp
  --no-events        users do not open their event stream (GET /api/events)
  --no-receipts      steady, ramp: sockets send no delivery receipts (101) and no read
                     markers (by default they do, as the client with the chat open does)
  --out DIR          results directory (default bench/results; bench/tmp/smoke-results with --smoke)`;

/**
 * The results key: a cluster run of a rate scenario is its own section, so that it does not
 * replace the day's embedded figures.
 */
function recordName(name: string, opts: Options): string {
  const rate = name === 'steady' || name === 'ramp';
  if (!rate || !opts.cluster || opts.cluster.join(',') === '0') return name;
  return `${name} --cluster ${opts.cluster.join(',')}`;
}

function list(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const out = v.split(',').map((x) => Number(x.trim()));
  if (out.some((x) => !Number.isFinite(x) || x <= 0)) throw new Error(`bad number list: ${v}`);
  return out;
}

function num(v: string | undefined): number | undefined {
  return list(v)?.[0];
}

/** `--cluster 0,2`: whole process counts, 0 (embedded) allowed. */
function processCounts(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const out = v.split(',').map((x) => Number(x.trim()));
  if (out.length === 0 || out.some((x) => !Number.isInteger(x) || x < 0 || x > 16))
    throw new Error(`bad --cluster list (process counts 0..16, 0 = embedded): ${v}`);
  return out;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      smoke: { type: 'boolean', default: false },
      pairs: { type: 'string' },
      rates: { type: 'string' },
      conns: { type: 'string' },
      messages: { type: 'string' },
      turn: { type: 'string' },
      epoch: { type: 'string' },
      duration: { type: 'string' },
      workers: { type: 'string' },
      cluster: { type: 'string' },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'no-events': { type: 'boolean', default: false },
      'no-receipts': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const names =
    positionals.length === 0 || positionals.includes('all') ? Object.keys(SCENARIOS) : positionals;
  for (const n of names) {
    if (!SCENARIOS[n]) {
      console.error(`unknown scenario "${n}"\n\n${HELP}`);
      return 2;
    }
  }
  const opts: Options = {
    smoke: values.smoke,
    workers: num(values.workers) ?? Math.max(1, Math.min(4, cpus().length)),
    profile: values.profile || process.env.BENCH_CPU_PROF === '1',
    keep: values.keep,
    events: !values['no-events'],
    receipts: !values['no-receipts'],
    pairs: list(values.pairs),
    rates: list(values.rates),
    conns: list(values.conns),
    messages: num(values.messages),
    turn: num(values.turn),
    epochMessages: num(values.epoch),
    durationS: num(values.duration),
    cluster: processCounts(values.cluster),
  };
  const shown = process.argv.slice(2).filter((a) => !(opts.smoke && a === '--smoke'));
  const command = `npm run ${opts.smoke ? 'bench:smoke' : 'bench'}${
    shown.length > 0 ? ` -- ${shown.join(' ')}` : ''
  }`;
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const ctx = new Context(opts, runId);
  const records: ScenarioRecord[] = [];
  let failures = 0;
  for (const name of names) {
    const started = new Date();
    const machine = machineInfo();
    ctx.log(`scenario ${name} starting`);
    let record: ScenarioRecord;
    try {
      // A watchdog, so that a hung server or browser fails the run instead of stalling CI.
      const limitMs = (opts.smoke ? 3 : 40) * 60_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const r = await Promise.race([
        SCENARIOS[name]!(ctx),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new Error(`scenario ${name} did not finish within ${limitMs / 60_000} min`)),
            limitMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      record = {
        ...r,
        scenario: recordName(name, opts),
        command,
        startedAt: started.toISOString(),
        durationS: Math.round((Date.now() - started.getTime()) / 100) / 10,
        machine,
      };
      if (r.failed && r.failed.length > 0) {
        failures++;
        record.error = r.failed.join('; ');
        ctx.log(`scenario ${name} FAILED in part: ${record.error}`);
      }
    } catch (e) {
      failures++;
      ctx.log(`scenario ${name} FAILED: ${errorText(e)}`);
      record = {
        scenario: recordName(name, opts),
        rows: [],
        columns: [],
        targets: [],
        notes: [],
        profiles: [],
        error: errorText(e).split('\n')[0] ?? 'error',
        command,
        startedAt: started.toISOString(),
        durationS: Math.round((Date.now() - started.getTime()) / 100) / 10,
        machine,
      };
    }
    records.push(record);
    console.log(scenarioMarkdown(record).join('\n'));
  }
  const outDir =
    values.out ?? join(REPO_ROOT, opts.smoke ? 'bench/tmp/smoke-results' : 'bench/results');
  const files = writeResults(outDir, records);
  ctx.log(`results: ${files.json}, ${files.md}`);
  ctx.cleanup();
  if (failures > 0) ctx.log(`${failures} scenario(s) failed`);
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(errorText(e));
    process.exit(1);
  },
);
