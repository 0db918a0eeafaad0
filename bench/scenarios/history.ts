/**
 * history: a conversation of 100,000 messages seeded through the real write path; then,
 * after a restart, the server's cold load of the room, a new client's sync, history pages,
 * the memory the loaded room holds and the size on disk.
 */
import type { Context, ScenarioResult } from '../lib/context';
import { getConversation, historyPage, openConversation, register, runTag } from '../lib/http';
import { providerSync } from '../lib/provider';
import { seedConversation } from '../lib/seed';
import { SyncClient } from '../lib/sync-client';
import { dist, round } from '../lib/util';
import { summarizeProfile } from '../lib/profile';

export async function history(ctx: Context): Promise<ScenarioResult> {
  const { smoke } = ctx.opts;
  const total = ctx.opts.messages ?? (smoke ? 2000 : 100_000);
  const turn = ctx.opts.turn ?? 5;
  const pages = smoke ? 20 : 200;
  const syncRuns = smoke ? 1 : 3;
  const result: ScenarioResult = {
    scenario: 'history',
    rows: [],
    columns: ['metric', 'value', 'unit', 'note'],
    targets: [],
    notes: [
      `Seeded with ${turn} messages per author turn (one Yjs update, one item per turn, authors alternating), each turn acknowledged before the next. Cold load = socket open to the server's first sync frame right after a restart (the room loads synchronously in between).`,
    ],
    profiles: [],
  };
  const row = (metric: string, value: number | string, unit: string, note = ''): void => {
    result.rows.push({
      metric,
      value: typeof value === 'number' ? round(value) : value,
      unit,
      note,
    });
  };
  let server = await ctx.startServer('history');
  try {
    const tag = runTag();
    const a = await register(server.origin, `${tag}-a`);
    const b = await register(server.origin, `${tag}-b`);
    const conv = await openConversation(server.origin, a, b.user.id);
    ctx.log(`history: seeding ${total} messages, ${turn} per turn`);
    const seed = await seedConversation(server, [a, b], conv.doc, total, turn, 4, (done) =>
      ctx.log(`history: ${done} seeded`),
    );
    row(
      'seeded',
      seed.messages,
      'messages',
      `${seed.frames} updates in ${round(seed.ms / 1000)} s`,
    );
    row('seeding rate', seed.messages / (seed.ms / 1000), 'msg/s', 'serial turns, each acked');
    row(
      'documents (epochs)',
      seed.docs.length,
      'documents',
      seed.docs.length > 1
        ? `the server sealed ${seed.docs.length - 1} (EPOCH_MESSAGES ${ctx.opts.epochMessages ?? 10_000}); the live one holds the newest messages`
        : 'one document holds every message',
    );
    row(
      'server CPU per seeded message',
      (seed.serverCpuMs * 1000) / seed.messages,
      'µs',
      `${round((seed.serverCpuMs * 1000) / seed.frames)} µs per update`,
    );
    // Let the room unload (compaction) and the server shut down cleanly.
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();
    const disk = server.dbBytes();
    row(
      'database on disk',
      (disk.db + disk.wal) / 2 ** 20,
      'MB',
      `parley.db ${round(disk.db / 2 ** 20)} MB + WAL ${round(disk.wal / 2 ** 20)} MB, after a clean shutdown`,
    );
    const diskMb = (disk.db + disk.wal) / 2 ** 20;

    server = await server.restart();
    const live = await getConversation(server.origin, a, conv.id);
    // With epochs, measure the largest document a room ever holds: the last sealed one (a live
    // document one message before it is sealed is the same size). Without, the only one.
    const target = seed.docs.length > 1 ? seed.docs[seed.docs.length - 2]! : live.doc;
    if (live.doc !== conv.doc)
      result.notes.push(
        `Epochs: the conversation's messages are in ${seed.docs.length} documents; the live one is ${live.doc}. Room load, first sync, memory and new-client sync are measured on ${target}, the largest document a room holds (a full epoch; the live document just before it is sealed).`,
      );
    const before = await server.gc();
    if (ctx.opts.profile) await server.profileStart();
    const cpu0 = server.cpuMs();
    const cold = new SyncClient({
      wsBase: server.wsBase,
      origin: server.origin,
      doc: target,
      cookie: a.cookie,
      userId: a.user.id,
      withDoc: false,
      awareness: false,
    });
    await cold.connect(60_000);
    const coldCpuMs = server.cpuMs() - cpu0;
    if (ctx.opts.profile) {
      const file = ctx.profileFile('history-cold');
      await server.profileStop(file);
      result.profiles.push({
        title: 'history: cold room load + first sync',
        summary: summarizeProfile(file),
      });
    }
    const loadMs = cold.tFirstFrame - cold.tOpen;
    row(
      'cold room load',
      loadMs,
      'ms',
      'socket open → first sync frame, first connection after restart',
    );
    row(
      'cold first sync (no Y.Doc)',
      cold.tSynced - cold.tStart,
      'ms',
      `upgrade → server's sync step 2; server CPU ${round(coldCpuMs)} ms`,
    );
    const loaded = await server.gc();
    const roomRssMb = (loaded.rssKb - before.rssKb) / 1024;
    const roomHeapMb =
      (loaded.heapUsedKb + loaded.externalKb - before.heapUsedKb - before.externalKb) / 1024;
    row('loaded room, RSS', roomRssMb, 'MB', 'after full GC, minus the same before loading');
    row('loaded room, JS heap + external', roomHeapMb, 'MB');

    const warm = new SyncClient({
      wsBase: server.wsBase,
      origin: server.origin,
      doc: target,
      cookie: b.cookie,
      userId: b.user.id,
      withDoc: false,
      awareness: false,
    });
    await warm.connect(60_000);
    row(
      'warm room, open → first frame',
      warm.tFirstFrame - warm.tOpen,
      'ms',
      'baseline for the cold load',
    );
    warm.close();

    const syncs = [];
    for (let i = 0; i < syncRuns; i++) {
      syncs.push(await providerSync(server.wsBase, server.origin, target, b.cookie));
    }
    const syncMs = dist(syncs.map((s) => s.ms));
    const s0 = syncs[0]!;
    row(
      'new client sync (y-websocket provider)',
      syncMs.p50,
      'ms',
      `median of ${syncRuns}; ${s0.messages} messages, ${round(s0.bytesIn / 2 ** 20)} MB received`,
    );

    if (seed.docs.length > 1) {
      // Scrolling back past the live document: a client fetches the previous sealed one.
      const epoch = seed.docs.length - 2;
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < syncRuns; i++) {
        const t = performance.now();
        const res = await fetch(`${server.origin}/api/conversations/${conv.id}/epochs/${epoch}`, {
          headers: { Cookie: a.cookie },
        });
        const buf = await res.arrayBuffer();
        if (!res.ok) throw new Error(`GET epochs/${epoch}: ${res.status}`);
        bytes = buf.byteLength;
        times.push(performance.now() - t);
      }
      row(
        'sealed document fetch (scroll-back)',
        dist(times).p50,
        'ms',
        `median of ${syncRuns}; GET /api/conversations/<id>/epochs/${epoch}, ${round(bytes / 2 ** 20)} MB`,
      );
    }

    // Cursors in the server's order, (at, id): messages seeded in the same millisecond sort
    // by id, so the first one seeded need not be the oldest. Never the oldest: its page is empty.
    const order = Array.from({ length: total }, (_, i) => i).sort(
      (x, y) =>
        seed.ats[x]! - seed.ats[y]! ||
        (seed.ids[x]! < seed.ids[y]! ? -1 : seed.ids[x]! > seed.ids[y]! ? 1 : 0),
    );
    const cursors = Array.from({ length: pages }, () => {
      const i = order[1 + Math.floor(Math.random() * (total - 1))]!;
      return `${seed.ats[i]}.${seed.ids[i]}`;
    });
    await historyPage(server.origin, a, conv.id, 50, null); // warm-up
    const pageMs: number[] = [];
    if (ctx.opts.profile) await server.profileStart();
    const pcpu0 = server.cpuMs();
    for (const c of cursors) {
      const t = performance.now();
      const page = await historyPage(server.origin, a, conv.id, 50, c);
      pageMs.push(performance.now() - t);
      if (page.messages.length === 0) throw new Error(`empty history page before ${c}`);
    }
    const pcpu = server.cpuMs() - pcpu0;
    if (ctx.opts.profile) {
      const file = ctx.profileFile('history-pages');
      await server.profileStop(file);
      result.profiles.push({ title: 'history: pages', summary: summarizeProfile(file) });
    }
    const pd = dist(pageMs);
    row('history page p50', pd.p50, 'ms', `${pages} random pages of 50, client-side`);
    row('history page p99', pd.p99, 'ms', `server CPU ${round((pcpu * 1000) / pages)} µs per page`);
    cold.close();

    result.targets.push(
      {
        target: 'history: room loads in < 250 ms',
        reached: `${round(loadMs)} ms`,
        met: smoke ? null : loadMs < 250,
      },
      {
        target: 'history: new client syncs in < 1 s',
        reached: `${round(syncMs.p50)} ms (${s0.messages} messages)`,
        met: smoke ? null : syncMs.p50 < 1000,
      },
      {
        target: 'history: page p99 < 5 ms',
        reached: `${round(pd.p99)} ms`,
        met: smoke ? null : pd.p99 < 5,
      },
      {
        target: 'history: loaded room < 50 MB',
        reached: `${round(roomRssMb)} MB RSS, ${round(roomHeapMb)} MB heap`,
        met: smoke ? null : roomRssMb < 50,
      },
      {
        target: 'history: size on disk (reported)',
        reached: `${round(diskMb)} MB for ${total} messages`,
        met: null,
      },
    );
  } finally {
    await server.stop();
  }
  return result;
}
