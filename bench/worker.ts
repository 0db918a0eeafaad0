/**
 * A load-generating worker thread: owns a set of sockets (whole pairs, so that sender and
 * receiver share one clock), opens them, sends on a schedule and measures deliveries.
 */
import { parentPort } from 'node:worker_threads';
import { SyncClient } from './lib/sync-client';
import { EventStream } from './lib/event-stream';
import type { ConnSpec, RateResult, WorkerCommand, WorkerReply } from './lib/protocol';
import type { ChatMessage } from '../shared/schema';
import { Samples, errorText, mapLimit, nowMs, sleep } from './lib/util';

const port = parentPort;
if (!port) throw new Error('bench/worker.ts must run in a worker thread');

let origin = '';
let wsBase = '';

interface Conn {
  spec: ConnSpec;
  client: SyncClient;
  sent: number;
  received: number;
  /** [clock after push, push time] awaiting the server's ack. */
  pendingAck: number[];
}

let conns: Conn[] = [];
let streams: EventStream[] = [];
const latency = new Samples(1 << 16);
const stored = new Samples(1 << 16);
const lag = new Samples(1 << 16);
let measuring = false;

function onRemote(conn: Conn, m: ChatMessage, now: number): void {
  if (!m.text.startsWith('bench ')) return;
  const sentAt = Number(m.text.split(' ', 3)[2]);
  conn.received++;
  if (measuring) latency.push(now - sentAt);
}

function onAck(conn: Conn, clock: number, now: number): void {
  const q = conn.pendingAck;
  let i = 0;
  while (i < q.length && q[i]! <= clock) {
    if (measuring) stored.push(now - q[i + 1]!);
    i += 2;
  }
  if (i > 0) q.splice(0, i);
}

async function connect(cmd: Extract<WorkerCommand, { op: 'connect' }>): Promise<WorkerReply> {
  const errors: string[] = [];
  let failed = 0;
  let streamsFailed = 0;
  const handshake = new Samples(cmd.conns.length);
  const base = conns.length;
  const fresh: Conn[] = cmd.conns.map((spec) => {
    const conn: Conn = {
      spec: { ...spec, peer: spec.peer === null ? null : spec.peer + base },
      sent: 0,
      received: 0,
      pendingAck: [],
      client: null as unknown as SyncClient, // assigned just below
    };
    conn.client = new SyncClient({
      wsBase,
      origin,
      doc: spec.doc,
      cookie: spec.cookie,
      userId: spec.userId,
      withDoc: cmd.withDoc,
      awareness: cmd.awareness,
      receipts: cmd.receipts,
      onRemote: cmd.withDoc ? (m, now) => onRemote(conn, m, now) : undefined,
      onAck: cmd.withDoc ? (clock, now) => onAck(conn, clock, now) : undefined,
    });
    return conn;
  });
  conns.push(...fresh);
  const wanted = cmd.conns.filter((c) => c.events);
  const opened = await mapLimit(wanted, cmd.concurrency, async (spec) => {
    const s = new EventStream();
    try {
      await s.open(origin, spec.cookie);
      return s;
    } catch (e) {
      streamsFailed++;
      if (errors.length < 5) errors.push(`event stream: ${errorText(e).split('\n')[0] ?? ''}`);
      return null;
    }
  });
  for (const s of opened) if (s) streams.push(s);
  const firstStart = nowMs();
  let lastSynced = firstStart;
  await mapLimit(fresh, cmd.concurrency, async (conn) => {
    try {
      await conn.client.connect();
      handshake.push(conn.client.tSynced - conn.client.tStart);
      lastSynced = Math.max(lastSynced, conn.client.tSynced);
    } catch (e) {
      failed++;
      if (errors.length < 5) errors.push(errorText(e).split('\n')[0] ?? '');
    }
  });
  return {
    ok: true,
    op: 'connect',
    connected: fresh.length - failed,
    failed: failed + streamsFailed,
    streams: wanted.length - streamsFailed,
    errors,
    handshakeMs: handshake.take(),
    firstStart,
    lastSynced,
  };
}

