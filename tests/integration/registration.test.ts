/**
 * Registration policy on a running server (issue #15): open, invite (codes that expire, get
 * used up or revoked; the last use goes to one of two racing sign-ups) and closed, as the
 * sign-up page learns it from /api/auth/policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient } from '../helpers/client';
import { hashSecret, newSecret } from '../../server/admin/secrets';

const PASSWORD = 'correct horse battery';
let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = new TestClient(server.origin);
  await admin.register('boss@example.com', 'Boss', PASSWORD);
  await server.app.storage.admin.setAdmin(admin.user!.id, true);
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

let n = 0;
const signUp = (invite?: string, email = `person${++n}@example.com`) =>
  new TestClient(server.origin).request<{ error?: { code: string; message: string } }>(
    'POST',
    '/api/auth/register',
    { email, password: PASSWORD, displayName: `Person ${n}`, ...(invite ? { invite } : {}) },
  );

const setMode = async (mode: string) => {
  const r = await admin.request('PUT', '/api/admin/registration', { mode });
  expect(r.status).toBe(200);
};

const createInvite = async (uses: number) => {
  const r = await admin.request<{ invite: { id: string }; code: string; link: string }>(
    'POST',
    '/api/admin/invites',
    { uses, expiresDays: 7 },
  );
  expect(r.status).toBe(201);
  return r.body;
};

const policy = async () =>
  (await new TestClient(server.origin).request<{ registration: string }>('GET', '/api/auth/policy'))
    .body.registration;

describe('registration modes', () => {
  it('open: anyone signs up, and the policy says so', async () => {
    await setMode('open');
    expect(await policy()).toBe('open');
    expect((await signUp()).status).toBe(201);
  });

  it('closed: sign-up is refused with a message to ask the operator', async () => {
    await setMode('closed');
    expect(await policy()).toBe('closed');
    const r = await signUp();
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'registration-closed' });
    expect(r.body.error?.message).toMatch(/operator/);
    // Existing accounts still sign in.
    const again = await new TestClient(server.origin).request('POST', '/api/auth/login', {
      email: 'boss@example.com',
      password: PASSWORD,
    });
    expect(again.status).toBe(200);
  });

  it('invite: sign-up needs a valid code; the link carries it', async () => {
    await setMode('invite');
    expect(await policy()).toBe('invite');
    expect((await signUp()).body.error?.code).toBe('invalid-invite');
    expect((await signUp('not-a-real-code-at-all-really')).body.error?.code).toBe('invalid-invite');
    const { code, link } = await createInvite(1);
    expect(new URL(link).pathname).toBe('/sign-up');
    expect(new URL(link).searchParams.get('invite')).toBe(code);
    expect((await signUp(code)).status).toBe(201);
  });
});

describe('invites', () => {
  it('a used-up invite is refused', async () => {
    await setMode('invite');
    const { code } = await createInvite(2);
    expect((await signUp(code)).status).toBe(201);
    expect((await signUp(code)).status).toBe(201);
    const third = await signUp(code);
    expect(third.status).toBe(403);
    expect(third.body.error?.code).toBe('invalid-invite');
  });

  it('an expired invite is refused', async () => {
    await setMode('invite');
    const code = newSecret();
    const now = Date.now();
    await server.app.storage.admin.createInvite({
      id: 'i_expiredinvite000000',
      codeHash: hashSecret(code),
      maxUses: 5,
      expires: now - 1000,
      created: now - 8 * 86_400_000,
      createdBy: 'test',
    });
    expect((await signUp(code)).body.error?.code).toBe('invalid-invite');
  });

  it('a revoked invite is refused, and listed as revoked', async () => {
    await setMode('invite');
    const { code, invite } = await createInvite(5);
    expect((await admin.request('DELETE', `/api/admin/invites/${invite.id}`)).status).toBe(204);
    expect((await signUp(code)).body.error?.code).toBe('invalid-invite');
    const list = await admin.request<{ invites: { id: string; revoked: number | null }[] }>(
      'GET',
      '/api/admin/invites',
    );
    expect(list.body.invites.find((i) => i.id === invite.id)?.revoked).not.toBeNull();
  });

  it('two sign-ups racing for the last use: exactly one gets an account', async () => {
    await setMode('invite');
    const { code } = await createInvite(1);
    const results = await Promise.all([signUp(code), signUp(code), signUp(code)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 403, 403]);
  });

  it('a sign-up that fails (the e-mail is taken) gives its use back', async () => {
    await setMode('invite');
    const { code } = await createInvite(1);
    expect((await signUp(code, 'boss@example.com')).body.error?.code).toBe('email-taken');
    expect((await signUp(code)).status).toBe(201);
  });
});
