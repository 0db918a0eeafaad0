/**
 * Push notifications (issue #13), embedded mode: a real HTTP endpoint on 127.0.0.1 stands in
 * for the push service; each push is decrypted with the device's private key. Absence is
 * checked after the notifier went idle (every queued decision made and sent), never after a
 * fixed sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, waitFor, type Device } from '../helpers/client';
import { PushService, type PushDevice } from '../helpers/push-service';
import type { ConversationSummary } from '../../shared/api';
import type { ChatMessage } from '../../shared/schema';

let server: TestServer;
let push: PushService;
const clients: TestClient[] = [];

beforeAll(async () => {
  push = await PushService.start();
  server = await startTestServer({
    push: { subject: 'mailto:ops@example.com', keys: null, allowPrivateEndpoints: true },
  });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
  server.cleanup();
  await push.close();
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

async function subscribe(c: TestClient, name: string): Promise<PushDevice> {
  const d = push.device(name);
  const r = await c.request('POST', '/api/push/subscriptions', d.subscription);
  expect(r.status).toBe(201);
  return d;
}

/** Alice and Bob, contacts, in one conversation, each with a socket and a subscribed device. */
async function pair() {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const c = await alice.open(bob.user!.id);
  await bob.request('POST', `/api/conversations/${c.id}/accept`);
  const a = await alice.connect(server.wsUrl, c.doc);
  const b = await bob.connect(server.wsUrl, c.doc);
  const aliceDevice = await subscribe(alice, `alice`);
  const bobDevice = await subscribe(bob, `bob`);
  return { alice, bob, c, a, b, aliceDevice, bobDevice };
}

/** Send and wait until the server stored it and every notification decision was made. */
async function sendStored(d: Device, from: string, text: string): Promise<ChatMessage> {
  const m = d.send(from, text);
  await waitFor(() => d.allAcked(), 5000, `"${text}" stored`);
  await server.app.notifier.idle();
  return m;
}

