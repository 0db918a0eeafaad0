/**
 * An event-loop watchdog: while a hostile user sends the largest valid updates at the rate
 * the byte budgets allow, floods sync step 1, and holds a socket that never reads, the
 * server (a child process, measured from outside) keeps answering /healthz quickly, its
 * memory stays bounded, the never-reading socket is dropped and honest users keep talking.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { TestClient, waitFor } from '../helpers/client';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server';
import { CloseCode, MessageType } from '../../shared/protocol';
import { newMessageId } from '../../shared/schema';

const dir = mkdtempSync(join(tmpdir(), 'parley-limits-'));
let child: ChildServer | null = null;
afterAll(() => {
  child?.proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function syncFrame(sub: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** A sync step 1 with an empty state vector: "send me the whole document". */
const step1 = syncFrame(0, Y.encodeStateVector(new Map()));

/** The resident set of a process, in MB, from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** One valid update of `count` messages of ~3,900 characters from a fresh client id (~1.6 MB). */
function bigUpdate(from: string, count: number): Uint8Array {
  const doc = new Y.Doc();
  const text = 'x'.repeat(3900);
  const at = Date.now();
  doc
    .getArray('messages')
    .push([...Array(count).keys()].map((i) => ({ id: newMessageId(at + i), from, text, at })));
  return Y.encodeStateAsUpdate(doc);
}

function open(url: string, client: TestClient): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { Origin: client.origin, Cookie: client.cookie ?? '' },
    });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

const closed = (ws: WebSocket): Promise<number> =>
  ws.readyState === ws.CLOSED
    ? Promise.resolve(1006)
    : new Promise((resolve) => ws.once('close', (code) => resolve(code)));

describe('resource limits', () => {
  it('keeps the event loop and memory bounded under a hostile client while honest ones keep talking', async () => {
    const port = await freePort();
    child = await startChildServer(port, dir);
    const pid = child.proc.pid!;
    const wsUrl = `ws://127.0.0.1:${port}/sync`;
    const alice = new TestClient(child.origin);
    const bob = new TestClient(child.origin);
    const mallory = new TestClient(child.origin);
    await alice.register('alice@example.com', 'Alice');
    await bob.register('bob@example.com', 'Bob');
    await mallory.register('mallory@example.com', 'Mallory');
    const honest = await alice.open(bob.user!.id);
    const hostile = await mallory.open(alice.user!.id);
    const hostileUrl = `${wsUrl}/${hostile.doc}`;
    const a = await alice.connect(wsUrl, honest.doc);
    const b = await bob.connect(wsUrl, honest.doc);
    // ~10 s of attack: enough /healthz polls (~400) for a p99 that is not simply the maximum.
    const updates = [...Array(9).keys()].map(() => bigUpdate(mallory.user!.id, 400));

    const baseline = rssMb(pid);
    let peak = baseline;
    const latencies: number[] = [];
    let attacking = true;
    const watchdog = (async () => {
      while (attacking) {
        const t0 = performance.now();
        await fetch(`${child.origin}/healthz`).then((r) => r.text());
        latencies.push(performance.now() - t0);
        peak = Math.max(peak, rssMb(pid));
        await sleep(20);
      }
    })();

    // A socket that never reads, asking for the whole document again and again.
    const stalled = await open(hostileUrl, mallory);
    const stalledClosed = closed(stalled);
    // `ws` exposes no pause; its net.Socket is what must stop reading.
    (stalled as unknown as { _socket: Socket })._socket.pause();
    const stall = (async () => {
      for (let i = 0; i < 60 && stalled.readyState === stalled.OPEN; i++) {
        stalled.send(step1);
        await sleep(150);
      }
    })();

    // The largest valid updates, as fast as the byte budgets let them in.
    const refused: number[] = [];
    const flood = (async () => {
      let ws = await open(hostileUrl, mallory);
      ws.once('close', (code) => refused.push(code));
      for (const u of updates) {
        if (ws.readyState !== ws.OPEN) {
          ws = await open(hostileUrl, mallory);
          ws.once('close', (code) => refused.push(code));
        }
        ws.send(syncFrame(2, u));
        await sleep(1100);
      }
      ws.close();
    })();

    // Sync step 1 floods on sockets that do read, reconnecting after each 1013.
    const floodCodes: number[] = [];
    const step1Flood = (async () => {
      for (let round = 0; round < 4; round++) {
        await sleep(1500); // after the first big update: a step-1 flood of an empty doc costs nothing
        const ws = await open(hostileUrl, mallory);
        const done = closed(ws);
        for (let i = 0; i < 300 && ws.readyState === ws.OPEN; i++) ws.send(step1);
        floodCodes.push(await Promise.race([done, sleep(8000).then(() => 0)]));
        ws.terminate();
      }
    })();

    // Honest traffic during the attack.
    const during: string[] = [];
    for (let i = 0; i < 20; i++) {
      during.push(a.send(alice.user!.id, `during ${i}`).text);
      await sleep(500);
    }
    await Promise.all([stall, flood, step1Flood]);
    const barrier = a.send(alice.user!.id, 'barrier').text;
    await waitFor(() => b.texts().includes(barrier), 20_000, 'the honest barrier message');
    attacking = false;
    await watchdog;

    // The never-reading socket was dropped: once it reads again it learns it is closed.
    (stalled as unknown as { _socket: Socket })._socket.resume();
    const stalledCode = await Promise.race([stalledClosed, sleep(10_000).then(() => 0)]);

    const sorted = [...latencies].sort((x, y) => x - y);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
    console.log(
      `[measure] /healthz under attack: ${latencies.length} polls, p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms; server RSS baseline ${baseline.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (+${(peak - baseline).toFixed(0)} MB); stalled socket closed with ${stalledCode}; step-1 floods closed with ${floodCodes.join(',')}; big-update sockets closed with ${refused.join(',')}`,
    );
    expect(stalledCode).not.toBe(0);
    // 1013 (budget), or 1006 when the socket's own backlog was over the limit then (dropped).
    expect(floodCodes.every((c) => c === CloseCode.tryAgainLater || c === 1006)).toBe(true);
    expect(refused).toContain(CloseCode.tryAgainLater); // the incoming byte budget
    expect(b.texts()).toEqual(expect.arrayContaining(during));
    expect(p99).toBeLessThan(250);
    expect(peak - baseline).toBeLessThan(300);
    a.destroy();
    b.destroy();
  }, 120_000);
});
