/**
 * The logs of a whole session hold no secrets: a real server process logging at debug level
 * into a file, a full run (register, sign in, messages over sockets both ways, an event
 * stream, a search, a password change, a failed sign-in, a refused forgery), then the file is
 * searched for every password, cookie value, message text and search term used.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server';
import { TestClient, openEvents, waitFor } from '../helpers/client';
import { CloseCode } from '../../shared/protocol';

const dir = mkdtempSync(join(tmpdir(), 'parley-logscan-'));
const logFile = join(dir, 'parley.log');
let server: ChildServer | undefined;

afterAll(() => {
  if (server && server.proc.exitCode === null) server.proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The value of a `name=value` cookie pair. */
const cookieValue = (pair: string | null): string => (pair ?? '').split('=').slice(1).join('=');

describe('logs', () => {
  it('never contain passwords, cookies, message text or search terms', async () => {
    const port = await freePort();
    server = await startChildServer(port, join(dir, 'data'), { LOG_LEVEL: 'debug' }, logFile);
    const origin = server.origin;
    const wsUrl = `ws://127.0.0.1:${port}/sync`;
    const secrets: string[] = [];

    const annPassword = 'Ann-first-passphrase-7731';
    const annNewPassword = 'Ann-second-passphrase-9902';
    const wrongPassword = 'Not-Ann-guess-passphrase-5518';
    const benPassword = 'Ben-passphrase-quartz-2044';
    secrets.push(annPassword, annNewPassword, wrongPassword, benPassword);

    const ann = new TestClient(origin);
    const ben = new TestClient(origin);
    await ann.register('logscan-ann@example.com', 'Ann', annPassword);
    await ben.register('logscan-ben@example.com', 'Ben', benPassword);
    secrets.push(cookieValue(ann.cookie), cookieValue(ben.cookie));

    const relogin = await ann.request('POST', '/api/auth/login', {
      email: 'logscan-ann@example.com',
      password: annPassword,
    });
    expect(relogin.status).toBe(200);
    secrets.push(cookieValue(ann.cookie));

    const search = 'zanzibar-search-term';
    secrets.push(search);
    expect((await ann.request('GET', `/api/users?q=${search}`)).status).toBe(200);
    const stream = await openEvents(ben);

    const c = await ann.open(ben.user!.id);
    const a = await ann.connect(wsUrl, c.doc);
    const b = await ben.connect(wsUrl, c.doc);
    const hello = 'marmalade-zebra-hello-4471';
    const reply = 'quince-otter-reply-8820';
    secrets.push(hello, reply);
    a.send(ann.user!.id, hello);
    await waitFor(() => b.texts().includes(hello), 10_000, 'Ben receives the message');
    b.send(ben.user!.id, reply);
    await waitFor(() => a.texts().includes(reply), 10_000, 'Ann receives the reply');
    const history = await ben.request<{ messages: { text: string }[] }>(
      'GET',
      `/api/conversations/${c.id}/messages?limit=10`,
    );
    expect(history.body.messages.map((m) => m.text)).toContain(hello);

    // A forgery (as Ann, on Ben's socket) is refused and logged as a warning.
    const forged = 'forged-text-of-pelican-3309';
    secrets.push(forged);
    const closed = b.nextClose();
    b.send(ann.user!.id, forged);
    expect(await closed).toBe(CloseCode.invalidUpdate);

    const changed = await ann.request('POST', '/api/auth/password', {
      currentPassword: annPassword,
      newPassword: annNewPassword,
    });
    expect(changed.status).toBe(204);
    secrets.push(cookieValue(ann.cookie));
    const failed = await new TestClient(origin).request('POST', '/api/auth/login', {
      email: 'logscan-ann@example.com',
      password: wrongPassword,
    });
    expect(failed.status).toBe(401);

    stream.close();
    a.destroy();
    b.destroy();
    const exited = new Promise((r) => server!.proc.once('exit', r));
    server.proc.kill('SIGTERM');
    await exited;

    const log = readFileSync(logFile, 'utf8');
    // The log is really there and really detailed: request lines with ids, the refusal.
    const lines = log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; req?: { id?: string } });
    expect(lines.some((l) => l.msg === 'POST /api/auth/login 401' && l.req?.id)).toBe(true);
    expect(lines.some((l) => l.msg === 'POST /api/auth/password 204')).toBe(true);
    expect(lines.some((l) => l.msg.startsWith('GET /api/users?q=[redacted]'))).toBe(true);
    expect(lines.some((l) => l.msg === 'update refused')).toBe(true);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(log, `the log contains "${secret}"`).not.toContain(secret);
    }
  }, 60_000);
});
