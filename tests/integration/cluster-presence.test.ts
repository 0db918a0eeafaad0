/**
 * Presence in cluster mode (issue #11): a user is online while any socket or stream is open
 * on any process, goes offline (with last seen) when the last one anywhere closes, and a
 * process killed without closing anything stops counting after its heartbeat TTL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryUser } from '../../shared/api';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient, openEvents, waitFor, type EventStream } from '../helpers/client';

let cluster: TestCluster;
const clients: TestClient[] = [];

/** A person registered through process 0; `via` reaches the others with the same cookie. */
async function person(name: string): Promise<TestClient> {
  const c = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
  await c.register(
    `${name.toLowerCase()}-${Math.random().toString(36).slice(2)}@example.com`,
    name,
  );
  clients.push(c);
  return c;
}

/** Two people in an accepted conversation (so each may see the other's presence). */
async function pair(a: TestClient, b: TestClient): Promise<{ id: string; doc: string }> {
  const c = await a.open(b.user!.id);
  expect((await b.request('POST', `/api/conversations/${c.id}/accept`)).status).toBeLessThan(300);
  return c;
}

async function seen(viewer: TestClient, subject: TestClient): Promise<DirectoryUser | undefined> {
  const r = await viewer.request<{ users: DirectoryUser[] }>(
    'GET',
    `/api/users?q=${encodeURIComponent(subject.user!.email)}`,
  );
  return r.body.users[0];
}

function presenceOf(stream: EventStream, subject: TestClient, online: boolean): boolean {
  return stream.events.some(
    (e) =>
      e.type === 'presence' &&
      e.userId === subject.user!.id &&
      e.online === online &&
      (online ? e.lastSeen === null : typeof e.lastSeen === 'number'),
  );
}

beforeAll(async () => {
  // A short heartbeat TTL so the crash test is quick (the default is 15 s).
  cluster = await startCluster(2, { PRESENCE_TTL_MS: '3000' });
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await cluster?.stop();
});

describe('presence across processes', () => {
  it('a stream on process 0 sees a user online whose only socket is on process 1, and offline with last seen after it closes', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const c = await pair(alice, bob);
    const events = await openEvents(alice); // process 0
    expect((await seen(alice, bob))?.online).toBe(false);
    const b = await bob.via(cluster.nodes[1]!.origin).connect(cluster.wsUrl(1), c.doc);
    await waitFor(() => presenceOf(events, bob, true), 10_000, 'online pushed on process 0');
    // The directory answered by process 0 agrees.
    expect(await seen(alice, bob)).toMatchObject({ online: true, lastSeen: null });
    const before = Date.now();
    b.destroy();
    await waitFor(() => presenceOf(events, bob, false), 15_000, 'offline pushed on process 0');
    const after = await seen(alice, bob);
    expect(after?.online).toBe(false);
    expect(after?.lastSeen).toBeGreaterThanOrEqual(before - 1000);
    events.close();
  });

  it('stays online while a connection remains on another process', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const carol = await person('Carol');
    const c = await pair(alice, bob);
    const c2 = await pair(alice, carol);
    const events = await openEvents(alice.via(cluster.nodes[1]!.origin)); // process 1
    const bobStream = await openEvents(bob); // process 0
    const b = await bob.via(cluster.nodes[1]!.origin).connect(cluster.wsUrl(1), c.doc);
    await waitFor(() => presenceOf(events, bob, true), 10_000, 'bob online');
    b.destroy(); // bob's last connection on process 1 closes; his stream on process 0 stays
    // Barrier: Carol comes and goes on process 1 after Bob's socket closed; once her
    // "offline" reached Alice, any "offline" for Bob (same grace, earlier) would have too.
    const k = await carol.via(cluster.nodes[1]!.origin).connect(cluster.wsUrl(1), c2.doc);
    await waitFor(() => presenceOf(events, carol, true), 10_000, 'carol online');
    k.destroy();
    await waitFor(() => presenceOf(events, carol, false), 15_000, 'carol offline');
    expect(presenceOf(events, bob, false)).toBe(false);
    expect((await seen(alice.via(cluster.nodes[1]!.origin), bob))?.online).toBe(true);
    bobStream.close();
    await waitFor(() => presenceOf(events, bob, false), 15_000, 'bob offline at last');
    events.close();
  });

  it("a killed process's users go offline, with last seen, within 30 s", async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const c = await pair(alice, bob);
    const doomed = await cluster.add(); // process 2, killed below
    const events = await openEvents(alice); // process 0
    const bobThere = bob.via(doomed.origin);
    const b = await bobThere.connect(`${doomed.origin.replace('http', 'ws')}/sync`, c.doc);
    await waitFor(() => presenceOf(events, bob, true), 10_000, 'online');
    const killedAt = Date.now();
    doomed.proc.kill('SIGKILL'); // no socket is closed, nothing is withdrawn
    await waitFor(() => presenceOf(events, bob, false), 30_000, 'offline after the TTL');
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    const after = await seen(alice, bob);
    expect(after?.online).toBe(false);
    expect(after?.lastSeen).toBeGreaterThanOrEqual(killedAt - 1000);
    b.destroy(); // stop its reconnect attempts against the dead port
    events.close();
  }, 45_000);
});
