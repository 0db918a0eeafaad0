/**
 * Your account (issue #14): the devices list and signing devices out, the export of your
 * data, and deleting your account — against a real server, real sockets and SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, DeviceSession, HistoryPage } from '../../shared/api';
import { CloseCode } from '../../shared/protocol';
import type { AccountExport } from '../../server/account/export';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, waitFor } from '../helpers/client';

const PASSWORD = 'correct horse battery';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

/** An `/api/events` stream with a promise that settles when the server ends it. */
async function openEvents(c: TestClient) {
  const res = await fetch(`${server.origin}/api/events`, {
    headers: { Cookie: c.cookie!, Origin: server.origin },
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return;
  })();
  return { ended };
}

let n = 0;
const email = (name: string) => `${name}-${++n}@example.com`;

/** Sign in `address` from a new device with this User-Agent. */
async function signIn(address: string, userAgent: string): Promise<TestClient> {
  const c = new TestClient(server.origin);
  const r = await c.request(
    'POST',
    '/api/auth/login',
    { email: address, password: PASSWORD },
    {
      'User-Agent': userAgent,
    },
  );
  expect(r.status).toBe(200);
  return c;
}

const devices = async (c: TestClient) => {
  const r = await c.request<{ sessions: DeviceSession[] }>('GET', '/api/account/sessions');
  expect(r.status).toBe(200);
  return r.body.sessions;
};

describe('devices', () => {
  it('lists every signed-in device with browser, platform, address hint and this device marked', async () => {
    const address = email('dev');
    await new TestClient(server.origin).register(address, 'Dev');
    const laptop = await signIn(address, FIREFOX);
    const phone = await signIn(address, PHONE);
    const list = await devices(laptop);
    expect(list).toHaveLength(3);
    const me = list.find((d) => d.current);
    expect(me).toMatchObject({ browser: 'Firefox', platform: 'Windows', address: '127.0.0.x' });
    expect(list.filter((d) => d.current)).toHaveLength(1);
    expect(list.find((d) => d.browser === 'Safari')).toMatchObject({
      platform: 'iOS',
      current: false,
    });
    expect(typeof me?.lastActive).toBe('number');
    // The session ids themselves (the secret the cookie seals) are never shown.
    expect(JSON.stringify(list)).not.toMatch(/s_[A-Za-z0-9_-]{20}/);
    // The phone sees the same devices, itself marked.
    expect((await devices(phone)).find((d) => d.current)?.browser).toBe('Safari');
  });

  it('signing out another device ends its session and closes its sockets and streams', async () => {
    const address = email('revoke');
    const laptop = new TestClient(server.origin);
    await laptop.register(address, 'Revoker');
    const peer = new TestClient(server.origin);
    await peer.register(email('peer'), 'Peer');
    const conv = await laptop.open(peer.user!.id);
    const phone = await signIn(address, PHONE);
    const socket = await phone.connect(server.wsUrl, conv.doc);
    const closed = socket.nextClose();
    const events = await openEvents(phone);
    const target = (await devices(laptop)).find((d) => d.browser === 'Safari')!;

    const r = await laptop.request('DELETE', `/api/account/sessions/${target.id}`);
    expect(r.status).toBe(204);
    expect(await closed).toBe(CloseCode.unauthenticated);
    await events.ended;
    expect((await phone.request('GET', '/api/me')).status).toBe(401);
    expect((await laptop.request('GET', '/api/me')).status).toBe(200);
    expect((await devices(laptop)).map((d) => d.current)).toEqual([true]);
    phone.destroy();
  });

  it('cannot sign out someone else’s device (it is not found)', async () => {
    const mallory = new TestClient(server.origin);
    await mallory.register(email('mallory'), 'Mallory');
    const victim = new TestClient(server.origin);
    await victim.register(email('victim'), 'Victim');
    const theirs = (await devices(victim))[0]!;
    const r = await mallory.request<{ error: { code: string } }>(
      'DELETE',
      `/api/account/sessions/${theirs.id}`,
    );
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not-found');
    expect((await victim.request('GET', '/api/me')).status).toBe(200);
    expect((await mallory.request('DELETE', '/api/account/sessions/not-an-id')).status).toBe(404);
  });

  it('"sign out everywhere else" keeps only this device', async () => {
    const address = email('others');
    const laptop = new TestClient(server.origin);
    await laptop.register(address, 'Others');
    const a = await signIn(address, PHONE);
    const b = await signIn(address, FIREFOX);
    const stream = await openEvents(b);
    expect(await laptop.request('POST', '/api/account/sign-out-others')).toMatchObject({
      status: 204,
    });
    await stream.ended;
    expect((await a.request('GET', '/api/me')).status).toBe(401);
    expect((await b.request('GET', '/api/me')).status).toBe(401);
    expect((await laptop.request('GET', '/api/me')).status).toBe(200);
    expect(await devices(laptop)).toHaveLength(1);
  });

  it('needs a signed-in user', async () => {
    const anon = new TestClient(server.origin);
    expect((await anon.request('GET', '/api/account/sessions')).status).toBe(401);
    expect((await anon.request('GET', '/api/account/export')).status).toBe(401);
    expect((await anon.request('POST', '/api/account/delete', { password: 'x' })).status).toBe(401);
  });
});

