/**
 * Cluster mode behind the shipped nginx configuration (issue #11): two processes, clients that
 * only know the balancer, routing read back from nginx's access log, and a process killed with
 * SIGKILL in the middle of a two-client burst.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { HistoryPage, MessageRecord } from '../../shared/api';
import { MessageType } from '../../shared/protocol';
import { startBalancer, type AccessEntry, type Balancer } from '../helpers/balancer';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient, openEvents, rawSocket, waitFor, type Device } from '../helpers/client';
import { freePort } from '../helpers/child-server';

let cluster: TestCluster;
let balancer: Balancer;
const clients: TestClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(2, { TRUST_PROXY: 'loopback' });
  balancer = await startBalancer(cluster.nodes.map((n) => n.origin));
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await balancer?.stop();
  await cluster?.stop();
});

/** Someone signed up through the balancer (the only address they know). */
async function person(name: string): Promise<TestClient> {
  const c = new TestClient(balancer.origin, CLUSTER_ORIGIN);
  await c.register(`${name}-${Math.random().toString(36).slice(2)}@example.com`, name);
  clients.push(c);
  return c;
}

/** The whole history of a conversation, oldest first, page by page. */
async function history(client: TestClient, id: string): Promise<MessageRecord[]> {
  const all: MessageRecord[] = [];
  let before = '';
  for (;;) {
    const r = await client.request<HistoryPage>(
      'GET',
      `/api/conversations/${id}/messages?limit=200${before ? `&before=${before}` : ''}`,
    );
    if (r.status !== 200) throw new Error(`history: ${r.status} ${JSON.stringify(r.body)}`);
    all.push(...r.body.messages);
    if (!r.body.next) return all.reverse();
    before = encodeURIComponent(r.body.next);
  }
}

/** The processes (host:port) nginx handed `path` to, per access-log line. */
function upstreamsOf(path: string, status?: number): string[] {
  return balancer
    .accessLog()
    .filter((e: AccessEntry) => e.request.split(' ')[1] === path)
    .filter((e) => status === undefined || e.status === status)
    .map((e) => e.upstream);
}

/** Which process nginx routes `/sync/<doc>` to now: a plain GET takes the same route. */
async function routeOf(doc: string): Promise<string> {
  const before = upstreamsOf(`/sync/${doc}`).length;
  await fetch(`${balancer.origin}/sync/${doc}`);
  await waitFor(() => upstreamsOf(`/sync/${doc}`).length > before, 5000, 'probe logged');
  return upstreamsOf(`/sync/${doc}`).at(-1)!;
}

function count<T>(items: T[], item: T): number {
  return items.filter((x) => x === item).length;
}

