/**
 * Durability of what the server promised: it is killed with SIGKILL mid-burst from two
 * clients, restarted, and BEFORE those clients reconnect (they would resend everything) a
 * new device and the history API must show every message an ack (type 100) had covered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TestClient, waitFor, type Device } from '../helpers/client';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server';
import type { HistoryPage } from '../../shared/api';

const dir = mkdtempSync(join(tmpdir(), 'parley-durable-'));
let child: ChildServer | null = null;
afterAll(() => {
  child?.proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Messages a device wrote, with the clock of each (one push per transaction: one item). */
class Writer {
  readonly sent: { text: string; clock: number }[] = [];
  constructor(
    readonly device: Device,
    readonly userId: string,
  ) {}

  send(text: string): void {
    const clock = Y.getState(this.device.doc.store, this.device.doc.clientID);
    this.device.send(this.userId, text);
    this.sent.push({ text, clock });
  }

  /** The texts the server's acks so far covered. */
  acknowledged(): string[] {
    const acked = this.device.ackedSv.get(this.device.doc.clientID) ?? 0;
    return this.sent.filter((m) => m.clock < acked).map((m) => m.text);
  }
}

async function history(client: TestClient, conversationId: string): Promise<string[]> {
  const texts: string[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&before=${encodeURIComponent(cursor)}` : '';
    const r: { body: HistoryPage } = await client.request<HistoryPage>(
      'GET',
      `/api/conversations/${conversationId}/messages?limit=200${q}`,
    );
    texts.push(...r.body.messages.map((m) => m.text));
    cursor = r.body.next;
  } while (cursor);
  return texts;
}

describe('durability', () => {
  it('has every acknowledged message on disk after a kill -9, before any client resends', async () => {
    const port = await freePort();
    child = await startChildServer(port, dir);
    const alice = new TestClient(child.origin);
    const bob = new TestClient(child.origin);
    await alice.register('alice@example.com', 'Alice');
    await bob.register('bob@example.com', 'Bob');
    const conv = await alice.open(bob.user!.id);
    const wsUrl = `ws://127.0.0.1:${port}/sync`;
    const a = new Writer(await alice.connect(wsUrl, conv.doc), alice.user!.id);
    const b = new Writer(await bob.connect(wsUrl, conv.doc), bob.user!.id);
    const perSide = 150;
    let sent = 0;
    const burst = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        a.send(`a${sent}`);
        b.send(`b${sent}`);
        sent++;
        if (sent === perSide) {
          clearInterval(timer);
          resolve();
        }
      }, 3);
    });
    await waitFor(() => sent >= perSide / 3, 10_000, 'part of the burst');
    child.proc.kill('SIGKILL');
    await new Promise((r) => child!.proc.once('exit', r));
    // Every ack that reached a client was sent before the server died: a promise.
    const promised = [...a.acknowledged(), ...b.acknowledged()];
    a.device.provider.disconnect();
    b.device.provider.disconnect();
    await burst;
    expect(promised.length).toBeGreaterThan(0);

    child = await startChildServer(port, dir);
    const fresh = await bob.connect(wsUrl, conv.doc, new Y.Doc());
    const onDisk = new Set(fresh.texts());
    expect(promised.filter((t) => !onDisk.has(t))).toEqual([]);
    const listed = new Set(await history(bob, conv.id));
    expect(promised.filter((t) => !listed.has(t))).toEqual([]);
    fresh.destroy();

    // And the old clients still bring the rest: nothing lost, nothing twice.
    a.device.provider.connect();
    b.device.provider.connect();
    await waitFor(
      () =>
        a.device.texts().length === 2 * perSide &&
        b.device.texts().length === 2 * perSide &&
        a.device.allAcked() &&
        b.device.allAcked(),
      30_000,
      'resync after restart',
    );
    expect(await history(bob, conv.id)).toHaveLength(2 * perSide);
    a.device.destroy();
    b.device.destroy();
  }, 90_000);
});
