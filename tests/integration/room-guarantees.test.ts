/**
 * What the room promises a client: an ack (type 100) never claims more than is on disk,
 * every peer has the ack of its stored messages before "sealed" (102), a relayed receipt
 * (101) never claims more than the server stored, a user's storage quota is enforced with
 * close 4413 and loses nothing, awareness alone binds no client id durably, and /healthz
 * says nothing about the server's load.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, waitFor } from '../helpers/client';
import { newMessageId } from '../../shared/schema';
import { CloseCode, MessageType } from '../../shared/protocol';
import type { Config } from '../../server/config';
import type { ConversationSummary } from '../../shared/api';

const servers: TestServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) {
    await s.stop();
    s.cleanup();
  }
});

async function setup(overrides: Partial<Config> = {}): Promise<{
  server: TestServer;
  alice: TestClient;
  bob: TestClient;
  convo: ConversationSummary;
}> {
  const server = await startTestServer(overrides);
  servers.push(server);
  const alice = new TestClient(server.origin);
  const bob = new TestClient(server.origin);
  clients.push(alice, bob);
  await alice.register('alice@example.com', 'Alice');
  await bob.register('bob@example.com', 'Bob');
  const convo = await alice.open(bob.user!.id);
  return { server, alice, bob, convo };
}

/** The clocks of the document as stored in SQLite right now (what survives a kill -9). */
function storedClocks(server: TestServer, doc: string): Map<number, number> {
  const rows = server.app
    .db!.prepare<[string], { data: Buffer }>(
      'SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq',
    )
    .all(doc)
    .map((r) => new Uint8Array(r.data));
  if (rows.length === 0) return new Map();
  return Y.decodeStateVector(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(rows)));
}

