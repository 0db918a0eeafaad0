/**
 * Epochs: a live document that reaches the epoch size is sealed; the conversation's next
 * document becomes live, clients are told where to write, sealed documents refuse new
 * messages but stay readable, and history pages span every epoch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, rawSocket, waitFor } from '../helpers/client';
import { CloseCode } from '../../shared/protocol';
import type { ConversationSummary, HistoryPage } from '../../shared/api';
import type { ChatMessage } from '../../shared/schema';

const EPOCH = 12;
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
let convo: ConversationSummary;

beforeAll(async () => {
  server = await startTestServer({ epochMessages: EPOCH });
  alice = new TestClient(server.origin);
  bob = new TestClient(server.origin);
  carol = new TestClient(server.origin);
  await alice.register('alice@example.com', 'Alice');
  await bob.register('bob@example.com', 'Bob');
  await carol.register('carol@example.com', 'Carol');
  convo = await alice.open(bob.user!.id);
});
afterAll(async () => {
  alice.destroy();
  bob.destroy();
  carol.destroy();
  await server.stop();
  server.cleanup();
});

const summary = async (c: TestClient): Promise<ConversationSummary> =>
  (await c.request<{ conversation: ConversationSummary }>('GET', `/api/conversations/${convo.id}`))
    .body.conversation;

describe('epochs', () => {
  it('seals the live document at the epoch size and names the next one', async () => {
    expect(convo.epoch).toBe(0);
    expect(convo.doc).toBe(convo.id);
    const a = await alice.connect(server.wsUrl, convo.doc);
    const b = await bob.connect(server.wsUrl, convo.doc);
    for (let i = 0; i < EPOCH; i++) a.send(alice.user!.id, `old ${i}`);
    await waitFor(() => a.allAcked(), 5000, 'acks');
    await waitFor(() => a.sealedTo !== null && b.sealedTo !== null, 5000, 'sealed notices');
    expect(a.sealedTo).toBe(`${convo.id}.1`);
    // The ack of the sealing message comes before the notice (clients carry unacked ones over).
    expect(a.ackedAtSeal).toBe(true);
    const s = await summary(bob);
    expect(s.epoch).toBe(1);
    expect(s.doc).toBe(`${convo.id}.1`);
    expect(b.texts()).toHaveLength(EPOCH);

    // A new message in the sealed document is not taken: it is not stored, relayed or acked.
    // The server answers a refused message with "sealed" again: that answer is the barrier
    // (it comes only on the refusing path; a taken message would be acked and relayed).
    a.sealedTo = null;
    const lost = a.send(alice.user!.id, 'too late');
    await waitFor(() => a.sealedTo !== null, 5000, 'sealed again, for the refused message');
    expect(b.messages.toArray().some((m) => m.id === lost.id)).toBe(false);
    expect(a.allAcked()).toBe(false);
    a.destroy();
    b.destroy();

    // The next document is live: messages flow there.
    const a1 = await alice.connect(server.wsUrl, s.doc);
    const b1 = await bob.connect(server.wsUrl, s.doc);
    expect(a1.sealedTo).toBeNull();
    const m = a1.send(alice.user!.id, 'new epoch');
    await waitFor(() => b1.messages.toArray().some((x) => x.id === m.id), 5000, 'delivery');
    a1.destroy();
    b1.destroy();
  });

  it('serves a sealed document to participants only, whole or as a diff', async () => {
    const r = await fetch(`${server.origin}/api/conversations/${convo.id}/epochs/0`, {
      headers: { Cookie: bob.cookie! },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await r.arrayBuffer()));
    const texts = doc
      .getArray<ChatMessage>('messages')
      .toArray()
      .map((m) => m.text);
    expect(texts).toEqual(Array.from({ length: EPOCH }, (_, i) => `old ${i}`));

    const sv = Buffer.from(Y.encodeStateVector(doc)).toString('base64url');
    const diff = await fetch(`${server.origin}/api/conversations/${convo.id}/epochs/0?sv=${sv}`, {
      headers: { Cookie: bob.cookie! },
    });
    const before = Y.encodeStateVector(doc);
    Y.applyUpdate(doc, new Uint8Array(await diff.arrayBuffer()));
    expect(Y.encodeStateVector(doc)).toEqual(before);

    const stranger = await carol.request('GET', `/api/conversations/${convo.id}/epochs/0`);
    expect(stranger.status).toBe(403);
    const live = await bob.request('GET', `/api/conversations/${convo.id}/epochs/1`);
    expect(live.status).toBe(404);
    const bad = await bob.request('GET', `/api/conversations/${convo.id}/epochs/x`);
    expect(bad.status).toBe(400);
    const badSv = await bob.request('GET', `/api/conversations/${convo.id}/epochs/0?sv=%25%25`);
    expect(badSv.status).toBe(400);
  });

  it('acknowledges what is stored before the sealed notice to a device that reconnects', async () => {
    const d = await alice.connect(server.wsUrl, convo.doc);
    await waitFor(() => d.sealedTo !== null, 5000, 'sealed notice on join');
    expect(d.ackedSv.size).toBeGreaterThan(0);
    d.destroy();
  });

  it('refuses documents of epochs that do not exist yet, and malformed names', async () => {
    const future = await rawSocket(`${server.wsUrl}/${convo.id}.5`, {
      Origin: server.origin,
      Cookie: alice.cookie!,
    });
    expect(future.closed).toBe(CloseCode.forbidden);
    const stranger = await rawSocket(`${server.wsUrl}/${convo.id}.1`, {
      Origin: server.origin,
      Cookie: carol.cookie!,
    });
    expect(stranger.closed).toBe(CloseCode.forbidden);
    const malformed = await rawSocket(`${server.wsUrl}/${convo.id}.01`, {
      Origin: server.origin,
      Cookie: alice.cookie!,
    });
    expect(malformed.closed).toBe(CloseCode.forbidden);
  });

  it('keeps one history across epochs (pages, unread counts)', async () => {
    const page = await bob.request<HistoryPage>(
      'GET',
      `/api/conversations/${convo.id}/messages?limit=200`,
    );
    const texts = page.body.messages.map((m) => m.text);
    expect(texts).toContain('new epoch');
    expect(texts).toContain('old 0');
    expect(texts).not.toContain('too late');
    expect((await summary(bob)).unread).toBe(EPOCH + 1);
  });
});
