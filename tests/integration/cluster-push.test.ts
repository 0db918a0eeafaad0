/**
 * Push in cluster mode: the process that commits a message sends the push, though the
 * recipient's sockets, streams and subscription were made through another process; whether
 * she has the conversation open comes over the bus.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient, waitFor } from '../helpers/client';
import { PushService } from '../helpers/push-service';

let cluster: TestCluster;
let push: PushService;
const clients: TestClient[] = [];

beforeAll(async () => {
  push = await PushService.start();
  cluster = await startCluster(2, { PUSH_ALLOW_PRIVATE_ENDPOINTS: '1' });
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await cluster?.stop();
  await push?.close();
});

async function person(name: string): Promise<TestClient> {
  const c = new TestClient(cluster.nodes[0]!.origin, CLUSTER_ORIGIN);
  await c.register(`${name}-${Math.random().toString(36).slice(2)}@example.com`, name);
  clients.push(c);
  return c;
}

it('delivers a push committed on one process to a device subscribed through another', async () => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const c = await alice.open(bob.user!.id);
  await bob.request('POST', `/api/conversations/${c.id}/accept`);
  const aliceB = alice.via(cluster.nodes[1]!.origin);
  const device = push.device('alice');
  expect(
    (await aliceB.request('POST', '/api/push/subscriptions', device.subscription)).status,
  ).toBe(201);
  const a = await aliceB.connect(cluster.wsUrl(1), c.doc);
  const b = await bob.connect(cluster.wsUrl(0), c.doc);
  // Open and visible on her device on process 1: Bob's message on process 0 stays quiet.
  a.provider.awareness.setLocalStateField('viewing', true);
  const viewing = (want: boolean) => () =>
    [...b.provider.awareness.getStates().values()].some((s) => {
      const st = s as { user?: { id: string }; viewing?: boolean };
      return st.user?.id === alice.user!.id && st.viewing === want;
    });
  await waitFor(viewing(true), 10_000, 'Alice viewing, seen on process 0');
  b.send(bob.user!.id, 'she is looking');
  await waitFor(() => b.allAcked(), 10_000, 'stored');
  a.provider.awareness.setLocalStateField('viewing', false);
  await waitFor(viewing(false), 10_000, 'Alice away, seen on process 0');
  b.send(bob.user!.id, 'she is away');
  await push.waitFor(() => push.for(device).length >= 1, 'the push from process 0');
  expect(push.for(device)).toEqual([
    expect.objectContaining({
      type: 'message',
      title: 'Bob',
      body: 'she is away (2 new messages)',
    }),
  ]);
});
