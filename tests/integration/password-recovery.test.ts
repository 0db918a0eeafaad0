/**
 * Password recovery through a real SMTP server (issue #15): "Forgot password?" answers the
 * same whether or not the account exists, mails a one-time link valid 1 hour, which sets a
 * new password once and ends every other session; requests are throttled per address and
 * per account. Without SMTP the server says to ask the operator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient } from '../helpers/client';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';
import { tokenOf } from '../helpers/admin-cli';

const PASSWORD = 'correct horse battery';
let smtp: TestSmtp;
let server: TestServer;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startTestServer({
    smtp: { url: smtp.url, from: 'Parley <parley@example.test>' },
  });
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
  await smtp.stop();
});

const forgot = (email: string) =>
  new TestClient(server.origin).request<{ message?: string; error?: { code: string } }>(
    'POST',
    '/api/auth/forgot',
    { email },
  );

describe('password recovery by e-mail', () => {
  it('offers e-mail recovery in the policy', async () => {
    const r = await new TestClient(server.origin).request('GET', '/api/auth/policy');
    expect(r.body).toMatchObject({ passwordRecovery: 'email' });
  });

  it('answers alike for unknown and known addresses, and mails a one-time link only to the account', async () => {
    const ivy = new TestClient(server.origin);
    await ivy.register('ivy@example.com', 'Ivy', PASSWORD);
    const unknown = await forgot('nobody-here@example.com');
    const known = await forgot('IVY@example.com');
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const mail = await smtp.mailTo('ivy@example.com');
    expect(mail.raw).toMatch(/Subject: Set a new Parley password/);
    expect(mail.raw).toMatch(/From: Parley <parley@example\.test>/);
    // The known address's mail came after the unknown one's request: nothing went there.
    expect(smtp.mails.flatMap((m) => m.to)).not.toContain('nobody-here@example.com');

    const link = linkIn(mail);
    expect(new URL(link).pathname).toBe('/reset');
    const device = new TestClient(server.origin);
    const used = await device.request<{ user: { email: string } }>('POST', '/api/auth/reset', {
      token: tokenOf(link),
      password: 'recovered password',
    });
    expect(used.status).toBe(200);
    expect(used.body.user.email).toBe('ivy@example.com');
    expect((await device.request('GET', '/api/me')).status).toBe(200);
    // Every other session ended; the old password no longer works; the new one does.
    expect((await ivy.request('GET', '/api/me')).status).toBe(401);
    const login = (password: string) =>
      new TestClient(server.origin).request('POST', '/api/auth/login', {
        email: 'ivy@example.com',
        password,
      });
    expect((await login(PASSWORD)).status).toBe(401);
    expect((await login('recovered password')).status).toBe(200);
    // The link works once.
    const again = await new TestClient(server.origin).request<{ error: { code: string } }>(
      'POST',
      '/api/auth/reset',
      { token: tokenOf(link), password: 'third password here' },
    );
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invalid-link');
  });

  it('throttles requests per account', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await forgot('jay@example.com')).status);
    expect(answers).toEqual([202, 202, 202, 429]);
  });

  it('throttles requests per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await forgot(`many${i}@example.com`)).status);
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBeLessThanOrEqual(10);
  });
});

describe('without SMTP', () => {
  it('says to ask the operator, in the policy and in the answer', async () => {
    const plain = await startTestServer();
    try {
      const c = new TestClient(plain.origin);
      expect((await c.request('GET', '/api/auth/policy')).body).toMatchObject({
        passwordRecovery: 'operator',
      });
      const r = await c.request<{ error: { code: string; message: string } }>(
        'POST',
        '/api/auth/forgot',
        { email: 'someone@example.com' },
      );
      expect(r.status).toBe(404);
      expect(r.body.error.message).toMatch(/operator/);
    } finally {
      await plain.stop();
      plain.cleanup();
    }
  });
});
