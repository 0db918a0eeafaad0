/**
 * Privacy settings (issue #14), enforced by the server against clients that read everything
 * they are sent: read receipts (reads kept out of the shared document), who sees last seen
 * and "here now", typing indicators, being found by e-mail; message requests read and
 * answered (finding 5); the directory never lists a domain (finding 11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, openEvents, waitFor, type Device } from '../helpers/client';
import type { ConversationSummary, DirectoryUser, PrivacySettings } from '../../shared/api';
import { DEFAULT_PRIVACY } from '../../shared/api';
import { Roots } from '../../shared/schema';

let server: TestServer;
const clients: TestClient[] = [];

async function user(name: string, email?: string): Promise<TestClient> {
  const c = new TestClient(server.origin);
  await c.register(
    email ?? `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    name,
  );
  clients.push(c);
  return c;
}

async function contacts(a: TestClient, b: TestClient): Promise<ConversationSummary> {
  const c = await a.open(b.user!.id);
  expect((await b.request('POST', `/api/conversations/${c.id}/accept`)).status).toBe(200);
  return c;
}

async function setPrivacy(c: TestClient, change: Partial<PrivacySettings>): Promise<void> {
  const r = await c.request('PUT', '/api/settings/privacy', { ...DEFAULT_PRIVACY, ...change });
  expect(r.status).toBe(200);
}

async function summary(c: TestClient, id: string): Promise<ConversationSummary> {
  return (await c.request<{ conversation: ConversationSummary }>('GET', `/api/conversations/${id}`))
    .body.conversation;
}

async function search(viewer: TestClient, q: string): Promise<DirectoryUser[]> {
  const r = await viewer.request<{ users: DirectoryUser[] }>(
    'GET',
    `/api/users?q=${encodeURIComponent(q)}`,
  );
  expect(r.status).toBe(200);
  return r.body.users;
}

/** Every awareness state `device` holds of someone else, as received. */
function othersStates(device: Device): { typing?: boolean; viewing?: boolean }[] {
  const out: { typing?: boolean; viewing?: boolean }[] = [];
  device.provider.awareness.getStates().forEach((state, client) => {
    if (client !== device.doc.clientID) out.push(state);
  });
  return out;
}

/** Send a message from `device` and wait until `to` holds it: everything sent before it arrived too. */
async function barrier(device: Device, from: string, to: Device): Promise<void> {
  const m = device.send(from, `barrier ${Math.random()}`);
  await waitFor(() => to.messages.toArray().some((x) => x.id === m.id), 5000, 'barrier');
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
  server.cleanup();
});

