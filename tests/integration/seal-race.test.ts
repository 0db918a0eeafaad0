/**
 * Sealing while writes are in flight (PostgreSQL commits asynchronously, one batch at a time):
 * a message the server has not acknowledged when it says "sealed" must not be stored in the
 * sealed document, because the client carries every unacknowledged message to the live one —
 * a stored one carried there is a duplicate, refused with 4400 (seen in the e2e epochs spec).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient, waitFor, type Device } from '../helpers/client';
import type { ChatMessage } from '../../shared/schema';

const EPOCH = 10;
let cluster: TestCluster;
const people: TestClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(1, { EPOCH_MESSAGES: String(EPOCH) });
}, 60_000);
afterAll(async () => {
  for (const c of people) c.destroy();
  await cluster?.stop();
});

async function person(name: string): Promise<TestClient> {
  const c = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
  await c.register(`${name}-${Math.random().toString(36).slice(2)}@example.com`, name);
  people.push(c);
  return c;
}

it('never stores in the sealed document a message it did not acknowledge before "sealed"', async () => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const c = await alice.open(bob.user!.id);
  await bob.request('POST', `/api/conversations/${c.id}/accept`);
  const a = await alice.connect(cluster.wsUrl(0), c.doc);
  const b = await bob.connect(cluster.wsUrl(0), c.doc);
  // Record the unacknowledged messages at the moment the notice is handled.
  const unacked = new Map<Device, string[]>();
  for (const d of [a, b]) {
    const handler = d.provider.messageHandlers[102]!;
    d.provider.messageHandlers[102] = (enc, dec, p, emit, type) => {
      handler(enc, dec, p, emit, type);
      const acked = d.ackedSv.get(d.doc.clientID) ?? 0;
      const ids: string[] = [];
      let item = d.messages._start;
      while (item) {
        if (item.id.client === d.doc.clientID)
          item.content
            .getContent()
            .forEach((v, i) => item!.id.clock + i >= acked && ids.push((v as ChatMessage).id));
        item = item.right;
      }
      unacked.set(d, ids);
    };
  }
  // Both write fast across the epoch size, one update per message: commits overlap.
  const sent: string[] = [];
  for (let i = 0; i < EPOCH * 2 && !a.sealedTo && !b.sealedTo; i++) {
    sent.push(a.send(alice.user!.id, `a${i}`).id, b.send(bob.user!.id, `b${i}`).id);
    if (i % 3 === 2) await new Promise((r) => setImmediate(r));
  }
  await waitFor(() => a.sealedTo !== null && b.sealedTo !== null, 10_000, 'sealed notices');
  // What the server promised: the sealed document as a fresh reader gets it.
  const res = await fetch(`${cluster.nodes[0]!.origin}/api/conversations/${c.id}/epochs/0`, {
    headers: { Cookie: bob.cookie! },
  });
  expect(res.status).toBe(200);
  const sealed = new Y.Doc();
  Y.applyUpdate(sealed, new Uint8Array(await res.arrayBuffer()));
  const stored = new Set(
    sealed
      .getArray<ChatMessage>('messages')
      .toArray()
      .map((m) => m.id),
  );
  expect(stored.size).toBeGreaterThanOrEqual(EPOCH);
  for (const d of [a, b]) {
    const carried = unacked.get(d) ?? [];
    expect(carried.filter((id) => stored.has(id))).toEqual([]);
  }
  // The devices carry their unacknowledged messages to the live document: accepted there
  // (a few of each, so that the live document does not reach the epoch size in turn).
  const [a1, b1] = await Promise.all([
    alice.connect(cluster.wsUrl(0), a.sealedTo!),
    bob.connect(cluster.wsUrl(0), b.sealedTo!),
  ]);
  for (const [from, d, d1] of [
    [alice, a, a1],
    [bob, b, b1],
  ] as const) {
    for (const id of (unacked.get(d) ?? []).slice(0, 4)) {
      const m = d.messages.toArray().find((x) => x.id === id)!;
      d1.messages.push([{ ...m, from: from.user!.id }]);
    }
  }
  await waitFor(() => a1.allAcked() && b1.allAcked(), 10_000, 'carried messages stored');
  expect([...a1.closeCodes, ...b1.closeCodes, ...a.closeCodes, ...b.closeCodes]).not.toContain(
    4400,
  );
  const all = [...stored, ...a1.messages.toArray().map((m) => m.id)];
  expect(new Set(all).size).toBe(all.length);
});
