import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, openEvents, rawSocket, waitFor } from '../helpers/client';
import type { ConversationSummary, DirectoryUser } from '../../shared/api';
import { CloseCode } from '../../shared/protocol';

let server: TestServer;
const clients: TestClient[] = [];

async function user(name: string): Promise<TestClient> {
  const c = new TestClient(server.origin);
  await c.register(
    `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    name,
  );
  clients.push(c);
  return c;
}

async function listOf(c: TestClient): Promise<ConversationSummary[]> {
  return (await c.request<{ conversations: ConversationSummary[] }>('GET', '/api/conversations'))
    .body.conversations;
}

async function seen(viewer: TestClient, subject: TestClient): Promise<DirectoryUser | undefined> {
  const r = await viewer.request<{ users: DirectoryUser[] }>(
    'GET',
    `/api/users?q=${encodeURIComponent(subject.user!.email)}`,
  );
  return r.body.users[0];
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
  server.cleanup();
});

describe('presence and last seen', () => {
  it('counts every connection: online while one is open, last seen after the last closes', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const conv = await alice.open(bob.user!.id);
    await bob.request('POST', `/api/conversations/${conv.id}/accept`);
    expect((await seen(alice, bob))?.online).toBe(false);
    const events = await openEvents(alice);
    const tab1 = await bob.connect(server.wsUrl, conv.doc);
    const tab2 = await openEvents(bob); // another tab, no conversation open
    await waitFor(async () => (await seen(alice, bob))?.online === true, 5000, 'online');
    await waitFor(
      () =>
        events.events.some(
          (e) => e.type === 'presence' && e.userId === bob.user!.id && e.online === true,
        ),
      5000,
      'presence event',
    );
    tab1.destroy();
    await new Promise((r) => setTimeout(r, 400)); // past the grace period: still online through tab 2
    expect((await seen(alice, bob))?.online).toBe(true);
    const before = Date.now();
    tab2.close();
    await waitFor(async () => (await seen(alice, bob))?.online === false, 5000, 'offline');
    const u = await seen(alice, bob);
    expect(u?.lastSeen).toBeGreaterThanOrEqual(before - 1000);
    await waitFor(
      () =>
        events.events.some(
          (e) =>
            e.type === 'presence' &&
            e.userId === bob.user!.id &&
            e.online === false &&
            typeof e.lastSeen === 'number',
        ),
      5000,
      'offline event',
    );
    events.close();
  });
});

describe('unread counts', () => {
  it("counts the other person's messages from the projection, pushes them live, and a read marker clears them", async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const conv = await alice.open(bob.user!.id);
    const bobEvents = await openEvents(bob);
    const a = await alice.connect(server.wsUrl, conv.doc);
    a.send(alice.user!.id, 'one');
    a.send(alice.user!.id, 'two');
    const last = a.send(alice.user!.id, 'three');
    a.send(alice.user!.id, 'three'); // duplicate text, new id: counts
    await waitFor(() => a.allAcked(), 5000, 'acks');
    await waitFor(
      () =>
        bobEvents.events.some(
          (e) => e.type === 'conversation' && (e.conversation as ConversationSummary).unread === 4,
        ),
      5000,
      'live unread',
    );
    expect((await listOf(bob)).find((c) => c.id === conv.id)?.unread).toBe(4);
    expect((await listOf(alice)).find((c) => c.id === conv.id)?.unread).toBe(0);
    const b = await bob.connect(server.wsUrl, conv.doc);
    b.doc.getMap('reads').set(bob.user!.id, { upTo: last.id, at: Date.now() });
    await waitFor(
      async () => (await listOf(bob)).find((c) => c.id === conv.id)?.unread === 1,
      5000,
      'unread after read marker',
    );
    bobEvents.close();
  });

  it('orders the list by latest activity', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const carol = await user('Carol');
    const c1 = await alice.open(bob.user!.id);
    const c2 = await alice.open(carol.user!.id);
    const d1 = await alice.connect(server.wsUrl, c1.doc);
    d1.send(alice.user!.id, 'newer');
    await waitFor(() => d1.allAcked(), 5000, 'ack');
    expect((await listOf(alice)).map((c) => c.id)).toEqual([c1.id, c2.id]);
  });
});

describe('message requests, contacts and blocks', () => {
  it('delivers a first conversation from a stranger as a request that can be accepted', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const conv = await alice.open(bob.user!.id);
    expect(conv.request).toBe(false);
    const bobsView = (await listOf(bob)).find((c) => c.id === conv.id);
    expect(bobsView?.request).toBe(true);
    const contacts = await bob.request<{ incoming: { id: string; from: DirectoryUser }[] }>(
      'GET',
      '/api/contacts',
    );
    expect(contacts.body.incoming.map((r) => r.from.id)).toEqual([alice.user!.id]);
    // Until Bob accepts, Alice sees none of his presence.
    const b = await bob.connect(server.wsUrl, conv.doc);
    await waitFor(async () => (await seen(bob, alice)) !== undefined, 1000, 'search');
    const hidden = await seen(alice, bob);
    expect(hidden?.online).toBe(false);
    expect(hidden?.lastSeen).toBeNull();
    const acc = await bob.request(
      'POST',
      `/api/contacts/requests/${contacts.body.incoming[0]!.id}/accept`,
    );
    expect(acc.status).toBe(200);
    expect((await listOf(bob)).find((c) => c.id === conv.id)?.request).toBe(false);
    expect((await seen(alice, bob))?.online).toBe(true);
    const mine = await alice.request<{ contacts: DirectoryUser[] }>('GET', '/api/contacts');
    expect(mine.body.contacts.map((c) => c.id)).toEqual([bob.user!.id]);
    b.destroy();
  });

  it('sends, accepts, declines and cancels explicit contact requests, and removes contacts', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const carol = await user('Carol');
    const r1 = await alice.request<{ request: { id: string } }>('POST', '/api/contacts/requests', {
      userId: bob.user!.id,
    });
    expect(r1.status).toBe(201);
    expect(
      (await alice.request('POST', `/api/contacts/requests/${r1.body.request.id}/accept`)).status,
    ).toBe(403); // the sender may not answer their own request
    expect(
      (await bob.request('POST', `/api/contacts/requests/${r1.body.request.id}/decline`)).status,
    ).toBe(200);
    expect(
      (await bob.request<{ incoming: unknown[] }>('GET', '/api/contacts')).body.incoming,
    ).toEqual([]);
    const r2 = await alice.request<{ request: { id: string } }>('POST', '/api/contacts/requests', {
      userId: carol.user!.id,
    });
    expect(
      (await alice.request('DELETE', `/api/contacts/requests/${r2.body.request.id}`)).status,
    ).toBe(204); // cancel
    expect(
      (await carol.request<{ incoming: unknown[] }>('GET', '/api/contacts')).body.incoming,
    ).toEqual([]);
    const r3 = await alice.request<{ request: { id: string } }>('POST', '/api/contacts/requests', {
      userId: bob.user!.id,
    });
    expect(
      (await bob.request('POST', `/api/contacts/requests/${r3.body.request.id}/accept`)).status,
    ).toBe(200);
    expect(
      (await bob.request<{ contacts: DirectoryUser[] }>('GET', '/api/contacts')).body.contacts.map(
        (c) => c.id,
      ),
    ).toEqual([alice.user!.id]);
    expect(
      (await alice.request('POST', '/api/contacts/requests', { userId: bob.user!.id })).status,
    ).toBe(409);
    expect((await alice.request('DELETE', `/api/contacts/${bob.user!.id}`)).status).toBe(204);
    expect(
      (await bob.request<{ contacts: unknown[] }>('GET', '/api/contacts')).body.contacts,
    ).toEqual([]);
    expect((await alice.request('POST', '/api/contacts/requests', { userId: 'nope' })).status).toBe(
      400,
    );
    expect(
      (await alice.request('GET', '/api/contacts/requests/r_aaaaaaaaaaaaaaaaaaaa/accept')).status,
    ).toBe(404); // never a GET
  });

  it('refuses a blocked person on HTTP and on the socket, and closes their open socket', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const conv = await alice.open(bob.user!.id);
    const a = await alice.connect(server.wsUrl, conv.doc);
    const closed = a.nextClose();
    expect((await bob.request('POST', `/api/blocks/${alice.user!.id}`)).status).toBe(204);
    expect(await closed).toBe(CloseCode.forbidden);
    expect(
      (await alice.request('POST', '/api/conversations', { peerId: bob.user!.id })).status,
    ).toBe(403);
    expect(
      (await alice.request('POST', '/api/contacts/requests', { userId: bob.user!.id })).status,
    ).toBe(403);
    const r = await rawSocket(`${server.wsUrl}/${conv.doc}`, {
      Origin: server.origin,
      Cookie: alice.cookie!,
    });
    expect(r.closed).toBe(CloseCode.forbidden);
    expect(await seen(alice, bob)).toBeUndefined(); // not even found
    expect((await listOf(bob)).map((c) => c.id)).not.toContain(conv.id);
    expect((await bob.request('DELETE', `/api/blocks/${alice.user!.id}`)).status).toBe(204);
    expect(
      (await alice.request('POST', '/api/conversations', { peerId: bob.user!.id })).status,
    ).toBe(200);
  });
});

describe('awareness identity', () => {
  it('stamps the real user into awareness; a client cannot claim to be someone else', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const conv = await alice.open(bob.user!.id);
    await bob.request('POST', `/api/conversations/${conv.id}/accept`);
    const a = await alice.connect(server.wsUrl, conv.doc);
    const b = await bob.connect(server.wsUrl, conv.doc);
    a.provider.awareness.setLocalState({
      typing: true,
      user: { id: bob.user!.id, name: 'Bob' },
      evil: 'x'.repeat(100),
    });
    await waitFor(
      () =>
        [...b.provider.awareness.getStates().values()].some(
          (s) => (s as { typing?: boolean }).typing === true,
        ),
      5000,
      'typing relayed',
    );
    const states = [...b.provider.awareness.getStates().entries()]
      .filter(([id]) => id !== b.doc.clientID)
      .map(([, s]) => s);
    expect(states).toEqual([
      { user: { id: alice.user!.id, name: 'Alice' }, typing: true, viewing: false },
    ]);
  });

  it('hides typing of a pending request recipient from the requester', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const conv = await alice.open(bob.user!.id);
    const a = await alice.connect(server.wsUrl, conv.doc);
    const b = await bob.connect(server.wsUrl, conv.doc);
    a.provider.awareness.setLocalStateField('typing', true);
    b.provider.awareness.setLocalStateField('typing', true);
    await waitFor(
      () =>
        [...b.provider.awareness.getStates().entries()].some(
          ([id, s]) => id !== b.doc.clientID && (s as { typing?: boolean }).typing,
        ),
      5000,
      'bob sees alice typing',
    );
    // Barriers: the server has handled Bob's awareness (his socket's round trip), and
    // whatever it relayed to Alice has arrived (hers, started after his).
    await b.roundTrip();
    await a.roundTrip();
    expect(
      [...a.provider.awareness.getStates().keys()].filter((id) => id !== a.doc.clientID),
    ).toEqual([]);
  });
});