function rawFrame(type: number, sub: number | null, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  if (sub !== null) encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

describe('acknowledgements', () => {
  it('never acknowledges an update before it is committed (sync step 1 and resends)', async () => {
    // A 50 ms commit gap: an update that follows a commit waits up to 50 ms in memory.
    const { server, alice, convo } = await setup({ commitGapMs: 50 });
    const a = await alice.connect(server.wsUrl, convo.doc);
    const early: string[] = [];
    // Runs in the same process as the server: when an ack arrives, its clocks must be on disk.
    a.provider.messageHandlers[MessageType.ack] = (_enc, dec) => {
      const acked = Y.decodeStateVector(decoding.readVarUint8Array(dec));
      const stored = storedClocks(server, convo.doc);
      for (const [client, clock] of acked) {
        if ((stored.get(client) ?? 0) < clock)
          early.push(`client ${client}: acked ${clock}, stored ${stored.get(client) ?? 0}`);
      }
      a.ackedSv = acked;
    };
    for (let i = 0; i < 10; i++) {
      a.send(alice.user!.id, `m${i}`);
      // Right behind the update, before its commit: a sync step 1 and a resend of everything.
      a.provider.ws!.send(rawFrame(MessageType.sync, 0, Y.encodeStateVector(a.doc)));
      a.provider.ws!.send(rawFrame(MessageType.sync, 2, Y.encodeStateAsUpdate(a.doc)));
      await waitFor(() => a.allAcked(), 5000, `ack of m${i}`);
    }
    expect(early).toEqual([]);
  });
});

describe('sealing', () => {
  it('acknowledges what it stored before "sealed", and stores nothing past the epoch size', async () => {
    const { server, alice, bob, convo } = await setup({ epochMessages: 4, commitGapMs: 50 });
    const a = await alice.connect(server.wsUrl, convo.doc);
    const b = await bob.connect(server.wsUrl, convo.doc);
    for (let i = 0; i < 3; i++) a.send(alice.user!.id, `old ${i}`);
    await waitFor(() => a.allAcked() && b.texts().length === 3, 5000, 'first three');
    // Just after a commit: both writes wait for the next one. Alice's fills the epoch; Bob's
    // is not applied there (not stored, not acknowledged): the notice tells him to carry it.
    const sealing = a.send(alice.user!.id, 'sealing');
    const next = b.send(bob.user!.id, 'next');
    await waitFor(() => a.sealedTo !== null && b.sealedTo !== null, 5000, 'sealed notices');
    expect(a.ackedAtSeal).toBe(true);
    expect(b.ackedAtSeal).toBe(false);
    // What the server promised: the sealed document holds the epoch and nothing past it.
    const r = await fetch(`${server.origin}/api/conversations/${convo.id}/epochs/0`, {
      headers: { Cookie: alice.cookie! },
    });
    const sealed = new Y.Doc();
    Y.applyUpdate(sealed, new Uint8Array(await r.arrayBuffer()));
    const ids = sealed
      .getArray<{ id: string }>('messages')
      .toArray()
      .map((m) => m.id);
    expect(ids).toHaveLength(4);
    expect(ids.filter((id) => id === sealing.id)).toHaveLength(1);
    expect(ids).not.toContain(next.id);
    // Carried to the live document, Bob's message is taken there.
    const b1 = await bob.connect(server.wsUrl, b.sealedTo!);
    b1.messages.push([{ ...next }]);
    await waitFor(() => b1.allAcked(), 5000, 'the carried message stored');
    expect([...a.closeCodes, ...b.closeCodes, ...b1.closeCodes]).not.toContain(
      CloseCode.invalidUpdate,
    );
  });
});

describe('delivery receipts', () => {
  it('clamps a forged receipt to what the server stored before relaying it', async () => {
    const { server, alice, bob, convo } = await setup();
    await bob.request('POST', `/api/conversations/${convo.id}/accept`); // receipts are hidden from a pending requester
    const a = await alice.connect(server.wsUrl, convo.doc);
    const b = await bob.connect(server.wsUrl, convo.doc);
    a.send(alice.user!.id, 'hello');
    await waitFor(() => a.allAcked() && b.texts().length === 1, 5000, 'hello');
    const stored = Y.getState(a.doc.store, a.doc.clientID);
    // Bob claims to hold far more of Alice's writes than exist, and a client nobody has.
    const forged = Y.encodeStateVector(
      new Map([
        [a.doc.clientID, stored + 1000],
        [424242, 7],
      ]),
    );
    b.provider.ws!.send(rawFrame(MessageType.received, null, forged));
    await waitFor(() => a.peerReceived !== null, 5000, 'the relayed receipt');
    expect(a.peerReceived!.get(a.doc.clientID)).toBe(stored);
    expect(a.peerReceived!.has(424242)).toBe(false);
    // Stored clamped too: a device connecting later gets the same.
    const a2 = await alice.connect(server.wsUrl, convo.doc);
    await waitFor(() => a2.peerReceived !== null, 5000, 'receipt on join');
    expect(a2.peerReceived!.get(a.doc.clientID)).toBe(stored);
    expect(a2.peerReceived!.has(424242)).toBe(false);
  });
});

describe('storage quota', () => {
  it('refuses an update past the quota with 4413, keeps it on the device, and remembers usage across restarts', async () => {
    const { server, alice, bob, convo } = await setup({ userQuotaBytes: 20_000 });
    const a = await alice.connect(server.wsUrl, convo.doc);
    const b = await bob.connect(server.wsUrl, convo.doc);
    const closed = a.nextClose();
    let last = '';
    for (let i = 0; i < 40 && a.closeCodes.length === 0; i++) {
      last = `${i} ${'x'.repeat(1000)}`;
      a.send(alice.user!.id, last);
      await waitFor(() => a.allAcked() || a.closeCodes.length > 0, 5000, `ack ${i}`);
    }
    expect(await closed).toBe(CloseCode.quotaExceeded);
    expect(a.allAcked()).toBe(false);
    expect(a.texts()).toContain(last); // pending on the device, not lost
    // Bob is not limited by Alice's quota; his message is the barrier for hers.
    b.send(bob.user!.id, 'barrier');
    await waitFor(() => b.allAcked(), 5000, 'barrier');
    expect(b.texts()).not.toContain(last);

    // The count is on disk: after a restart the same update is refused again.
    a.destroy();
    b.destroy();
    const restarted = await server.restart();
    servers.splice(0, 1, restarted);
    const again = new TestClient(restarted.origin);
    clients.push(again);
    again.cookie = alice.cookie;
    const doc = new Y.Doc();
    const m = { id: newMessageId(), from: alice.user!.id, text: 'y'.repeat(3000), at: Date.now() };
    doc.getArray('messages').push([m]);
    const device = await again.connect(restarted.wsUrl, convo.doc, doc);
    await waitFor(
      () => device.closeCodes.includes(CloseCode.quotaExceeded),
      5000,
      'refused after restart',
    );
  });
});

describe('awareness', () => {
  it('binds a client id durably only once it writes document content', async () => {
    const { server, alice, bob, convo } = await setup();
    const a = await alice.connect(server.wsUrl, convo.doc);
    const b = await bob.connect(server.wsUrl, convo.doc);
    a.provider.awareness.setLocalState({ typing: true });
    await waitFor(
      () => b.provider.awareness.getStates().get(a.doc.clientID)?.typing === true,
      5000,
      'typing seen',
    );
    const bound = (): number[] =>
      server.app
        .db!.prepare<[string], { client_id: number }>(
          'SELECT client_id FROM doc_clients WHERE doc = ?',
        )
        .all(convo.doc)
        .map((r) => r.client_id);
    expect(bound()).not.toContain(a.doc.clientID);
    a.send(alice.user!.id, 'now I write');
    await waitFor(() => a.allAcked(), 5000, 'ack');
    expect(bound()).toContain(a.doc.clientID);
  });
});

describe('/healthz', () => {
  it('answers ok and nothing about rooms or sockets', async () => {
    const { server } = await setup();
    const r = await fetch(`${server.origin}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });
});