describe('push notifications', () => {
  it('refuses a subscription that is not a URL or lacks keys, and a request without a session', async () => {
    const alice = await person('Alice');
    const bad = await alice.request('POST', '/api/push/subscriptions', {
      endpoint: 'not a url',
      keys: { p256dh: 'x', auth: 'y' },
    });
    expect(bad.status).toBe(400);
    const noKeys = await alice.request('POST', '/api/push/subscriptions', {
      endpoint: 'https://example.com/x',
    });
    expect(noKeys.status).toBe(400);
    const stranger = new TestClient(server.origin);
    expect((await stranger.request('GET', '/api/push/key')).status).toBe(401);
    const key = await alice.request<{ publicKey: string }>('GET', '/api/push/key');
    expect(key.body.publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
  });

  it('notifies the recipient, never the sender, with what the privacy setting allows', async () => {
    const { alice, bob, c, a, b, aliceDevice, bobDevice } = await pair();
    const m = await sendStored(b, bob.user!.id, 'Dinner at 8? 🍝');
    await push.waitFor(() => push.for(aliceDevice).length === 1, 'the push to Alice');
    const first = push.for(aliceDevice)[0]!;
    expect(first).toMatchObject({
      type: 'message',
      conversationId: c.id,
      messageId: m.id,
      title: 'Bob',
      body: 'Dinner at 8? 🍝',
      count: 1,
      url: `/c/${c.id}`,
    });
    const got = push.received.find((r) => r.device === aliceDevice.endpoint)!;
    // The push service saw an encrypted body, a VAPID signature and a topic per conversation.
    expect(String(got.headers['content-encoding'])).toBe('aes128gcm');
    expect(String(got.headers.authorization)).toMatch(/^vapid t=/);
    expect(String(got.headers.topic)).toBe(c.id);
    // Name only, then nothing: the text never reaches the push service or the lock screen.
    for (const [preview, title, body] of [
      ['name-only', 'Bob', '2 new messages'],
      ['nothing', 'Parley', '3 new messages'],
    ] as const) {
      await alice.request('PUT', '/api/settings/notifications', { enabled: true, preview });
      await sendStored(b, bob.user!.id, `secret ${preview}`);
      await push.waitFor(
        () =>
          push
            .for(aliceDevice)
            .some((p) => p.type === 'message' && p.title === title && p.body === body),
        preview,
      );
      expect(JSON.stringify(push.for(aliceDevice))).not.toContain(`secret ${preview}`);
    }
    // Bob's own messages never notified his own device; Alice's reply does (the barrier).
    await sendStored(a, alice.user!.id, 'Yes!');
    await push.waitFor(() => push.for(bobDevice).length === 1, 'the push to Bob');
    expect(push.for(bobDevice)).toEqual([
      expect.objectContaining({ type: 'message', title: 'Alice', body: 'Yes!' }),
    ]);
  });

  it('clears on read (every device) and retracts a deleted message', async () => {
    const { alice, bob, a, b, aliceDevice, c } = await pair();
    const phone = await subscribe(alice.via(server.origin), 'alice-phone');
    const m = await sendStored(b, bob.user!.id, 'to be deleted');
    await push.waitFor(
      () => push.for(phone).length === 1 && push.for(aliceDevice).length === 1,
      'both devices',
    );
    // Deleted for everyone: the notification showing it goes away.
    const i = b.messages.toArray().findIndex((x) => x.id === m.id);
    b.messages.delete(i, 1);
    await waitFor(() => b.allAcked(), 5000, 'delete stored');
    await server.app.notifier.idle();
    await push.waitFor(() => push.for(phone).some((p) => p.type === 'retract'), 'the retraction');
    expect(push.for(aliceDevice)).toContainEqual({
      type: 'retract',
      conversationId: c.id,
      messageId: m.id,
    });
    // A new message, then Alice reads on one device: every device clears.
    const n = await sendStored(b, bob.user!.id, 'read me');
    a.doc.getMap('reads').set(alice.user!.id, { upTo: n.id, at: Date.now() });
    await waitFor(() => a.allAcked(), 5000, 'read marker stored');
    await server.app.notifier.idle();
    for (const d of [aliceDevice, phone])
      await push.waitFor(() => push.for(d).some((p) => p.type === 'clear'), `clear on ${d.name}`);
  });

  it('stays quiet while the conversation is open and visible on one of her devices', async () => {
    const { alice, bob, a, b, aliceDevice } = await pair();
    a.provider.awareness.setLocalStateField('viewing', true);
    await waitFor(
      () =>
        [...b.provider.awareness.getStates().values()].some(
          (s) =>
            (s as { user?: { id: string }; viewing?: boolean }).user?.id === alice.user!.id &&
            (s as { viewing?: boolean }).viewing === true,
        ),
      5000,
      'Alice viewing, as Bob sees it',
    );
    await sendStored(b, bob.user!.id, 'while she looks');
    a.provider.awareness.setLocalStateField('viewing', false);
    await waitFor(
      () =>
        [...b.provider.awareness.getStates().values()].some(
          (s) =>
            (s as { user?: { id: string } }).user?.id === alice.user!.id &&
            (s as { viewing?: boolean }).viewing === false,
        ),
      5000,
      'Alice not viewing',
    );
    await sendStored(b, bob.user!.id, 'after she left');
    await push.waitFor(() => push.for(aliceDevice).length === 1, 'one push');
    expect(push.for(aliceDevice).map((p) => (p.type === 'message' ? p.body : p.type))).toEqual([
      'after she left (2 new messages)',
    ]);
  });

  it('mutes a conversation on every device, for a while or always, and unmutes', async () => {
    const { alice, bob, c, b, aliceDevice } = await pair();
    const muted = await alice.request<{ muted: { until: number } }>(
      'PUT',
      `/api/conversations/${c.id}/mute`,
      { duration: '8h' },
    );
    expect(muted.status).toBe(200);
    expect(muted.body.muted.until).toBeGreaterThan(Date.now() + 7 * 3600_000);
    const s = await alice.request<{ conversation: ConversationSummary }>(
      'GET',
      `/api/conversations/${c.id}`,
    );
    expect(s.body.conversation.muted).toEqual({ until: muted.body.muted.until });
    await sendStored(b, bob.user!.id, 'muted one');
    expect(push.for(aliceDevice)).toEqual([]);
    expect(
      (await alice.request('PUT', `/api/conversations/${c.id}/mute`, { duration: 'forever' }))
        .status,
    ).toBe(400);
    expect((await bob.request('DELETE', `/api/conversations/${c.id}/mute`)).status).toBe(204);
    const carol = await person('Carol');
    expect(
      (await carol.request('PUT', `/api/conversations/${c.id}/mute`, { duration: '1h' })).status,
    ).toBe(403);
    expect((await alice.request('DELETE', `/api/conversations/${c.id}/mute`)).status).toBe(204);
    await sendStored(b, bob.user!.id, 'loud one');
    await push.waitFor(() => push.for(aliceDevice).length === 1, 'the unmuted push');
    expect(push.for(aliceDevice)[0]).toMatchObject({ body: 'loud one (2 new messages)' });
    // The global switch: off means nothing, on any device.
    await alice.request('PUT', '/api/settings/notifications', {
      enabled: false,
      preview: 'name-only',
    });
    await sendStored(b, bob.user!.id, 'switched off');
    expect(push.for(aliceDevice)).toHaveLength(1);
  });

  it('announces a message request once, quietly, and nothing from someone blocked', async () => {
    const alice = await person('Alice');
    const dave = await person('Dave');
    const aliceDevice = await subscribe(alice, 'alice-req');
    const c = await dave.open(alice.user!.id);
    const d = await dave.connect(server.wsUrl, c.doc);
    for (const text of ['hi', 'are you there?', 'hello??'])
      await sendStored(d, dave.user!.id, text);
    await push.waitFor(() => push.for(aliceDevice).length >= 1, 'the request push');
    expect(push.for(aliceDevice)).toEqual([
      {
        type: 'request',
        conversationId: c.id,
        title: 'New message request',
        body: 'From Dave',
        url: `/c/${c.id}`,
      },
    ]);
    // Blocked: Dave's socket is closed and nothing more reaches Alice.
    await alice.request('POST', `/api/blocks/${dave.user!.id}`);
    await waitFor(() => d.closeCodes.includes(4403), 5000, 'Dave closed');
    await server.app.notifier.idle();
    expect(push.for(aliceDevice)).toHaveLength(1);
  });

  it('reports how long a push takes from commit to the push request', async () => {
    const { bob, b, aliceDevice } = await pair();
    for (let i = 0; i < 20; i++) await sendStored(b, bob.user!.id, `timing ${i}`);
    await push.waitFor(() => push.for(aliceDevice).length === 20, 'twenty pushes');
    const ms = [...server.app.notifier.sender.commitToPushMs].sort((x, y) => x - y);
    const at = (q: number): string =>
      ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(1);
    console.log(
      `push: commit → push service answered, over ${ms.length} messages: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`,
    );
    expect(ms.length).toBeGreaterThanOrEqual(20);
  });

  it('removes a subscription the push service says is gone, and the device’s on sign-out', async () => {
    const { alice, bob, b, aliceDevice, bobDevice } = await pair();
    push.gone.add(aliceDevice.endpoint);
    await sendStored(b, bob.user!.id, 'into the void');
    expect(await server.app.storage.push.subscriptions(alice.user!.id)).toEqual([]);
    push.gone.delete(aliceDevice.endpoint);
    expect(await server.app.storage.push.subscriptions(bob.user!.id)).toHaveLength(1);
    await bob.request('POST', '/api/auth/logout');
    expect(await server.app.storage.push.subscriptions(bob.user!.id)).toEqual([]);
    void bobDevice;
  });
});
