/**
 * search: `GET /api/search` latency over a large history. One user has conversations with
 * several people holding `--messages` messages in all (default 100,000), seeded through the
 * real write path with texts drawn from word sets of known frequency; then each kind of
 * query (a word in every message, in half, in 10 %, in 1 %, a rare one, two words, a short
 * prefix) is asked many times, one request at a time, and its latency measured end to end
 * (HTTP, session, SQL, snippets, JSON). Issue #16 asks for a p99 under 50 ms.
 */
import pg from 'pg';
import type { Context, ScenarioResult } from '../lib/context';
import { openConversation, register, runTag, type Account } from '../lib/http';
import { seedConversation } from '../lib/seed';
import { dist, errorText, round } from '../lib/util';

/** Deterministic pseudo-random numbers (mulberry32), so every run searches the same texts. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'du', 'fi'];

/**
 * A pronounceable word for number `i`, e.g. "cokalomi": `prefix` and `width` syllables, so
 * that no word of a set begins another (a search word matches words it begins).
 */
function word(i: number, prefix: string, width = 4): string {
  let w = prefix;
  let n = i;
  for (let k = 0; k < width; k++) {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return w;
}

/**
 * Message `n`'s text: "lorem" always; "hello" in half; one of 10 common words (10 % each),
 * one of 100 medium words (1 % each), one of `rare` rare words (about 10 messages each),
 * and a number.
 */
function textFactory(total: number): (n: number) => string {
  const random = rng(12_345);
  const rare = Math.max(1, Math.floor(total / 10));
  return (n) => {
    const parts = ['lorem'];
    if (random() < 0.5) parts.push('hello');
    parts.push(word(Math.floor(random() * 10), 'co'));
    parts.push(word(Math.floor(random() * 100), 'me'));
    parts.push(word(Math.floor(random() * rare), 'ra'));
    parts.push(`number ${n}`);
    return parts.join(' ');
  };
}

export async function search(ctx: Context): Promise<ScenarioResult> {
  const { smoke } = ctx.opts;
  const total = ctx.opts.messages ?? (smoke ? 2000 : 100_000);
  const peers = smoke ? 2 : 10;
  const runs = smoke ? 20 : 200;
  const result: ScenarioResult = {
    scenario: 'search',
    rows: [],
    columns: ['mode', 'query', 'matches', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    targets: [],
    notes: [
      `${total.toLocaleString('en')} messages in ${peers} conversations of one user (all searchable by them), seeded through the sockets. Each query is asked ${runs} times in a row by that user over HTTP (limit 20); latency is request to parsed JSON on the same machine.`,
    ],
    profiles: [],
  };
  for (const processes of ctx.modes) {
    const mode = processes === 0 ? 'embedded (SQLite FTS5)' : `cluster ${processes} (PostgreSQL)`;
    try {
      await measure(ctx, result, processes, mode, { total, peers, runs });
    } catch (e) {
      if (ctx.modes.length === 1) throw e;
      (result.failed ??= []).push(`${mode}: ${errorText(e)}`);
    }
  }
  return result;
}

async function measure(
  ctx: Context,
  result: ScenarioResult,
  processes: number,
  mode: string,
  { total, peers, runs }: { total: number; peers: number; runs: number },
): Promise<void> {
  const { smoke } = ctx.opts;
  const server = await ctx.startTarget('search', processes, 8 * peers + 8);
  try {
    const tag = runTag();
    const me = await register(server.origin, `${tag}-me`);
    const textOf = textFactory(total);
    let offset = 0;
    const seedStart = performance.now();
    for (let p = 0; p < peers; p++) {
      const peer = await register(server.origin, `${tag}-p${p}`);
      const conv = await openConversation(server.origin, me, peer.user.id);
      const n = Math.floor(total / peers) + (p < total % peers ? 1 : 0);
      const base = offset;
      await seedConversation(server, [me, peer], conv.doc, n, 20, 4, undefined, (i) =>
        textOf(base + i),
      );
      offset += n;
      ctx.log(`search: ${offset} of ${total} messages seeded`);
    }
    result.notes.push(`${mode}: seeding took ${round((performance.now() - seedStart) / 1000)} s.`);
    if (server.databaseUrl) {
      // What autovacuum does in a deployment (it may be off on a test server): without
      // statistics the planner cannot tell a rare word from a common one.
      const client = new pg.Client({ connectionString: server.databaseUrl });
      await client.connect();
      try {
        await client.query('ANALYZE');
      } finally {
        await client.end();
      }
      result.notes.push(`${mode}: ANALYZE run after seeding (as autovacuum would).`);
    }

    const queries: [string, string][] = [
      ['a word in every message', 'lorem'],
      ['a word in half', 'hello'],
      ['a word in 10 %', word(3, 'co')],
      ['a word in 1 %', word(42, 'me')],
      ['a rare word (≈10)', word(7, 'ra')],
      ['two words (≈0.1 %)', `${word(3, 'co')} ${word(42, 'me')}`],
      ['a 2-letter prefix of every word', 'lo'],
      ['no match', 'zyzzyva'],
    ];
    let worst = 0;
    for (const [label, q] of queries) {
      const times: number[] = [];
      let matches = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const body = await ask(server.origin, me, q);
        times.push(performance.now() - t0);
        matches = body.results.length;
      }
      const d = dist(times);
      worst = Math.max(worst, d.p99);
      result.rows.push({
        mode,
        query: `${label}: "${q}"`,
        matches: `${matches} shown`,
        'p50 ms': round(d.p50),
        'p95 ms': round(d.p95),
        'p99 ms': round(d.p99),
        'max ms': round(d.max),
      });
    }
    result.targets.push({
      target: `${mode}: search p99 < 50 ms over ${total.toLocaleString('en')} messages (issue #16)`,
      reached: `worst p99 ${round(worst)} ms`,
      met: smoke ? null : worst < 50,
    });
  } finally {
    await server.stop();
  }
}

async function ask(
  origin: string,
  me: Account,
  q: string,
): Promise<{ results: { message: { id: string } }[] }> {
  const res = await fetch(`${origin}/api/search?q=${encodeURIComponent(q)}&limit=20`, {
    headers: { Origin: origin, Cookie: me.cookie },
  });
  if (!res.ok) throw new Error(`search "${q}": ${res.status} ${await res.text()}`);
  return (await res.json()) as { results: { message: { id: string } }[] };
}