describe('behind nginx', () => {
  it('two people talk through the balancer; one document’s sockets meet in one process; events are not buffered', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const c = await alice.open(bob.user!.id);
    // Everything else is round robin: the sign-ups and the conversation reached both processes.
    const hosts = cluster.nodes.map((n) => new URL(n.origin).host);
    const api = balancer.accessLog().filter((e) => e.request.includes(' /api/'));
    expect(new Set(api.map((e) => e.upstream))).toEqual(new Set(hosts));

    const events = await openEvents(bob);
    const a = await alice.connect(balancer.wsUrl, c.doc);
    const b = await bob.connect(balancer.wsUrl, c.doc);
    const m1 = a.send(alice.user!.id, 'hello through nginx');
    const m2 = b.send(bob.user!.id, 'hello back');
    await waitFor(() => b.messages.toArray().some((m) => m.id === m1.id), 10_000, 'b has m1');
    await waitFor(() => a.messages.toArray().some((m) => m.id === m2.id), 10_000, 'a has m2');
    // The stream is still open and the event came through it while it was.
    await waitFor(
      () =>
        events.events.some(
          (e) =>
            e.type === 'conversation' &&
            (e.conversation as { id: string; unread: number }).id === c.id &&
            (e.conversation as { unread: number }).unread === 1,
        ),
      10_000,
      'unread pushed to bob through the balancer',
    );
    events.close();
    await waitFor(() => a.allAcked() && b.allAcked(), 10_000, 'both acknowledged');
    expect((await history(bob, c.id)).map((m) => m.text)).toEqual([
      'hello through nginx',
      'hello back',
    ]);
    // A WebSocket's access-log line is written when it closes.
    a.destroy();
    b.destroy();
    await waitFor(() => upstreamsOf(`/sync/${c.doc}`, 101).length === 2, 5000, 'sockets logged');
    const served = upstreamsOf(`/sync/${c.doc}`, 101);
    expect(hosts).toContain(served[0]);
    expect(served[1]).toBe(served[0]);
  });

  it('bodies past the API’s limit are refused with the API’s error shape, by the process or by nginx', async () => {
    const alice = await person('Alice');
    // Past the API's 64 KiB: the process answers (nginx lets up to 128 KiB through).
    const mid = await alice.request('POST', '/api/conversations', {
      peerId: 'x'.repeat(100 * 1024),
    });
    expect(mid.status).toBe(413);
    expect(mid.body).toMatchObject({ error: { code: 'too-large' } });
    // Well past it: nginx refuses without handing it on, in the same shape.
    const big = await alice.request('POST', '/api/conversations', {
      peerId: 'x'.repeat(300 * 1024),
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: { code: 'too-large' } });
    expect(big.headers.get('content-type')).toContain('application/json');
  });

  it('kill -9 of the document’s process mid-burst: acknowledged messages are stored, the rest arrive once after the reconnect', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const c = await alice.open(bob.user!.id);
    const target = await routeOf(c.doc);
    const victim = cluster.nodes.find((n) => new URL(n.origin).host === target)!;
    const survivor = cluster.nodes.find((n) => n !== victim)!;
    const survivorHost = new URL(survivor.origin).host;

    const a = await alice.connect(balancer.wsUrl, c.doc);
    const b = await bob.connect(balancer.wsUrl, c.doc);
    /** Each sent message with the clock of its item (one push = one clock). */
    const sent: { device: Device; id: string; clock: number }[] = [];
    const send = (device: Device, from: string, text: string): void => {
      const clock = Y.getState(device.doc.store, device.doc.clientID);
      sent.push({ device, id: device.send(from, text).id, clock });
    };
    const isAcked = (s: { device: Device; clock: number }): boolean =>
      s.clock < (s.device.ackedSv.get(s.device.doc.clientID) ?? 0);

    // The kill comes in the very tick an acknowledgement reaches alice, mid-burst: that is when
    // an ack sent ahead of its commit would be caught. What counts as stored is what the
    // acknowledgements covered at that moment; the old clients are then held back (as a device
    // offline a while would be) so that the store is read before they can resend anything.
    let armed = false;
    let acked: typeof sent = [];
    let killed = false;
    const onAck = a.provider.messageHandlers[MessageType.ack]!;
    a.provider.messageHandlers[MessageType.ack] = (...args) => {
      onAck(...args);
      if (!armed) return;
      armed = false;
      acked = sent.filter(isAcked);
      victim.proc.kill('SIGKILL');
      a.provider.disconnect();
      b.provider.disconnect();
      killed = true;
    };
    for (let i = 0; i < 100; i++) {
      send(a, alice.user!.id, `a${i}`);
      send(b, bob.user!.id, `b${i}`);
      await new Promise((r) => setTimeout(r, 2));
      if (i === 40) {
        await waitFor(() => sent.filter(isAcked).length >= 40, 10_000, 'some of it acknowledged');
        armed = true;
      }
    }
    await waitFor(() => killed, 10_000, 'an ack after the arming');
    expect(acked.length).toBeGreaterThanOrEqual(40);
    expect(acked.length).toBeLessThan(sent.length);
    if (victim.proc.exitCode === null && victim.proc.signalCode === null)
      await new Promise<void>((resolve) => victim.proc.once('exit', () => resolve()));

    // What PostgreSQL holds, through the balancer (which must skip the dead process): a
    // fresh device and the history API.
    const fresh = await alice.connect(balancer.wsUrl, c.doc, new Y.Doc());
    const freshIds = fresh.messages.toArray().map((m) => m.id);
    const stored = (await history(bob, c.id)).map((m) => m.id);
    for (const s of acked) {
      expect(freshIds).toContain(s.id);
      expect(stored).toContain(s.id);
    }
    fresh.destroy();

    // The old clients come back through the balancer, to the surviving process, and resend.
    a.provider.connect();
    b.provider.connect();
    await waitFor(() => a.allAcked() && b.allAcked(), 20_000, 'everything acknowledged');
    const ids = sent.map((s) => s.id);
    await waitFor(
      () =>
        [a, b].every((d) => {
          const have = new Set(d.messages.toArray().map((m) => m.id));
          return ids.every((id) => have.has(id));
        }),
      10_000,
      'both devices have everything',
    );
    const final = (await history(alice, c.id)).map((m) => m.id);
    const onA = a.messages.toArray().map((m) => m.id);
    const onB = b.messages.toArray().map((m) => m.id);
    for (const id of ids) {
      expect(count(onA, id)).toBe(1);
      expect(count(onB, id)).toBe(1);
      expect(count(final, id)).toBe(1);
    }
    expect(final).toHaveLength(ids.length);

    // Every socket opened after the kill was served by the survivor.
    a.destroy();
    b.destroy();
    await waitFor(() => upstreamsOf(`/sync/${c.doc}`, 101).length === 5, 5000, 'sockets logged');
    const served = upstreamsOf(`/sync/${c.doc}`, 101);
    // The two sockets open at the kill were the victim's; the three after it the survivor's
    // (a reconnect that tried the dead process first lists both, the survivor last).
    expect(served.filter((u) => u === target)).toHaveLength(2);
    expect(served.filter((u) => u.endsWith(survivorHost))).toHaveLength(3);
  }, 60_000);

  it('with no process answering, nginx says so in the API’s error shape', async () => {
    const dead = await startBalancer([
      `http://127.0.0.1:${await freePort()}`,
      `http://127.0.0.1:${await freePort()}`,
    ]);
    try {
      const r = await fetch(`${dead.origin}/api/me`, { headers: { Origin: CLUSTER_ORIGIN } });
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ error: { code: 'unavailable' } });
      const ws = await rawSocket(`${dead.wsUrl}/c_aaaaaaaaaaaaaaaaaaaa`, {
        Origin: CLUSTER_ORIGIN,
      });
      expect(ws.refused).toBe(503);
    } finally {
      await dead.stop();
    }
  });

  // Last in the file: it spends the loopback address's sign-in bucket.
  it('a client cannot choose its throttle address through the balancer (X-Forwarded-For is the one nginx saw)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) {
      const r = await fetch(`${balancer.origin}/api/auth/login`, {
        method: 'POST',
        headers: {
          Origin: CLUSTER_ORIGIN,
          'Content-Type': 'application/json',
          // A fresh address (and account) each time would escape both buckets if believed.
          'X-Forwarded-For': `203.0.113.${i}`,
        },
        body: JSON.stringify({ email: `nobody-${i}@example.com`, password: 'wrong password' }),
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
    expect(statuses[50]).toBe(429);
  });
});
