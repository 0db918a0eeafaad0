/**
 * The admin CLI against a running embedded server (issue #15): the CLI is a separate process
 * on the same SQLite file, and its effects reach the server at once (disable closes sockets
 * and streams through the admin_signals table). Every command, its help, exit codes, --json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server';
import { TestClient, waitFor } from '../helpers/client';
import { adminJson, runAdminCli, tokenOf } from '../helpers/admin-cli';
import Database from 'better-sqlite3';
import { CloseCode } from '../../shared/protocol';
import { reactionKey } from '../../shared/schema';
import type { ConversationSummary, HistoryPage } from '../../shared/api';
import type { AdminUser } from '../../shared/admin-api';

const PASSWORD = 'correct horse battery';
let server: ChildServer;
let dataDir: string;
let env: Record<string, string>;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-admin-cli-'));
  port = await freePort();
  server = await startChildServer(port, dataDir);
  env = { DATA_DIR: dataDir, PORT: String(port) };
});
afterAll(async () => {
  if (server.proc.exitCode === null) {
    const exited = new Promise((r) => server.proc.once('exit', r));
    server.proc.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** An `/api/events` stream that settles `ended` when the server ends it. */
async function watchStream(c: TestClient) {
  const ctrl = new AbortController();
  const res = await fetch(`${c.origin}/api/events`, {
    headers: { Cookie: c.cookie ?? '', Origin: c.origin },
    signal: ctrl.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return true;
  })();
  return { ended, close: () => ctrl.abort() };
}

const login = (c: TestClient, email: string, password = PASSWORD) =>
  c.request<{ error?: { code: string } }>('POST', '/api/auth/login', { email, password });

const reset = (c: TestClient, token: string, password: string) =>
  c.request<{ user?: { email: string }; error?: { code: string } }>('POST', '/api/auth/reset', {
    token,
    password,
  });

