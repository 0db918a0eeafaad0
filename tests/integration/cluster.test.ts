/**
 * Cluster mode (issue #11): real server processes on one PostgreSQL database and one Redis
 * prefix, with the two participants' sockets and event streams deliberately on different
 * processes (the balancer is bypassed: correctness must not depend on routing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { HistoryPage } from '../../shared/api';
import { CloseCode } from '../../shared/protocol';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient, openEvents, waitFor, type Device } from '../helpers/client';

let cluster: TestCluster;
/** Each person, signed in once, seen through process 0 (a) and process 1 (b). */
const people = new Map<string, TestClient>();

async function person(name: string): Promise<TestClient> {
  const c = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
  await c.register(`${name}-${Math.random().toString(36).slice(2)}@example.com`, name);
  people.set(name, c);
  return c;
}

beforeAll(async () => {
  cluster = await startCluster(2);
}, 60_000);
afterAll(async () => {
  for (const c of people.values()) c.destroy();
  await cluster?.stop();
});

async function history(client: TestClient, id: string): Promise<string[]> {
  const r = await client.request<HistoryPage>('GET', `/api/conversations/${id}/messages?limit=200`);
  return r.body.messages.map((m) => m.text).reverse();
}

describe('cluster mode', () => {
  it('a cookie made by one process is good on the other; documents converge across processes', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const c = await alice.open(bob.user!.id);
    const aliceB = alice.via(cluster.nodes[1]!.origin);
    expect((await aliceB.request('GET', '/api/me')).status).toBe(200);
    const a = await alice.connect(cluster.wsUrl(0), c.doc);
    const b = await bob.via(cluster.nodes[1]!.origin).connect(cluster.wsUrl(1), c.doc);
    const m1 = a.send(alice.user!.id, 'hello from process 0');
    const m2 = b.send(bob.user!.id, 'hello from process 1');
    await waitFor(() => b.messages.toArray().some((m) => m.id === m1.id), 10_000, 'b has m1');
    await waitFor(() => a.messages.toArray().some((m) => m.id === m2.id), 10_000, 'a has m2');
    await waitFor(() => a.allAcked() && b.allAcked(), 10_000, 'both acknowledged');
    expect(await history(bob, c.id)).toEqual(
      expect.arrayContaining(['hello from process 0', 'hello from process 1']),
    );
  });

  it('a delivery receipt taken by one process reaches the sender on the other', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const c = await alice.open(bob.user!.id);
    await bob.request('POST', `/api/conversations/${c.id}/accept`);
    const a = await alice.connect(cluster.wsUrl(0), c.doc);
    const b = await bob.via(cluster.nodes[1]!.origin).connect(cluster.wsUrl(1), c.doc);
    a.send(alice.user!.id, 'did it arrive?');
    await waitFor(() => b.texts().includes('did it arrive?'), 10_000, 'bob has it');
    await waitFor(() => a.allAcked(), 10_000, 'stored');
    b.reportReceived(); // on process 1
    await waitFor(
      () => (a.peerReceived?.get(a.doc.clientID) ?? 0) >= Y.getState(a.doc.store, a.doc.clientID),
      10_000,
      'alice, on process 0, sees it delivered',
    );
  });

  it('an event stream on one process hears of a message written through the other (finding 1)', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const c = await alice.open(bob.user!.id);
    const events = await openEvents(bob); // process 0
    const a = await alice.via(cluster.nodes[1]!.origin).connect(cluster.wsUrl(1), c.doc);
    a.send(alice.user!.id, 'through process 1');
    await waitFor(
      () =>
        events.events.some(
          (e) =>
            e.type === 'conversation' &&
            (e.conversation as { id: string; unread: number }).id === c.id &&
            (e.conversation as { unread: number }).unread === 1,
        ),
      10_000,
      'unread pushed to bob on process 0',
    );
    events.close();
  });

  it('compaction on one process keeps what the other stored (finding 2)', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const c = await alice.open(bob.user!.id);
    const a = await alice.connect(cluster.wsUrl(0), c.doc);
    const b = await bob.via(cluster.nodes[1]!.origin).connect(cluster.wsUrl(1), c.doc);
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) {
      a.send(alice.user!.id, `a${i}`);
      b.send(bob.user!.id, `b${i}`);
      sent.push(`a${i}`, `b${i}`);
    }
    // A delete makes process 0 compact its log a second later, while process 1 writes on.
    const doomed = a.send(alice.user!.id, 'to be deleted');
    await waitFor(() => a.allAcked(), 10_000, 'a acked');
    const arr = a.messages;
    arr.delete(
      arr.toArray().findIndex((m) => m.id === doomed.id),
      1,
    );
    for (let i = 10; i < 20; i++) {
      b.send(bob.user!.id, `b${i}`);
      sent.push(`b${i}`);
    }
    await waitFor(() => a.allAcked() && b.allAcked(), 10_000, 'all acknowledged');
    await new Promise((r) => setTimeout(r, 1500)); // past the compaction delay (not an assertion)
    a.destroy();
    b.destroy();
    // What the store holds, read by a new device through a third process.
    const third = await cluster.add();
    const fresh = await alice
      .via(third.origin)
      .connect(`${third.origin.replace('http', 'ws')}/sync`, c.doc, new Y.Doc());
    const texts = fresh.texts();
    for (const t of sent) expect(texts).toContain(t);
    expect(texts).not.toContain('to be deleted');
    fresh.destroy();
  });

  it('sign-out through one process closes the socket on the other (finding 3)', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const c = await alice.open(bob.user!.id);
    const a = await alice.connect(cluster.wsUrl(0), c.doc);
    const bobB = bob.via(cluster.nodes[1]!.origin);
    const b: Device = await bobB.connect(cluster.wsUrl(1), c.doc);
    const closed = b.nextClose();
    expect((await bob.request('POST', '/api/auth/logout')).status).toBe(204); // process 0
    expect(await closed).toBe(CloseCode.unauthenticated);
    // The revoked cookie opens nothing on either process.
    expect((await bobB.request('GET', '/api/me')).status).toBe(401);
    b.send(bob.user!.id, 'after sign-out');
    const barrier = a.send(alice.user!.id, 'barrier');
    await waitFor(() => a.allAcked(), 10_000, 'barrier stored');
    expect(barrier.id).toBeTruthy();
    expect(await history(alice, c.id)).not.toContain('after sign-out');
  });

  it('a block through one process closes and refuses the blocked person on the other (finding 4)', async () => {
    const carol = await person('Carol');
    const dave = await person('Dave');
    const c = await dave.open(carol.user!.id);
    await carol.request('POST', `/api/conversations/${c.id}/accept`);
    const daveB = dave.via(cluster.nodes[1]!.origin);
    const d = await daveB.connect(cluster.wsUrl(1), c.doc);
    d.send(dave.user!.id, 'before the block');
    await waitFor(() => d.allAcked(), 10_000, 'dave acked');
    const closed = d.nextClose();
    expect((await carol.request('POST', `/api/blocks/${dave.user!.id}`)).status).toBe(204);
    expect(await closed).toBe(CloseCode.forbidden);
    d.destroy();
    // A new socket on process 1 is refused too (no cached answer outlives the block).
    const again = new (daveB.socketClass())(`${cluster.wsUrl(1)}/${c.doc}`);
    const code = await new Promise<number>((resolve) =>
      again.addEventListener('close', (e) => resolve(e.code)),
    );
    expect(code).toBe(CloseCode.forbidden);
    expect(await history(carol, c.id)).toEqual(['before the block']);
  });
});
