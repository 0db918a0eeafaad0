/**
 * Issue #14, embedded mode: pin, archive and "delete chat for me" are the signed-in user's
 * own (every device of theirs agrees, the other person sees no change, a third user cannot
 * set them), "delete for me" empties my history and list entry while the peer keeps
 * everything, and the chat comes back with only the new message when the peer writes again.
 * Typing reaches the other person's event stream while they do not have the chat open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, openEvents, waitFor, type Device } from '../helpers/client';
import type { ConversationSummary, MessageRecord } from '../../shared/api';
import { MAX_PINS } from '../../server/store/conversation-prefs';

let server: TestServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
  server.cleanup();
});

async function person(name: string): Promise<TestClient> {
  const c = new TestClient(server.origin);
  await c.register(
    `${name.toLowerCase()}-${Math.random().toString(36).slice(2)}@example.com`,
    name,
  );
  clients.push(c);
  return c;
}

/** Alice and Bob, contacts, in one conversation. */
async function pair() {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const c = await alice.open(bob.user!.id);
  await bob.request('POST', `/api/conversations/${c.id}/accept`);
  return { alice, bob, c };
}

async function list(who: TestClient): Promise<ConversationSummary[]> {
  const r = await who.request<{ conversations: ConversationSummary[] }>(
    'GET',
    '/api/conversations',
  );
  expect(r.status).toBe(200);
  return r.body.conversations;
}

async function history(who: TestClient, id: string): Promise<string[]> {
  const r = await who.request<{ messages: MessageRecord[] }>(
    'GET',
    `/api/conversations/${id}/messages`,
  );
  expect(r.status).toBe(200);
  return r.body.messages.map((m) => m.text);
}

async function sendStored(d: Device, from: string, text: string): Promise<void> {
  d.send(from, text);
  await waitFor(() => d.allAcked(), 5000, `"${text}" stored`);
}

