import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
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

describe('resync', () => {
  it('asks a client for the missing part when an update arrives with a gap, then stores both', async () => {
    const base = await alice.connect(server.wsUrl, doc);
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(base.doc));
    const updates: Uint8Array[] = [];
    local.on('update', (u: Uint8Array) => updates.push(u));
    const arr = local.getArray<{ id: string; from: string; text: string; at: number }>('messages');
    arr.push([{ id: 'gapfirst001', from: alice.user!.id, text: 'first', at: Date.now() }]);
    arr.push([{ id: 'gapsecond01', from: alice.user!.id, text: 'second', at: Date.now() }]);
    base.destroy();

    const ws = new WebSocket(`${server.wsUrl}/${doc}`, {
      headers: { Origin: server.origin, Cookie: alice.cookie! },
    });
    const received: Uint8Array[] = [];
    ws.on('message', (d: Buffer) => received.push(new Uint8Array(d)));
    await new Promise((r) => ws.once('open', r));
    const frame = (sub: number, payload: Uint8Array): Uint8Array => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, sub);
      encoding.writeVarUint8Array(e, payload);
      return encoding.toUint8Array(e);
    };
    await waitFor(() => received.length >= 1, 5000, 'server step 1');
    const step1s = () => received.filter((m) => m[0] === 0 && m[1] === 0).length;
    const before = step1s();
    ws.send(frame(2, updates[1]!)); // the second message without the first: a gap
    await waitFor(() => step1s() > before, 5000, 'a new sync step 1 from the server');
    ws.send(frame(1, Y.encodeStateAsUpdate(local, Y.encodeStateVector(new Y.Doc())))); // the client's step 2
    await waitFor(
      async () => {
        const page = await bob.request<HistoryPage>(
          'GET',
          `/api/conversations/${doc}/messages?limit=200`,
        );
        const texts = page.body.messages.map((m) => m.text);
        return texts.includes('first') && texts.includes('second');
      },
      5000,
      'both messages stored',
    );
    ws.close();
  });
});

describe('delivery receipts', () => {
  it('relays what the other device holds, and keeps it after the room unloads', async () => {
    await bob.request('POST', `/api/conversations/${doc}/accept`); // receipts are hidden from a pending requester
    const a = await alice.connect(server.wsUrl, doc);
    const m = a.send(alice.user!.id, 'did you get this?');
    const b = await bob.connect(server.wsUrl, doc);
    await waitFor(() => b.messages.toArray().some((x) => x.id === m.id), 5000, 'delivery');
    b.reportReceived();
    await waitFor(() => (a.peerReceived?.get(a.doc.clientID) ?? 0) > 0, 5000, 'received relayed');
    a.destroy();
    b.destroy();
    await waitFor(() => server.app.rooms.size === 0, 5000, 'room unloaded');
    const again = await alice.connect(server.wsUrl, doc);
    await waitFor(() => again.peerReceived !== null, 5000, 'received on join');
    expect(again.peerReceived!.get(a.doc.clientID)).toBeGreaterThan(0);
    again.destroy();
  });
});

describe('static files', () => {
  it('serves the app shell for client routes and 404 for missing files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Parley</title>');
    const s = await startTestServer({ staticDir: dir });
    try {
      const route = await fetch(`${s.origin}/c/c_aaaaaaaaaaaaaaaaaaaa`);
      expect(route.status).toBe(200);
      expect(await route.text()).toContain('<title>Parley</title>');
      expect((await fetch(`${s.origin}/assets/index-old.js`)).status).toBe(404);
      expect((await fetch(`${s.origin}/favicon.ico`)).status).toBe(404);
      expect((await fetch(`${s.origin}/api/nope`)).status).toBe(404);
    } finally {
      await s.stop();
      s.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
