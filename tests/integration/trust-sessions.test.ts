/**
 * Trust findings about sessions and throttles (issue #10): a password change ends the old
 * session everywhere (6), attempt limits hold under a parallel burst (7) and are keyed on
 * the client behind a trusted proxy (12), malformed (14) and oversized (18) cookies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealData, unsealData } from 'iron-session';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, rawSocket } from '../helpers/client';
import { CloseCode } from '../../shared/protocol';
import { loadConfig, ConfigError } from '../../server/config';

const SECRET = 'x'.repeat(40); // the test server's session secret
const PASSWORD = 'correct horse battery';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

/** An `/api/events` stream with a promise that settles when the server ends it. */
async function watchStream(origin: string, cookie: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${origin}/api/events`, {
    headers: { Cookie: cookie, Origin: origin },
    signal: ctrl.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return;
  })();
  return { ended, close: () => ctrl.abort() };
}

const login = (
  c: TestClient,
  email: string,
  password: string,
  headers: Record<string, string> = {},
) =>
  c.request<{ error?: { code: string; message: string } }>(
    'POST',
    '/api/auth/login',
    { email, password },
    headers,
  );

describe('finding 6: a password change ends every earlier session', () => {
  it("closes the sockets and event streams of the changing request's own old session", async () => {
    const victim = new TestClient(server.origin);
    await victim.register('stolen@example.com', 'Victim');
    const peer = new TestClient(server.origin);
    await peer.register('stolen-peer@example.com', 'Peer');
    const conv = await victim.open(peer.user!.id);
    // A thief holds a copy of the victim's cookie, with an open socket and event stream.
    const thief = new TestClient(server.origin);
    thief.cookie = victim.cookie;
    const socket = await thief.connect(server.wsUrl, conv.doc);
    const closed = socket.nextClose();
    const events = await watchStream(server.origin, thief.cookie!);
    // Another earlier device too.
    const phone = new TestClient(server.origin);
    expect((await login(phone, 'stolen@example.com', PASSWORD)).status).toBe(200);
    const phoneEvents = await watchStream(server.origin, phone.cookie!);

    const r = await victim.request('POST', '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new password',
    });
    expect(r.status).toBe(204);
    expect(victim.cookie).not.toBe(thief.cookie);
    expect(await closed).toBe(CloseCode.unauthenticated);
    await events.ended;
    await phoneEvents.ended;
    expect((await thief.request('GET', '/api/me')).status).toBe(401);
    expect((await phone.request('GET', '/api/me')).status).toBe(401);
    expect((await victim.request('GET', '/api/me')).status).toBe(200);
    socket.destroy();
    thief.destroy();
  });
});

describe('finding 7: attempt limits hold under a burst', () => {
  it('lets only 5 of 20 simultaneous sign-ins reach the password check', async () => {
    const owner = new TestClient(server.origin);
    await owner.register('burst@example.com', 'Burst');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(new TestClient(server.origin), 'burst@example.com', `guess ${i} of many`),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body.error?.message).toBe('Too many attempts. Try again in 15 minutes.');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
  });

  it('does not let a success reopen the window for a burst', async () => {
    const owner = new TestClient(server.origin);
    await owner.register('success@example.com', 'Success');
    for (let i = 0; i < 4; i++)
      expect(
        (await login(new TestClient(server.origin), 'success@example.com', `wrong ${i} guess`))
          .status,
      ).toBe(401);
    expect(
      (await login(new TestClient(server.origin), 'success@example.com', PASSWORD)).status,
    ).toBe(200);
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(new TestClient(server.origin), 'success@example.com', `burst ${i} guess`),
      ),
    );
    // The success gave back only its own point: one attempt is left, not a fresh five.
    expect(burst.filter((a) => a.status === 401)).toHaveLength(1);
    expect(burst.filter((a) => a.status === 429)).toHaveLength(19);
  });
});

describe('finding 12: throttles key on the client behind a trusted proxy', () => {
  const register = (origin: string, i: number, forwardedFor: string) =>
    new TestClient(origin).request(
      'POST',
      '/api/auth/register',
      { email: `fwd${i}@example.com`, password: 'long enough password', displayName: `F${i}` },
      { 'X-Forwarded-For': forwardedFor },
    );

  it('with TRUST_PROXY=loopback, two forwarded clients get separate buckets', async () => {
    const own = await startTestServer({
      registerMaxPerHour: 2,
      trustProxy: 'loopback',
      loginMaxFailures: 1,
    });
    try {
      expect((await register(own.origin, 1, '203.0.113.1')).status).toBe(201);
      expect((await register(own.origin, 2, '203.0.113.1')).status).toBe(201);
      expect((await register(own.origin, 3, '203.0.113.1')).status).toBe(429);
      expect((await register(own.origin, 4, '203.0.113.2')).status).toBe(201);
      // Sign-in per address (10 here): one client's failures do not lock out another.
      for (let i = 0; i < 10; i++)
        expect(
          (
            await login(new TestClient(own.origin), `nobody${i}@example.com`, 'wrong password', {
              'X-Forwarded-For': '203.0.113.7',
            })
          ).status,
        ).toBe(401);
      expect(
        (
          await login(new TestClient(own.origin), 'nobody99@example.com', 'wrong password', {
            'X-Forwarded-For': '203.0.113.7',
          })
        ).status,
      ).toBe(429);
      expect(
        (
          await login(new TestClient(own.origin), 'nobody98@example.com', 'wrong password', {
            'X-Forwarded-For': '203.0.113.8',
          })
        ).status,
      ).toBe(401);
    } finally {
      await own.stop();
      own.cleanup();
    }
  });

  it('without a trusted proxy, X-Forwarded-For is ignored (no way out of a bucket)', async () => {
    const own = await startTestServer({ registerMaxPerHour: 2 });
    try {
      expect((await register(own.origin, 1, '203.0.113.1')).status).toBe(201);
      expect((await register(own.origin, 2, '203.0.113.2')).status).toBe(201);
      expect((await register(own.origin, 3, '203.0.113.3')).status).toBe(429);
    } finally {
      await own.stop();
      own.cleanup();
    }
  });

  it('reads TRUST_PROXY like Express: loopback, CIDR lists, hop counts; refuses nonsense', () => {
    const cfg = (env: Record<string, string>) =>
      loadConfig(env, { dataDir: server.dataDir, sessionSecret: SECRET });
    expect(cfg({}).trustProxy).toBe(false);
    expect(cfg({ PUBLIC_ORIGIN: 'https://chat.example.com' }).trustProxy).toBe('loopback');
    expect(cfg({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).trustProxy).toBe(
      'loopback,10.0.0.0/8,fd00::/8',
    );
    expect(cfg({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(cfg({ TRUST_PROXY: 'none', PUBLIC_ORIGIN: 'https://chat.example.com' }).trustProxy).toBe(
      false,
    );
    for (const bad of ['true', 'everyone', '10.0.0.0/33', '0'])
      expect(() => cfg({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
  });
});

describe('findings 14 and 18: malformed and oversized cookies', () => {
  it('treats a malformed cookie as signed out: 401 over HTTP, 4401 on the socket', async () => {
    for (const cookie of [
      'parley_session=%',
      'parley_session=%E0%A4%A',
      'a=%; parley_session=%zz',
    ]) {
      const r = await new TestClient(server.origin).request<{ error: { code: string } }>(
        'GET',
        '/api/me',
        undefined,
        { Cookie: cookie },
      );
      expect(r.status, cookie).toBe(401);
      expect(r.body.error.code).toBe('unauthenticated');
    }
    const ws = await rawSocket(`${server.wsUrl}/c_aaaaaaaaaaaaaaaaaaaa`, {
      Origin: server.origin,
      Cookie: 'parley_session=%',
    });
    expect(ws.closed).toBe(CloseCode.unauthenticated);
    // A browser holding a broken cookie can still sign in (and gets a good one).
    const c = new TestClient(server.origin);
    await c.register('broken-cookie@example.com', 'Broken');
    c.cookie = 'parley_session=%';
    expect((await login(c, 'broken-cookie@example.com', PASSWORD)).status).toBe(200);
    expect((await c.request('GET', '/api/me')).status).toBe(200);
  });

  it('refuses a cookie longer than a browser sends, even a validly sealed one', async () => {
    const c = new TestClient(server.origin);
    await c.register('long-cookie@example.com', 'Long');
    const value = decodeURIComponent(c.cookie!.slice('parley_session='.length));
    const { sid } = await unsealData<{ sid: string }>(value, { password: SECRET });
    const long = await sealData({ sid, pad: 'p'.repeat(4000) }, { password: SECRET });
    expect(long.length).toBeGreaterThan(4096);
    const ok = await sealData({ sid }, { password: SECRET });
    const me = (cookie: string) =>
      c.request('GET', '/api/me', undefined, { Cookie: `parley_session=${cookie}` });
    expect((await me(ok)).status).toBe(200);
    expect((await me(long)).status).toBe(401);
  });
});