describe('admin CLI: help, exit codes and --json', { timeout: 120_000 }, () => {
  it('prints --help with exit code 0 (every command: tests/unit/server/admin-cli.test.ts)', async () => {
    const r = await runAdminCli(['users', 'create', '--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: admin users create/);
    expect(r.stdout).toContain('--password-stdin');
  });

  it('exits 2 on usage errors and 1 when the command fails', async () => {
    const [unknown, badOption, noConfirm, missing] = await Promise.all([
      runAdminCli(['frobnicate'], env),
      runAdminCli(['invites', 'create', '--uses', 'many'], env),
      runAdminCli(['users', 'delete', 'someone@example.com'], env),
      runAdminCli(['users', 'show', 'nobody@example.com', '--json'], env),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(badOption.code).toBe(2);
    expect(noConfirm.code).toBe(2);
    expect(noConfirm.stderr).toContain('--yes');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: 'not-found', message: 'No account nobody@example.com.' },
    });
  });
});

describe('admin CLI: accounts', { timeout: 120_000 }, () => {
  it('users create prints a one-time sign-in link that sets the password and signs in, once', async () => {
    const made = await adminJson<{ user: AdminUser; signIn: { link: string; expires: number } }>(
      ['users', 'create', '--email', 'New.Person@Example.com', '--name', 'New Person'],
      env,
    );
    expect(made.user).toMatchObject({ email: 'new.person@example.com', disabled: false });
    expect(made.signIn.link).toMatch(new RegExp(`^http://localhost:${port}/reset\\?token=`));
    const browser = new TestClient(server.origin);
    // No password works before the link is used.
    expect((await login(browser, 'new.person@example.com', '!')).status).toBe(401);
    const used = await reset(browser, tokenOf(made.signIn.link), 'my own new password');
    expect(used.status).toBe(200);
    expect((await browser.request('GET', '/api/me')).status).toBe(200);
    const again = await reset(
      new TestClient(server.origin),
      tokenOf(made.signIn.link),
      'x'.repeat(12),
    );
    expect(again.body.error?.code).toBe('invalid-link');
    expect(
      (await login(new TestClient(server.origin), 'new.person@example.com', 'my own new password'))
        .status,
    ).toBe(200);
  });

  it('users create --password-stdin sets the password; list, search and show find the account', async () => {
    const made = await adminJson<{ user: AdminUser; signIn: null }>(
      [
        'users',
        'create',
        '--email',
        'stdin@example.com',
        '--name',
        'Stdin Sam',
        '--password-stdin',
      ],
      env,
      `${PASSWORD}\n`,
    );
    expect(made.signIn).toBeNull();
    expect((await login(new TestClient(server.origin), 'stdin@example.com')).status).toBe(200);
    const [list, search, show, text] = await Promise.all([
      adminJson<{ users: AdminUser[] }>(['users', 'list'], env),
      adminJson<{ users: AdminUser[] }>(['users', 'search', 'stdin sam'], env),
      adminJson<{ user: AdminUser }>(['users', 'show', made.user.id], env),
      runAdminCli(['users', 'search', 'stdin'], env),
    ]);
    expect(list.users.map((u) => u.email)).toContain('stdin@example.com');
    expect(search.users.map((u) => u.email)).toEqual(['stdin@example.com']);
    expect(show.user).toMatchObject({ displayName: 'Stdin Sam', admin: false });
    expect(text.stdout).toMatch(/stdin@example\.com\s+Stdin Sam\s+active/);
  });

  it('users disable closes the open socket and event stream on the running server and refuses sign-in; enable lets them back', async () => {
    const dana = new TestClient(server.origin);
    await dana.register('dana@example.com', 'Dana', PASSWORD);
    const peer = new TestClient(server.origin);
    await peer.register('dana-peer@example.com', 'Peer', PASSWORD);
    const conv = await dana.open(peer.user!.id);
    const device = await dana.connect(`${server.origin.replace('http', 'ws')}/sync`, conv.doc);
    const stream = await watchStream(dana);
    const closed = device.nextClose();
    const r = await runAdminCli(['users', 'disable', 'dana@example.com'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dana@example.com is disabled.');
    expect(await closed).toBe(CloseCode.unauthenticated);
    expect(await stream.ended).toBe(true);
    expect((await dana.request('GET', '/api/me')).status).toBe(401);
    const refused = await login(new TestClient(server.origin), 'dana@example.com');
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('account-disabled');
    stream.close();
    dana.destroy();
    expect((await runAdminCli(['users', 'enable', 'dana@example.com'], env)).code).toBe(0);
    expect((await login(new TestClient(server.origin), 'dana@example.com')).status).toBe(200);
  });

  it('users reset-password makes a link valid for 1 hour that sets a new password and ends every other session', async () => {
    const erin = new TestClient(server.origin);
    await erin.register('erin@example.com', 'Erin', PASSWORD);
    const before = Date.now();
    const link = await adminJson<{ link: string; expires: number }>(
      ['users', 'reset-password', 'erin@example.com'],
      env,
    );
    expect(link.expires - before).toBeGreaterThan(59 * 60_000);
    expect(link.expires - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    const other = new TestClient(server.origin);
    expect((await reset(other, tokenOf(link.link), 'a brand new password')).status).toBe(200);
    expect((await erin.request('GET', '/api/me')).status).toBe(401);
    expect((await other.request('GET', '/api/me')).status).toBe(200);
    expect((await login(new TestClient(server.origin), 'erin@example.com')).status).toBe(401);
  });

  it('users delete removes the account as its owner would: sessions end, the peer sees "Deleted account" and no text', async () => {
    const fay = new TestClient(server.origin);
    await fay.register('fay@example.com', 'Fay', PASSWORD);
    const gus = new TestClient(server.origin);
    await gus.register('gus@example.com', 'Gus', PASSWORD);
    const conv = await fay.open(gus.user!.id);
    const device = await fay.connect(`${server.origin.replace('http', 'ws')}/sync`, conv.doc);
    const secret = device.send(fay.user!.id, 'a secret of fay');
    await waitFor(() => device.allAcked(), 10_000, 'the message stored');
    // Gus's device holds the conversation, with a reply and his reaction to Fay's message.
    await gus.request('POST', `/api/conversations/${conv.id}/accept`);
    const gusDevice = await gus.connect(`${server.origin.replace('http', 'ws')}/sync`, conv.doc);
    await waitFor(() => gusDevice.texts().includes('a secret of fay'), 10_000, 'Gus has it');
    gusDevice.send(gus.user!.id, 'gus answers');
    gusDevice.doc
      .getMap('reactions')
      .set(reactionKey(secret.id, gus.user!.id, '👍'), { at: Date.now() });
    await waitFor(() => gusDevice.allAcked(), 10_000, 'the reply stored');
    const stored = await gus.request<HistoryPage>('GET', `/api/conversations/${conv.id}/messages`);
    expect(stored.body.messages.map((m) => m.text)).toEqual(['gus answers', 'a secret of fay']);
    const closed = device.nextClose();
    const r = await runAdminCli(['users', 'delete', 'fay@example.com', '--yes'], env);
    expect(r.code).toBe(0);
    expect(await closed).toBe(CloseCode.unauthenticated);
    expect((await fay.request('GET', '/api/me')).status).toBe(401);
    const list = await gus.request<{ conversations: ConversationSummary[] }>(
      'GET',
      '/api/conversations',
    );
    const seen = list.body.conversations.find((c) => c.id === conv.id);
    expect(seen?.peer.displayName).toBe('Deleted account');
    const history = await gus.request<HistoryPage>('GET', `/api/conversations/${conv.id}/messages`);
    expect(JSON.stringify(history.body)).not.toContain('a secret of fay');
    expect((await login(new TestClient(server.origin), 'fay@example.com')).status).toBe(401);
    // Her message leaves the document on Gus's device, with his reaction to it; his stays.
    await waitFor(() => !gusDevice.texts().includes('a secret of fay'), 10_000, 'erased');
    expect(gusDevice.texts()).toEqual(['gus answers']);
    expect([...gusDevice.doc.getMap('reactions').keys()]).toEqual([]);
    // And from what the server stores, once the document is compacted (a fresh read of the
    // SQLite file: every stored update and the projection).
    const onDisk = () => {
      const db = new Database(join(dataDir, 'parley.db'), { readonly: true });
      try {
        const rows = db.prepare('SELECT data FROM doc_updates').all() as { data: Buffer }[];
        const texts = db.prepare('SELECT text FROM messages').all() as { text: string }[];
        return Buffer.concat(rows.map((r) => r.data)).toString('latin1') + JSON.stringify(texts);
      } finally {
        db.close();
      }
    };
    await waitFor(() => !onDisk().includes('a secret of fay'), 20_000, 'gone from the database');
    expect(onDisk()).toContain('gus answers');
    gusDevice.destroy();
    // The address is free again.
    await new TestClient(server.origin).register('fay@example.com', 'Fay again', PASSWORD);
    fay.destroy();
  });

  it('make-admin opens the admin routes at once; revoke-admin closes them', async () => {
    const hal = new TestClient(server.origin);
    await hal.register('hal@example.com', 'Hal', PASSWORD);
    expect((await hal.request('GET', '/api/admin/users')).status).toBe(403);
    expect((await runAdminCli(['users', 'make-admin', 'hal@example.com'], env)).code).toBe(0);
    expect((await hal.request('GET', '/api/admin/users')).status).toBe(200);
    expect((await runAdminCli(['users', 'revoke-admin', 'hal@example.com'], env)).code).toBe(0);
    expect((await hal.request('GET', '/api/admin/users')).status).toBe(403);
  });
});

describe('admin CLI: registration, invites and the audit log', { timeout: 180_000 }, () => {
  it('sets the mode the running server enforces; an invite link signs up; revoked codes fail; audit lists it all', async () => {
    const register = (invite?: string) =>
      new TestClient(server.origin).request<{ error?: { code: string } }>(
        'POST',
        '/api/auth/register',
        {
          email: `reg-${Math.random().toString(36).slice(2)}@example.com`,
          password: PASSWORD,
          displayName: 'Reg',
          ...(invite ? { invite } : {}),
        },
      );
    expect((await runAdminCli(['registration', 'closed'], env)).stdout).toContain('closed');
    expect((await register()).body.error?.code).toBe('registration-closed');
    expect((await adminJson<{ mode: string }>(['registration', 'invite'], env)).mode).toBe(
      'invite',
    );
    expect((await register()).body.error?.code).toBe('invalid-invite');
    const made = await adminJson<{ invite: { id: string }; code: string; link: string }>(
      ['invites', 'create', '--uses', '2', '--expires', '2d'],
      env,
    );
    expect(made.link).toBe(`http://localhost:${port}/sign-up?invite=${made.code}`);
    expect((await register(made.code)).status).toBe(201);
    const listed = await adminJson<{ invites: { id: string; used: number; maxUses: number }[] }>(
      ['invites', 'list'],
      env,
    );
    expect(listed.invites.find((i) => i.id === made.invite.id)).toMatchObject({
      used: 1,
      maxUses: 2,
    });
    expect((await runAdminCli(['invites', 'revoke', made.invite.id], env)).code).toBe(0);
    expect((await register(made.code)).body.error?.code).toBe('invalid-invite');
    expect((await runAdminCli(['invites', 'list'], env)).stdout).toMatch(/revoked\s+1\/2/);
    expect((await runAdminCli(['registration', 'open'], env)).code).toBe(0);
    expect((await register()).status).toBe(201);
    const audit = await runAdminCli(['audit'], env);
    expect(audit.code).toBe(0);
    for (const action of [
      'registration',
      'invites.create',
      'invites.revoke',
      'users.disable',
      'users.delete',
      'users.make-admin',
    ])
      expect(audit.stdout).toContain(action);
    expect(audit.stdout).toMatch(/cli \(\S+\)/);
  });
});