describe('conversation preferences', () => {
  it('pin and archive are mine on every device, not the peer’s; a third user cannot set them', async () => {
    const { alice, bob, c } = await pair();
    const carol = await person('Carol');
    const secondDevice = new TestClient(server.origin);
    clients.push(secondDevice);
    const login = await secondDevice.request('POST', '/api/auth/login', {
      email: alice.user!.email,
      password: 'correct horse battery',
    });
    expect(login.status).toBe(200);

    const pinned = await alice.request<{ conversation: ConversationSummary }>(
      'PUT',
      `/api/conversations/${c.id}/pin`,
    );
    expect(pinned.status).toBe(200);
    expect(pinned.body.conversation.pinned).toEqual(expect.any(Number));
    expect((await list(secondDevice)).find((x) => x.id === c.id)?.pinned).toEqual(
      pinned.body.conversation.pinned,
    );
    expect((await list(bob)).find((x) => x.id === c.id)?.pinned).toBeNull();

    expect((await alice.request('PUT', `/api/conversations/${c.id}/archive`)).status).toBe(200);
    expect((await list(secondDevice)).find((x) => x.id === c.id)?.archived).toBe(true);
    expect((await list(bob)).find((x) => x.id === c.id)?.archived).toBe(false);
    expect((await alice.request('DELETE', `/api/conversations/${c.id}/archive`)).status).toBe(200);
    expect((await list(secondDevice)).find((x) => x.id === c.id)?.archived).toBe(false);

    for (const [method, path] of [
      ['PUT', 'pin'],
      ['DELETE', 'pin'],
      ['PUT', 'archive'],
      ['DELETE', 'archive'],
      ['POST', 'clear'],
    ] as const) {
      const r = await carol.request(method, `/api/conversations/${c.id}/${path}`);
      expect(r.status, `${method} ${path} by a third user`).toBe(403);
    }
    const signedOut = new TestClient(server.origin);
    expect((await signedOut.request('PUT', `/api/conversations/${c.id}/pin`)).status).toBe(401);
    expect((await alice.request('PUT', '/api/conversations/nope/pin')).status).toBe(404);
    expect((await list(bob)).find((x) => x.id === c.id)).toMatchObject({
      pinned: null,
      archived: false,
    });
  });

  it(`pins at most ${MAX_PINS} chats, with a clear error beyond`, async () => {
    const alice = await person('Alice');
    const ids: string[] = [];
    for (let i = 0; i <= MAX_PINS; i++) {
      const peer = await person(`Peer${i}`);
      ids.push((await alice.open(peer.user!.id)).id);
    }
    for (const id of ids.slice(0, MAX_PINS))
      expect((await alice.request('PUT', `/api/conversations/${id}/pin`)).status).toBe(200);
    const over = await alice.request<{ error: { code: string; message: string } }>(
      'PUT',
      `/api/conversations/${ids[MAX_PINS]}/pin`,
    );
    expect(over.status).toBe(409);
    expect(over.body.error.message).toBe(`You can pin up to ${MAX_PINS} chats. Unpin one first.`);
  });

  it('delete chat for me: my history and list are empty, the peer keeps everything, a new message brings it back alone', async () => {
    const { alice, bob, c } = await pair();
    const a = await alice.connect(server.wsUrl, c.doc);
    const b = await bob.connect(server.wsUrl, c.doc);
    await sendStored(a, alice.user!.id, 'first from alice');
    await sendStored(b, bob.user!.id, 'reply from bob with lighthouse');
    const aliceEvents = await openEvents(alice);
    try {
      const cleared = await alice.request<{ clearedAt: number }>(
        'POST',
        `/api/conversations/${c.id}/clear`,
      );
      expect(cleared.status).toBe(200);
      expect(await history(alice, c.id)).toEqual([]);
      expect((await list(alice)).some((x) => x.id === c.id)).toBe(false);
      const search = await alice.request<{ results: unknown[] }>('GET', '/api/search?q=lighthouse');
      expect(search.body.results).toEqual([]);
      // Every device of Alice's drops it at once.
      await waitFor(
        () => aliceEvents.events.some((e) => e.type === 'conversation-removed' && e.id === c.id),
        5000,
        'the removal reaches alice’s stream',
      );
      // Bob keeps everything.
      expect(await history(bob, c.id)).toEqual([
        'reply from bob with lighthouse',
        'first from alice',
      ]);
      const bobs = (await list(bob)).find((x) => x.id === c.id);
      expect(bobs?.lastMessage?.text).toBe('reply from bob with lighthouse');
      expect(bobs?.clearedAt).toBeNull();

      await sendStored(b, bob.user!.id, 'are you there?');
      const back = (await list(alice)).find((x) => x.id === c.id);
      expect(back?.lastMessage?.text).toBe('are you there?');
      expect(back?.unread).toBe(1);
      expect(back?.clearedAt).toBe(cleared.body.clearedAt);
      expect(await history(alice, c.id)).toEqual(['are you there?']);
      expect(await history(bob, c.id)).toHaveLength(3);
    } finally {
      aliceEvents.close();
    }
  });

  it('typing reaches the other person’s event stream (the chat need not be open there), and stops', async () => {
    const { alice, bob, c } = await pair();
    const bobEvents = await openEvents(bob);
    const a = await alice.connect(server.wsUrl, c.doc);
    try {
      a.provider.awareness.setLocalStateField('typing', true);
      await waitFor(
        () =>
          bobEvents.events.some(
            (e) =>
              e.type === 'typing' &&
              e.conversationId === c.id &&
              e.userId === alice.user!.id &&
              e.typing === true,
          ),
        5000,
        'bob hears alice typing',
      );
      a.provider.awareness.setLocalStateField('typing', false);
      await waitFor(
        () => bobEvents.events.some((e) => e.type === 'typing' && e.typing === false),
        5000,
        'bob hears alice stop',
      );
      expect(
        bobEvents.events.filter((e) => e.type === 'typing' && e.userId !== alice.user!.id),
      ).toEqual([]);
    } finally {
      bobEvents.close();
    }
  });
});