describe('privacy settings', () => {
  it('are the defaults until changed, validated at the edge, and your own', async () => {
    const ann = await user('Ann');
    const r = await ann.request<{ settings: PrivacySettings }>('GET', '/api/settings/privacy');
    expect(r.body.settings).toEqual(DEFAULT_PRIVACY);
    const bad = await ann.request<{ error: { message: string } }>('PUT', '/api/settings/privacy', {
      ...DEFAULT_PRIVACY,
      lastSeen: 'friends',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/lastSeen must be everyone, contacts or nobody/);
    const partial = await ann.request('PUT', '/api/settings/privacy', { readReceipts: false });
    expect(partial.status).toBe(400);
    // Nothing was changed by the refused requests.
    expect(
      (await ann.request<{ settings: PrivacySettings }>('GET', '/api/settings/privacy')).body
        .settings,
    ).toEqual(DEFAULT_PRIVACY);
    await setPrivacy(ann, { lastSeen: 'contacts', typing: false });
    expect(
      (await ann.request<{ settings: PrivacySettings }>('GET', '/api/settings/privacy')).body
        .settings,
    ).toEqual({ ...DEFAULT_PRIVACY, lastSeen: 'contacts', typing: false });
    const anonymous = new TestClient(server.origin);
    expect((await anonymous.request('GET', '/api/settings/privacy')).status).toBe(401);
    expect((await anonymous.request('PUT', '/api/settings/privacy', DEFAULT_PRIVACY)).status).toBe(
      401,
    );
  });
});

describe('read receipts off', () => {
  it('keep my reads out of the document the other person syncs, and hide theirs from me; my unread still clears', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const c = await contacts(alice, bob);
    expect((await summary(alice, c.id)).receipts).toBe(true);
    await setPrivacy(bob, { readReceipts: false });
    // Reciprocal: neither side shares read markers in this conversation now.
    expect((await summary(bob, c.id)).receipts).toBe(false);
    expect((await summary(alice, c.id)).receipts).toBe(false);

    const a = await alice.connect(server.wsUrl, c.doc);
    const b = await bob.connect(server.wsUrl, c.doc);
    const m = a.send(alice.user!.id, 'did you read this?');
    await waitFor(() => b.texts().includes('did you read this?'), 5000, 'bob has it');
    await waitFor(async () => (await summary(bob, c.id)).unread === 1, 5000, 'unread 1');
    // Bob reads it: outside the document.
    const read = await bob.request('POST', `/api/conversations/${c.id}/read`, { upTo: m.id });
    expect(read.status).toBe(204);
    await waitFor(async () => (await summary(bob, c.id)).unread === 0, 5000, 'unread cleared');
    // Barrier: Bob writes after his read; once Alice holds it, the read would have arrived.
    await barrier(b, bob.user!.id, a);
    expect([...a.doc.getMap(Roots.reads).keys()]).toEqual([]);
    // Delivered still works: Bob's device reports what it holds and Alice hears it.
    b.reportReceived();
    await waitFor(() => (a.peerReceived?.size ?? 0) > 0, 5000, 'delivered');
  });

  it('refuse a read of a conversation that is not yours, or of no message id', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const eve = await user('Eve');
    const c = await contacts(alice, bob);
    const m = 'm-0123456789';
    expect((await eve.request('POST', `/api/conversations/${c.id}/read`, { upTo: m })).status).toBe(
      403,
    );
    const bad = await bob.request<{ error: { message: string } }>(
      'POST',
      `/api/conversations/${c.id}/read`,
      { upTo: 'x' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/upTo must be a message id/);
    expect((await bob.request('POST', '/api/conversations/c_nope/read', { upTo: m })).status).toBe(
      404,
    );
  });
});

describe('last seen and online', () => {
  it('"nobody": a contact sees nothing, over the API, the event stream and the socket, and I see nobody', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const c = await contacts(alice, bob);
    const events = await openEvents(alice);
    const bobEvents = await openEvents(bob);
    await waitFor(
      async () => (await search(alice, bob.user!.email))[0]?.online === true,
      5000,
      'bob online',
    );
    await setPrivacy(bob, { lastSeen: 'nobody' });
    // Alice's stream hears that Bob's status is hidden now.
    await waitFor(
      () =>
        events.events.some(
          (e) =>
            e.type === 'presence' &&
            e.userId === bob.user!.id &&
            e.online === false &&
            e.lastSeen === null,
        ),
      5000,
      'hidden presence event',
    );
    const found = (await search(alice, bob.user!.email))[0]!;
    expect(found).toMatchObject({ online: false, lastSeen: null });
    expect((await summary(alice, c.id)).peer).toMatchObject({ online: false, lastSeen: null });
    // Reciprocal: Bob no longer sees Alice online either.
    expect((await search(bob, alice.user!.email))[0]).toMatchObject({
      online: false,
      lastSeen: null,
    });

    // The socket: Bob's open conversation ("here now") never reaches Alice; his typing does.
    const a = await alice.connect(server.wsUrl, c.doc);
    const b = await bob.connect(server.wsUrl, c.doc);
    b.provider.awareness.setLocalStateField('viewing', true);
    await barrier(b, bob.user!.id, a);
    b.provider.awareness.setLocalState({ viewing: true, typing: true });
    await waitFor(() => othersStates(a).some((s) => s.typing === true), 5000, 'typing');
    expect(othersStates(a).every((s) => s.viewing !== true)).toBe(true);
    events.close();
    bobEvents.close();
  });

  it('"contacts": a contact sees it, a stranger sees nothing', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const stranger = await user('Stranger');
    await contacts(alice, bob);
    await setPrivacy(bob, { lastSeen: 'contacts' });
    const events = await openEvents(bob);
    await waitFor(
      async () => (await search(alice, bob.user!.email))[0]?.online === true,
      5000,
      'contact sees online',
    );
    expect((await search(stranger, bob.user!.email))[0]).toMatchObject({
      online: false,
      lastSeen: null,
    });
    events.close();
  });
});

