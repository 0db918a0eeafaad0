import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, rawSocket, waitFor } from '../helpers/client';
import type { HistoryPage } from '../../shared/api';
import { CloseCode } from '../../shared/protocol';

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
let doc: string;

beforeAll(async () => {
  server = await startTestServer();
  alice = new TestClient(server.origin);
  bob = new TestClient(server.origin);
  carol = new TestClient(server.origin);
  await alice.register('alice@example.com', 'Alice');
  await bob.register('bob@example.com', 'Bob');
  await carol.register('carol@example.com', 'Carol');
  doc = (await alice.open(bob.user!.id)).doc;
});
afterAll(async () => {
  alice.destroy();
  bob.destroy();
  carol.destroy();
  await server.stop();
  server.cleanup();
});

describe('live sync', () => {
  it('delivers messages both ways in real time', async () => {
    const a = await alice.connect(server.wsUrl, doc);
    const b = await bob.connect(server.wsUrl, doc);
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sentAt = performance.now();
      const m = a.send(alice.user!.id, `hello bob ${i}`);
      await waitFor(() => b.messages.toArray().some((x) => x.id === m.id), 5000, 'delivery to bob');
      latencies.push(performance.now() - sentAt);
      const r = b.send(bob.user!.id, `hello alice ${i}`);
      await waitFor(
        () => a.messages.toArray().some((x) => x.id === r.id),
        5000,
        'delivery to alice',
      );
    }
    latencies.sort((x, y) => x - y);
    console.log(
      `live delivery latency over 10 messages: median ${latencies[5]!.toFixed(1)} ms, max ${latencies[9]!.toFixed(1)} ms`,
    );
    expect(a.texts()).toEqual(b.texts());
    await waitFor(() => a.allAcked() && b.allAcked(), 5000, 'acks');
    const page = await bob.request<HistoryPage>(
      'GET',
      `/api/conversations/${doc}/messages?limit=100`,
    );
    expect(page.body.messages.filter((m) => m.text.startsWith('hello'))).toHaveLength(20);
    a.destroy();
    b.destroy();
  });

  it('acknowledges a stored message to its sender', async () => {
    const a = await alice.connect(server.wsUrl, doc);
    a.send(alice.user!.id, 'ack me');
    expect(a.allAcked()).toBe(false);
    await waitFor(() => a.allAcked(), 5000, 'ack');
    a.destroy();
  });
});

describe('who may connect', () => {
  it('refuses a third user with close code 4403 and shows them nothing', async () => {
    const r = await rawSocket(`${server.wsUrl}/${doc}`, {
      Origin: server.origin,
      Cookie: carol.cookie!,
    });
    expect(r.closed).toBe(CloseCode.forbidden);
  });

  it('refuses an upgrade without a session', async () => {
    const r = await rawSocket(`${server.wsUrl}/${doc}`, { Origin: server.origin });
    expect(r.refused).toBe(401);
  });

  it('closes an upgrade with a revoked or forged session with 4401', async () => {
    const r = await rawSocket(`${server.wsUrl}/${doc}`, {
      Origin: server.origin,
      Cookie: 'parley_session=Fe26.2*forged',
    });
    expect(r.closed).toBe(CloseCode.unauthenticated);
  });

  it('refuses an upgrade from another Origin', async () => {
    const r = await rawSocket(`${server.wsUrl}/${doc}`, {
      Origin: 'https://evil.example',
      Cookie: alice.cookie!,
    });
    expect(r.refused).toBe(403);
  });

  it('refuses an unknown document name', async () => {
    const r = await rawSocket(`${server.wsUrl}/c_doesnotexistdoesnotex`, {
      Origin: server.origin,
      Cookie: alice.cookie!,
    });
    expect(r.closed).toBe(CloseCode.forbidden);
  });
});

describe('durability', () => {
  it('keeps documents and history across a restart on the same data directory', async () => {
    const a = await alice.connect(server.wsUrl, doc);
    const m = a.send(alice.user!.id, 'survives restarts');
    await waitFor(() => a.allAcked(), 5000, 'ack');
    a.destroy();
    server = await server.restart();
    alice = Object.assign(new TestClient(server.origin), {
      cookie: alice.cookie,
      user: alice.user,
    });
    bob = Object.assign(new TestClient(server.origin), { cookie: bob.cookie, user: bob.user });
    const fresh = await bob.connect(server.wsUrl, doc, new Y.Doc());
    expect(fresh.messages.toArray().some((x) => x.id === m.id)).toBe(true);
    const page = await bob.request<HistoryPage>(
      'GET',
      `/api/conversations/${doc}/messages?limit=1`,
    );
    expect(page.body.messages[0]?.text).toBe('survives restarts');
    fresh.destroy();
  });
});
