/**
 * Trust findings about account input (issue #10): Unicode e-mails and display names (15),
 * passwords past bcrypt's 72 bytes (16), and schema validation of every input (17).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient } from '../helpers/client';
import { Passwords } from '../../server/auth/passwords';

const PASSWORD = 'correct horse battery';
type Err = { error: { code: string; message: string } };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

const register = (email: unknown, displayName: unknown = 'Someone', password: unknown = PASSWORD) =>
  new TestClient(server.origin).request<
    Err & { user: { id: string; email: string; displayName: string } }
  >('POST', '/api/auth/register', { email, password, displayName });
const login = (email: unknown, password: unknown) =>
  new TestClient(server.origin).request<Err & { user: { id: string } }>('POST', '/api/auth/login', {
    email,
    password,
  });

describe('finding 15: e-mails and display names', () => {
  it('makes one account of the NFC and NFD spellings of an address', async () => {
    const nfc = 'ren\u00e9@example.com';
    const nfd = 're\u006e\u0065\u0301@example.com'.replace('\u006e\u0065\u0301', 'ne\u0301');
    expect(nfd).not.toBe(nfc);
    expect(nfd.normalize('NFC')).toBe(nfc);
    const first = await register(nfd);
    expect(first.status).toBe(201);
    expect(first.body.user.email).toBe(nfc);
    const second = await register(nfc.toUpperCase());
    expect(second.status).toBe(409);
    expect((await login(nfc, PASSWORD)).body.user.id).toBe(first.body.user.id);
    expect((await login(nfd, PASSWORD)).body.user.id).toBe(first.body.user.id);
  });

  it('refuses control, bidi, zero-width and other invisible characters in e-mails', async () => {
    for (const ch of [
      '\u0000',
      '\u202e',
      '\u2066',
      '\u200b',
      '\u200d',
      '\ufeff',
      '\u00ad',
      '\u2028',
      '\u0085',
    ]) {
      const r = await register(`in${ch}visible@example.com`);
      expect(r.status, JSON.stringify(ch)).toBe(400);
      expect(r.body.error.message).toMatch(/invisible or control character/);
    }
  });

  it('strips bidi overrides, zero-width and control characters from display names', async () => {
    const r = await register('names1@example.com', '\u202eEve\u200b \u0007Evil\u2066\u0085\u200e');
    expect(r.status).toBe(201);
    expect(r.body.user.displayName).toBe('Eve Evil');
    // Joiners inside an emoji sequence stay; at the edges they go.
    const family = '\u{1F469}\u200d\u{1F469}\u200d\u{1F467}';
    const f = await register('names2@example.com', `\u200d${family} Fam\u200c`);
    expect(f.body.user.displayName).toBe(`${family} Fam`);
    const empty = await register('names3@example.com', '\u202e\u200b\u200d\u0001');
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('Display name is required.');
  });

  it('still signs in an account whose address was stored in NFD before normalization', async () => {
    const r = await register('zoe-old@example.com');
    const nfd = 'zo\u0065\u0308@example.com';
    server.app.db!.prepare('UPDATE users SET email = ? WHERE id = ?').run(nfd, r.body.user.id);
    expect((await login('zo\u00eb@example.com', PASSWORD)).body.user.id).toBe(r.body.user.id);
    expect((await register('ZO\u00cb@example.com')).status).toBe(409);
  });
});

describe('finding 16: passwords past 72 bytes', () => {
  it('refuses them at registration and password change, counting bytes, with a readable message', async () => {
    const latin = await register('long1@example.com', 'Long', 'a'.repeat(73));
    expect(latin.status).toBe(400);
    expect(latin.body.error.message).toBe(
      'Password is too long (at most 72 bytes; fewer for non-Latin characters).',
    );
    expect((await register('long2@example.com', 'Long', '\u00fc'.repeat(37))).status).toBe(400); // 74 bytes
    expect((await register('long3@example.com', 'Long', 'a'.repeat(72))).status).toBe(201);
    const c = new TestClient(server.origin);
    await c.register('long4@example.com', 'Long');
    const change = await c.request<Err>('POST', '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: `${'b'.repeat(72)}tail`,
    });
    expect(change.status).toBe(400);
    expect(change.body.error.message).toMatch(/at most 72 bytes/);
  });

  it('still signs in an existing account whose password is longer', async () => {
    const r = await register('long-old@example.com');
    const long = 'an old passphrase that goes on and on '.repeat(3); // 114 bytes
    const hash = await new Passwords(4).hash(long);
    server.app.db!
      .prepare('UPDATE users SET password_hash = ? WHERE id = ?')
      .run(hash, r.body.user.id);
    expect((await login('long-old@example.com', long)).status).toBe(200);
  });
});

describe('finding 17: every input is checked against a schema', () => {
  it('answers 400 invalid-input naming the field, never 500', async () => {
    const c = new TestClient(server.origin);
    await c.register('schema@example.com', 'Schema');
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/api/auth/login', { email: { toString: 1 }, password: 'x' }, /E-mail/],
      ['POST', '/api/auth/login', { email: 'schema@example.com', password: ['x'] }, /Password/],
      ['POST', '/api/auth/register', { email: 7, password: PASSWORD, displayName: 'A' }, /E-mail/],
      [
        'POST',
        '/api/auth/register',
        { email: 'x@example.com', password: PASSWORD, displayName: { a: 1 } },
        /Display name/,
      ],
      [
        'POST',
        '/api/auth/password',
        { currentPassword: 5, newPassword: PASSWORD },
        /Current password/,
      ],
      ['POST', '/api/conversations', { peerId: { $ne: null } }, /peerId/],
      ['POST', '/api/contacts/requests', { userId: 12 }, /userId/],
      ['POST', '/api/contacts/requests', [1, 2], /JSON object/],
      ['POST', '/api/auth/login', '"just a string"', /JSON/],
      ['GET', '/api/users?q=a&q=b', undefined, /q must be/],
      ['GET', `/api/users?q=${'x'.repeat(101)}`, undefined, /too long/],
    ];
    for (const [method, path, body, message] of cases) {
      const r = await c.request<Err>(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error.code).toBe('invalid-input');
      expect(r.body.error.message).toMatch(message);
    }
    const peer = new TestClient(server.origin);
    await peer.register('schema-peer@example.com', 'Peer');
    const conv = await c.open(peer.user!.id);
    for (const q of [
      'limit=0',
      'limit=abc',
      'limit=1&limit=2',
      'before=nope',
      'before=1.a&before=2.b',
    ]) {
      const r = await c.request<Err>('GET', `/api/conversations/${conv.id}/messages?${q}`);
      expect(r.status, q).toBe(400);
    }
    for (const q of ['sv=***', 'sv=a&sv=b']) {
      const r = await c.request<Err>('GET', `/api/conversations/${conv.id}/epochs/0?${q}`);
      expect(r.status, q).toBe(400);
    }
  });
});