describe('typing indicators off', () => {
  it('are neither sent nor seen: the server drops typing in a conversation with someone who turned them off', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const c = await contacts(alice, bob);
    const a = await alice.connect(server.wsUrl, c.doc);
    const b = await bob.connect(server.wsUrl, c.doc);
    // On: typing arrives.
    a.provider.awareness.setLocalState({ typing: true, viewing: false });
    await waitFor(() => othersStates(b).some((s) => s.typing === true), 5000, 'typing on');
    a.provider.awareness.setLocalState({ typing: false, viewing: false });
    await waitFor(() => othersStates(b).every((s) => s.typing !== true), 5000, 'typing cleared');

    await setPrivacy(bob, { typing: false });
    // Alice (who has them on) keeps typing: once the room applies Bob's setting, Bob holds her
    // state ("here now") without the typing (one state: the one is the other's barrier).
    await waitFor(
      async () => {
        a.provider.awareness.setLocalState({ typing: true, viewing: true });
        await new Promise((r) => setTimeout(r, 50));
        return othersStates(b).some((s) => s.viewing === true && s.typing === false);
      },
      5000,
      'alice here, not typing',
    );
    // And Bob's own typing does not reach Alice.
    b.provider.awareness.setLocalState({ typing: true, viewing: true });
    await waitFor(() => othersStates(a).some((s) => s.viewing === true), 5000, 'bob here');
    expect(othersStates(a).filter((s) => s.viewing === true)).toEqual([
      expect.objectContaining({ typing: false }),
    ]);
  });
});

describe('the directory (finding 11)', () => {
  it('never lists a domain or a letter; a whole address finds only people who allow it', async () => {
    const me = await user('Seeker');
    const token = Math.random().toString(36).slice(2, 8);
    const open = await user(`Opal ${token}`, `opal.${token}@corp-${token}.example`);
    const shy = await user(`Shyla ${token}`, `shyla.${token}@corp-${token}.example`);
    await setPrivacy(shy, { discoverableByEmail: false });
    for (const q of [`corp-${token}.example`, `@corp-${token}.example`, 'o', 's', token.slice(1)])
      expect(await search(me, q), q).toEqual([]);
    expect((await search(me, open.user!.email)).map((u) => u.id)).toEqual([open.user!.id]);
    expect(await search(me, shy.user!.email)).toEqual([]);
    expect(await search(me, shy.user!.email.toUpperCase())).toEqual([]);
    // By name they are still found.
    expect((await search(me, `shyla ${token}`)).map((u) => u.id)).toEqual([shy.user!.id]);
  });
});

describe('message requests (finding 5)', () => {
  it('reading one clears its unread without telling the sender; replying accepts it', async () => {
    const carol = await user('Carol');
    const dave = await user('Dave');
    const c = await carol.open(dave.user!.id);
    const sent = await carol.connect(server.wsUrl, c.doc);
    const m = sent.send(carol.user!.id, 'hello, stranger');
    await waitFor(async () => (await summary(dave, c.id)).unread === 1, 5000, 'request unread');
    const asDave = await summary(dave, c.id);
    expect(asDave).toMatchObject({ request: true, receipts: false });
    // Opening it reads it: the badge clears, and it is still a request.
    expect(
      (await dave.request('POST', `/api/conversations/${c.id}/read`, { upTo: m.id })).status,
    ).toBe(204);
    await waitFor(async () => (await summary(dave, c.id)).unread === 0, 5000, 'read');
    expect((await summary(dave, c.id)).request).toBe(true);
    // Dave replies: the request is accepted, they are contacts.
    const d = await dave.connect(server.wsUrl, c.doc, new Y.Doc());
    await barrier(d, dave.user!.id, sent);
    await waitFor(async () => (await summary(dave, c.id)).request === false, 5000, 'accepted');
    const list = await dave.request<{ contacts: DirectoryUser[] }>('GET', '/api/contacts');
    expect(list.body.contacts.map((u) => u.id)).toContain(carol.user!.id);
    expect([...sent.doc.getMap(Roots.reads).keys()]).toEqual([]);
  });
});
