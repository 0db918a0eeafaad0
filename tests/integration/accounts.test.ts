import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient } from '../helpers/client';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

describe('accounts', () => {
  it('registers, reports me, logs out and logs back in', async () => {
    const c = new TestClient(server.origin);
    const reg = await c.request<{ user: { id: string; email: string; displayName: string } }>(
      'POST',
      '/api/auth/register',
      {
        email: '  Alice@Example.COM ',
        password: 'correct horse battery',
        displayName: 'Alice Liddell',
      },
    );
    expect(reg.status).toBe(201);
    expect(reg.body.user.email).toBe('alice@example.com');
    expect(reg.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(reg.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);

    const me = await c.request<{ user: { id: string } }>('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(reg.body.user.id);

    const copied = c.cookie;
    expect((await c.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await c.request('GET', '/api/me')).status).toBe(401);
    // A copy of the old cookie is dead too: the session was revoked on the server.
    const thief = new TestClient(server.origin);
    thief.cookie = copied;
    expect((await thief.request('GET', '/api/me')).status).toBe(401);

    const login = await c.request<{ user: { id: string } }>('POST', '/api/auth/login', {
      email: 'alice@example.com',
      password: 'correct horse battery',
    });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(reg.body.user.id);
    expect((await c.request('GET', '/api/me')).status).toBe(200);
  });

  it('refuses a duplicate e-mail with 409', async () => {
    const a = new TestClient(server.origin);
    await a.register('dup@example.com', 'First');
    const b = new TestClient(server.origin);
    const r = await b.request<{ error: { code: string } }>('POST', '/api/auth/register', {
      email: 'DUP@example.com',
      password: 'another long password',
      displayName: 'Second',
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('email-taken');
  });

  it('answers a wrong password and an unknown e-mail alike with 401 and no hint', async () => {
    const a = new TestClient(server.origin);
    await a.register('hint@example.com', 'Hint');
    const wrong = await new TestClient(server.origin).request<{ error: unknown }>(
      'POST',
      '/api/auth/login',
      {
        email: 'hint@example.com',
        password: 'not the password',
      },
    );
    const unknown = await new TestClient(server.origin).request<{ error: unknown }>(
      'POST',
      '/api/auth/login',
      {
        email: 'nobody@example.com',
        password: 'not the password',
      },
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('rejects bad input with 400 and a clear message', async () => {
    const c = new TestClient(server.origin);
    const short = await c.request<{ error: { code: string; message: string } }>(
      'POST',
      '/api/auth/register',
      {
        email: 'short@example.com',
        password: 'short',
        displayName: 'S',
      },
    );
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/at least 10/);
    const badEmail = await c.request<{ error: { code: string } }>('POST', '/api/auth/register', {
      email: 'not-an-email',
      password: 'long enough password',
      displayName: 'S',
    });
    expect(badEmail.status).toBe(400);
    const notJson = await c.request<{ error: { code: string } }>(
      'POST',
      '/api/auth/login',
      '{nope',
    );
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid-input');
  });

  it('refuses state-changing requests from another Origin', async () => {
    const c = new TestClient(server.origin);
    const r = await c.request(
      'POST',
      '/api/auth/register',
      { email: 'x@example.com', password: 'long enough password', displayName: 'X' },
      { Origin: 'https://evil.example' },
    );
    expect(r.status).toBe(403);
  });
});