describe('export', () => {
  it('contains my conversations with their messages only, and the HTML copy escapes what people wrote', async () => {
    const ann = new TestClient(server.origin);
    await ann.register(email('ann'), 'Ann <b>bold</b>');
    const ben = new TestClient(server.origin);
    await ben.register(email('ben'), 'Ben');
    const cid = new TestClient(server.origin);
    await cid.register(email('cid'), 'Cid');
    const conv = await ann.open(ben.user!.id);
    const device = await ann.connect(server.wsUrl, conv.doc);
    device.send(ann.user!.id, 'hello <script>alert(1)</script> ben');
    await waitFor(() => device.allAcked(), 10_000, 'stored');
    // A conversation Ann is not part of.
    const other = await ben.open(cid.user!.id);
    const bens = await ben.connect(server.wsUrl, other.doc);
    bens.send(ben.user!.id, 'a secret between ben and cid');
    await waitFor(() => bens.allAcked(), 10_000, 'stored');

    const json = await ann.request<AccountExport>('GET', '/api/account/export?format=json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(
      /^attachment; filename="parley-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(json.body.profile).toMatchObject({ id: ann.user!.id, displayName: 'Ann <b>bold</b>' });
    expect(json.body.conversations).toHaveLength(1);
    const c = json.body.conversations[0]!;
    expect(c.with).toEqual({ id: ben.user!.id, displayName: 'Ben' });
    expect(c.messages.map((m) => [m.from.displayName, m.text])).toEqual([
      ['Ann <b>bold</b>', 'hello <script>alert(1)</script> ben'],
    ]);
    expect(JSON.stringify(json.body)).not.toContain('a secret between ben and cid');

    const res = await fetch(`${server.origin}/api/account/export?format=html`, {
      headers: { Cookie: ann.cookie! },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-disposition')).toMatch(/filename="parley-export-.*\.html"/);
    const page = await res.text();
    expect(page).toContain('hello &lt;script&gt;alert(1)&lt;/script&gt; ben');
    expect(page).toContain('Ann &lt;b&gt;bold&lt;/b&gt;');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('<b>');
    expect(page).not.toContain('a secret between ben and cid');
    expect(
      (await ann.request<{ error: { code: string } }>('GET', '/api/account/export?format=pdf'))
        .status,
    ).toBe(400);
    device.destroy();
    bens.destroy();
  });
});

describe('delete account', () => {
  it('refuses a wrong password and keeps everything; the right one erases the account and its text', async () => {
    const address = email('gone');
    const dee = new TestClient(server.origin);
    await dee.register(address, 'Dee');
    const eve = new TestClient(server.origin);
    await eve.register(email('eve'), 'Eve');
    const conv = await dee.open(eve.user!.id);
    const device = await dee.connect(server.wsUrl, conv.doc);
    device.send(dee.user!.id, 'words of dee');
    await waitFor(() => device.allAcked(), 10_000, 'stored');
    const laptop = await signIn(address, FIREFOX);

    const wrong = await dee.request<{ error: { code: string; message: string } }>(
      'POST',
      '/api/account/delete',
      { password: 'not the password' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('The password is wrong.');
    expect((await dee.request('GET', '/api/me')).status).toBe(200);
    const kept = await eve.request<HistoryPage>('GET', `/api/conversations/${conv.id}/messages`);
    expect(kept.body.messages.map((m) => m.text)).toEqual(['words of dee']);

    // Her live event stream ends too (and nothing is written to it after its end).
    const stream = await openEvents(dee);
    const closed = device.nextClose();
    const r = await dee.request('POST', '/api/account/delete', { password: PASSWORD });
    expect(r.status).toBe(204);
    expect(await closed).toBe(CloseCode.unauthenticated);
    await stream.ended;
    expect((await dee.request('GET', '/api/me')).status).toBe(401);
    expect((await laptop.request('GET', '/api/me')).status).toBe(401);
    const list = await eve.request<{ conversations: ConversationSummary[] }>(
      'GET',
      '/api/conversations',
    );
    expect(list.body.conversations.find((c) => c.id === conv.id)?.peer.displayName).toBe(
      'Deleted account',
    );
    const history = await eve.request<HistoryPage>('GET', `/api/conversations/${conv.id}/messages`);
    expect(JSON.stringify(history.body)).not.toContain('words of dee');
    const login = await new TestClient(server.origin).request('POST', '/api/auth/login', {
      email: address,
      password: PASSWORD,
    });
    expect(login.status).toBe(401);
    device.destroy();
  });
});