async function rate(cmd: Extract<WorkerCommand, { op: 'rate' }>): Promise<WorkerReply> {
  const senders = conns.filter((c) => c.client.doc && c.client.open);
  for (const c of conns) {
    c.sent = 0;
    c.received = 0;
    c.pendingAck = [];
  }
  latency.clear();
  stored.clear();
  lag.clear();
  const events0 = streams.reduce((a, s) => a + s.events, 0);
  const n = senders.length;
  // Each socket sends every `period` ms at its own random phase: a steady, unsynchronized load.
  const period = 1000 / cmd.perClientRate;
  const order = senders.map((c) => ({ c, phase: Math.random() })).sort((a, b) => a.phase - b.phase);
  const end = cmd.startAt + cmd.durationMs;
  const pad = 'x'.repeat(Math.max(0, cmd.textChars - 36));
  let j = 0;
  const scheduled = (k: number): number =>
    cmd.startAt + (Math.floor(k / n) + order[k % n]!.phase) * period;
  measuring = true;
  if (n > 0) {
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        let now = nowMs();
        for (;;) {
          const at = scheduled(j);
          if (at >= end) return resolve();
          if (at > now) break;
          const conn = order[j % n]!.c;
          j++;
          if (!conn.client.open) continue;
          const t = nowMs();
          lag.push(t - at);
          const clock = conn.client.sendMessage(`bench ${conn.sent} ${t.toFixed(3)} ${pad}`);
          conn.sent++;
          conn.pendingAck.push(clock, t);
          now = nowMs();
        }
        setTimeout(tick, Math.max(0, scheduled(j) - nowMs()));
      };
      setTimeout(tick, Math.max(0, cmd.startAt - nowMs()));
    });
  }
  const delivered = (): boolean =>
    conns.every((c) => c.spec.peer === null || c.received >= conns[c.spec.peer]!.sent);
  const drainEnd = Date.now() + cmd.drainMs;
  while (!delivered() && Date.now() < drainEnd) await sleep(5);
  // Acks trail deliveries slightly; give them a moment without extending the window much.
  const ackEnd = Date.now() + Math.min(500, cmd.drainMs);
  while (conns.some((c) => c.pendingAck.length > 0 && c.client.open) && Date.now() < ackEnd)
    await sleep(5);
  measuring = false;
  let sent = 0;
  let received = 0;
  let lost = 0;
  let duplicated = 0;
  const closes: Record<string, number> = {};
  for (const c of conns) {
    sent += c.sent;
    received += c.received;
    if (c.spec.peer !== null) {
      const expected = conns[c.spec.peer]!.sent;
      lost += Math.max(0, expected - c.received);
      duplicated += Math.max(0, c.received - expected);
    }
    if (c.client.closeCode !== null) {
      const k = String(c.client.closeCode);
      closes[k] = (closes[k] ?? 0) + 1;
    }
  }
  const result: RateResult = {
    sent,
    received,
    lost,
    duplicated,
    latencyMs: latency.take(),
    storedMs: stored.take(),
    lagMs: lag.take(),
    closes,
    events: streams.reduce((a, s) => a + s.events, 0) - events0,
  };
  return { ok: true, op: 'rate', ...result };
}

async function closeAll(): Promise<WorkerReply> {
  const all = conns;
  conns = [];
  for (const s of streams) s.close();
  streams = [];
  for (const c of all) c.client.close();
  await Promise.all(all.map((c) => c.client.closed()));
  for (const c of all) c.client.destroy();
  return { ok: true, op: 'close' };
}

async function handle(cmd: WorkerCommand): Promise<WorkerReply> {
  switch (cmd.op) {
    case 'init':
      origin = cmd.origin;
      wsBase = cmd.wsBase;
      return { ok: true, op: 'init' };
    case 'connect':
      return connect(cmd);
    case 'rate':
      return rate(cmd);
    case 'close':
      return closeAll();
  }
}

port.on('message', (cmd: WorkerCommand) => {
  handle(cmd)
    .then((reply) => {
      const transfer: ArrayBuffer[] = [];
      for (const v of Object.values(reply)) {
        if (v instanceof Float64Array) transfer.push(v.buffer as ArrayBuffer);
      }
      port.postMessage(reply, transfer);
    })
    .catch((e: unknown) => port.postMessage({ ok: false, op: cmd.op, error: errorText(e) }));
});
