/**
 * Durability: the server is killed with SIGKILL in the middle of a burst from two clients
 * and restarted on the same data directory; every message ends up exactly once on both
 * sides and in history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestClient, waitFor } from '../helpers/client';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server';
import type { HistoryPage } from '../../shared/api';

const dir = mkdtempSync(join(tmpdir(), 'parley-crash-'));
let child: ChildServer | null = null;
afterAll(() => {
  child?.proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('loses nothing any client still holds when the server is killed mid-burst', async () => {
    const port = await freePort();
    child = await startChildServer(port, dir);
    const alice = new TestClient(child.origin);
    const bob = new TestClient(child.origin);
    await alice.register('alice@example.com', 'Alice');
    await bob.register('bob@example.com', 'Bob');
    const conv = await alice.open(bob.user!.id);
    const wsUrl = `ws://127.0.0.1:${port}/sync`;
    const a = await alice.connect(wsUrl, conv.doc);
    const b = await bob.connect(wsUrl, conv.doc);
    const perSide = 150;
    let sent = 0;
    const burst = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        a.send(alice.user!.id, `a${sent}`);
        b.send(bob.user!.id, `b${sent}`);
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
    await burst; // the rest is written while the server is down
    child = await startChildServer(port, dir);
    await waitFor(
      () =>
        a.texts().length === 2 * perSide &&
        b.texts().length === 2 * perSide &&
        a.allAcked() &&
        b.allAcked(),
      30_000,
      'resync after restart',
    );
    expect(a.texts()).toEqual(b.texts());
    const texts: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&before=${encodeURIComponent(cursor)}` : '';
      const r: { body: HistoryPage } = await bob.request<HistoryPage>(
        'GET',
        `/api/conversations/${conv.id}/messages?limit=200${q}`,
      );
      texts.push(...r.body.messages.map((m) => m.text));
      cursor = r.body.next;
    } while (cursor);
    expect(texts).toHaveLength(2 * perSide);
    expect(new Set(texts)).toEqual(
      new Set([...Array(perSide).keys()].flatMap((i) => [`a${i}`, `b${i}`])),
    );
    a.destroy();
    b.destroy();
  }, 90_000);
});
