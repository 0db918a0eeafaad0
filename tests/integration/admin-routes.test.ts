/**
 * The admin page's API (/api/admin/*): every route refuses the signed-out (401) and
 * non-admins (403) and works for an admin; each change reaches the user's sockets and lands
 * in the audit log with the admin's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient } from '../helpers/client';
import { tokenOf } from '../helpers/admin-cli';
import { CloseCode } from '../../shared/protocol';

const PASSWORD = 'correct horse battery';
let server: TestServer;
let admin: TestClient;
let user: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = new TestClient(server.origin);
  await admin.register('root@example.com', 'Root', PASSWORD);
  await server.app.storage.admin.setAdmin(admin.user!.id, true);
  user = new TestClient(server.origin);
  await user.register('plain@example.com', 'Plain', PASSWORD);
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

const routes = (): [string, string, unknown?][] => [
  ['GET', '/api/admin/users'],
  ['GET', '/api/admin/users?q=plain'],
  ['POST', `/api/admin/users/${user.user!.id}/disable`],
  ['POST', `/api/admin/users/${user.user!.id}/enable`],
  ['POST', `/api/admin/users/${user.user!.id}/reset-link`],
  ['GET', '/api/admin/registration'],
  ['PUT', '/api/admin/registration', { mode: 'closed' }],
  ['GET', '/api/admin/invites'],
  ['POST', '/api/admin/invites', { uses: 1, expiresDays: 1 }],
  ['DELETE', '/api/admin/invites/i_aaaaaaaaaaaaaaaaaaaa'],
  ['GET', '/api/admin/audit'],
];

describe('admin routes', () => {
  it('refuse a signed-out request (401) and a non-admin (403) on every route, changing nothing', async () => {
    const anonymous = new TestClient(server.origin);
    for (const [method, path, body] of routes()) {
      expect((await anonymous.request(method, path, body)).status, `${method} ${path}`).toBe(401);
      const r = await user.request<{ error: { code: string } }>(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    expect(
      (await admin.request<{ mode: string }>('GET', '/api/admin/registration')).body.mode,
    ).toBe('open');
    expect((await user.request('GET', '/api/me')).status).toBe(200);
    const log = await admin.request<{ entries: unknown[] }>('GET', '/api/admin/audit');
    expect(log.body.entries).toEqual([]);
  });

  it('let an admin search, disable (closing the socket), enable, make a reset link, and log each action', async () => {
    const peer = new TestClient(server.origin);
    await peer.register('plain-peer@example.com', 'Peer', PASSWORD);
    const conv = await user.open(peer.user!.id);
    const device = await user.connect(server.wsUrl, conv.doc);
    const found = await admin.request<{ users: { id: string; email: string }[] }>(
      'GET',
      '/api/admin/users?q=plain@',
    );
    expect(found.body.users.map((u) => u.email)).toEqual(['plain@example.com']);
    const closed = device.nextClose();
    const off = await admin.request<{ user: { disabled: boolean } }>(
      'POST',
      `/api/admin/users/${user.user!.id}/disable`,
    );
    expect(off.body.user.disabled).toBe(true);
    expect(await closed).toBe(CloseCode.unauthenticated);
    expect((await user.request('GET', '/api/me')).status).toBe(401);
    const on = await admin.request<{ user: { disabled: boolean } }>(
      'POST',
      `/api/admin/users/${user.user!.id}/enable`,
    );
    expect(on.body.user.disabled).toBe(false);
    const link = await admin.request<{ link: string }>(
      'POST',
      `/api/admin/users/${user.user!.id}/reset-link`,
    );
    const fresh = new TestClient(server.origin);
    const used = await fresh.request('POST', '/api/auth/reset', {
      token: tokenOf(link.body.link),
      password: 'another good password',
    });
    expect(used.status).toBe(200);
    const log = await admin.request<{
      entries: { actor: string; action: string; target: string }[];
    }>('GET', '/api/admin/audit');
    expect(log.body.entries.map((e) => e.action)).toEqual([
      'users.reset-password',
      'users.enable',
      'users.disable',
    ]);
    for (const e of log.body.entries) {
      expect(e.actor).toBe(`admin root@example.com (${admin.user!.id})`);
      expect(e.target).toBe(user.user!.id);
    }
    device.destroy();
  });

  it('refuse an admin disabling their own account', async () => {
    const r = await admin.request<{ error: { code: string } }>(
      'POST',
      `/api/admin/users/${admin.user!.id}/disable`,
    );
    expect(r.status).toBe(409);
  });

  it('validate input at the edge', async () => {
    const bad = await admin.request<{ error: { code: string; message: string } }>(
      'PUT',
      '/api/admin/registration',
      { mode: 'sometimes' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/open, invite or closed/);
    const uses = await admin.request('POST', '/api/admin/invites', { uses: 0 });
    expect(uses.status).toBe(400);
    expect((await admin.request('POST', '/api/admin/users/nope/disable')).status).toBe(404);
  });
});
