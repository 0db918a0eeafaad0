/**
 * The client's data layer across epochs, against a real server: moving to the next live
 * document when the server seals one (unsent messages go along, exactly once), and loading
 * sealed history on demand.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, waitFor } from '../helpers/client';
import { appConversation } from '../helpers/app-conversation';
import type { Conversation } from '../../client/data/conversation';
import type { ConversationSummary, HistoryPage } from '../../shared/api';

const EPOCH = 6;
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let convo: ConversationSummary;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ epochMessages: EPOCH });
  alice = new TestClient(server.origin);
  bob = new TestClient(server.origin);
  await alice.register('alice@example.com', 'Alice');
  await bob.register('bob@example.com', 'Bob');
  convo = await alice.open(bob.user!.id);
});
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
afterAll(async () => {
  alice.destroy();
  bob.destroy();
  await server.stop();
  server.cleanup();
});

/** Alice's conversation as the app builds it, with her cookie; its providers are kept. */
function alicesConversation(docName: string): {
  c: Conversation;
  providers: WebsocketProvider[];
} {
  const made = appConversation(server.wsUrl, alice, convo, {
    docName,
    fetchEpoch: async (_id, epoch, sv) => {
      const res = await fetch(
        `${server.origin}/api/conversations/${convo.id}/epochs/${epoch}?sv=${Buffer.from(sv).toString('base64url')}`,
        { headers: { Cookie: alice.cookie! } },
      );
      if (!res.ok) throw new Error(String(res.status));
      return new Uint8Array(await res.arrayBuffer());
    },
  });
  cleanups.push(() => made.c.destroy());
  return made;
}

const texts = (c: Conversation): string[] => c.snapshot.messages.map((m) => m.text);

describe('a conversation across epochs', () => {
  it('moves to the next document when the server seals one, carrying unsent messages once', async () => {
    const { c, providers } = alicesConversation(convo.doc);
    await c.open();
    c.send('a1');
    c.send('a2');
    await waitFor(
      () =>
        c.snapshot.messages.length === 2 && c.snapshot.messages.every((m) => m.state === 'sent'),
      5000,
      'sent',
    );
    // Alice goes offline and writes two more.
    providers[0]!.disconnect();
    c.send('offline 1');
    c.send('offline 2');
    // Meanwhile Bob fills the document: the server seals it.
    const b0 = await bob.connect(server.wsUrl, convo.doc);
    for (let i = 0; i < EPOCH - 2; i++) b0.send(bob.user!.id, `b${i}`);
    await waitFor(() => b0.sealedTo !== null, 5000, 'sealed');
    const live = b0.sealedTo!;
    b0.destroy();
    const b1 = await bob.connect(server.wsUrl, live);

    // Alice comes back: the server says "sealed", her unsent messages go to the live document.
    c.reconnect();
    await waitFor(() => c.docName === live, 5000, 'moved');
    await waitFor(
      () => b1.texts().includes('offline 1') && b1.texts().includes('offline 2'),
      5000,
      'carried messages delivered',
    );
    await waitFor(
      () => c.snapshot.messages.filter((m) => m.mine).every((m) => m.state !== 'pending'),
      5000,
      'carried messages sent',
    );
    expect(texts(c)).toEqual(['a1', 'a2', 'b0', 'b1', 'b2', 'b3', 'offline 1', 'offline 2']);
    expect(c.snapshot.older).toBe('none');

    const page = await bob.request<HistoryPage>(
      'GET',
      `/api/conversations/${convo.id}/messages?limit=200`,
    );
    const stored = page.body.messages.map((m) => m.text);
    expect(stored.filter((t) => t === 'offline 1')).toHaveLength(1);
    expect(stored.filter((t) => t === 'offline 2')).toHaveLength(1);

    // New messages flow in the live document both ways.
    c.send('after');
    await waitFor(() => b1.texts().includes('after'), 5000, 'delivery after the move');
    b1.send(bob.user!.id, 'reply');
    await waitFor(() => texts(c).includes('reply'), 5000, 'reply');
    b1.destroy();
  });

  it('loads sealed history on demand on a new device', async () => {
    const summary = (
      await alice.request<{ conversation: ConversationSummary }>(
        'GET',
        `/api/conversations/${convo.id}`,
      )
    ).body.conversation;
    expect(summary.epoch).toBe(1);
    const { c } = alicesConversation(summary.doc);
    await c.open();
    await waitFor(() => texts(c).includes('reply'), 5000, 'live document synced');
    expect(texts(c)).not.toContain('a1');
    expect(c.snapshot.older).toBe('more');
    await c.loadOlder();
    await waitFor(() => c.snapshot.older === 'none', 5000, 'older loaded');
    expect(texts(c).slice(0, 6)).toEqual(['a1', 'a2', 'b0', 'b1', 'b2', 'b3']);
    expect(texts(c)).toContain('reply');
    // Everything in a sealed document is on the server: Alice's own messages there are
    // not pending; Bob read on in the live document, so they are read.
    const a1 = c.snapshot.messages.find((m) => m.text === 'a1');
    expect(a1?.state).not.toBe('pending');
  });
});
