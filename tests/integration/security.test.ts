import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, waitFor } from '../helpers/client';
import { runServerToExit } from '../helpers/child-server';
import { backupDatabase } from '../../server/store/backup';
import { CloseCode } from '../../shared/protocol';
import type { HistoryPage } from '../../shared/api';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ loginMaxFailures: 5 });
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

describe('sessions', () => {
  it('a password change signs out every other session and closes its sockets', async () => {
    const laptop = new TestClient(server.origin);
    await laptop.register('pw@example.com', 'Pat');
    const peer = new TestClient(server.origin);
    await peer.register('peer@example.com', 'Peer');
    const phone = new TestClient(server.origin);
    expect(
      (
        await phone.request('POST', '/api/auth/login', {
          email: 'pw@example.com',
          password: 'correct horse battery',
        })
      ).status,
    ).toBe(200);
    const conv = await phone.open(peer.user!.id);
    const dev = await phone.connect(server.wsUrl, conv.doc);
    const closed = dev.nextClose();
    const wrong = await laptop.request('POST', '/api/auth/password', {
      currentPassword: 'nope nope nope',
      newPassword: 'brand new password',
    });
    expect(wrong.status).toBe(401);
    const r = await laptop.request('POST', '/api/auth/password', {
      currentPassword: 'correct horse battery',
      newPassword: 'brand new password',
    });
    expect(r.status).toBe(204);
    expect(await closed).toBe(CloseCode.unauthenticated);
    expect((await phone.request('GET', '/api/me')).status).toBe(401);
    expect((await laptop.request('GET', '/api/me')).status).toBe(200); // this device stays signed in
    const again = new TestClient(server.origin);
    expect(
      (
        await again.request('POST', '/api/auth/login', {
          email: 'pw@example.com',
          password: 'brand new password',
        })
      ).status,
    ).toBe(200);
    dev.destroy();
  });

  it('"sign out everywhere" revokes every session', async () => {
    const a = new TestClient(server.origin);
    await a.register('everywhere@example.com', 'Eve');
    const b = new TestClient(server.origin);
    await b.request('POST', '/api/auth/login', {
      email: 'everywhere@example.com',
      password: 'correct horse battery',
    });
    expect((await a.request('POST', '/api/auth/logout-everywhere')).status).toBe(204);
    expect((await a.request('GET', '/api/me')).status).toBe(401);
    expect((await b.request('GET', '/api/me')).status).toBe(401);
  });
});

describe('throttling', () => {
  it('answers 429 with Retry-After after 5 failed sign-ins to one account', async () => {
    const owner = new TestClient(server.origin);
    await owner.register('target@example.com', 'Target');
    const attacker = new TestClient(server.origin);
    for (let i = 0; i < 5; i++) {
      const r = await attacker.request('POST', '/api/auth/login', {
        email: 'target@example.com',
        password: `guess number ${i}`,
      });
      expect(r.status).toBe(401);
    }
    const blocked = await attacker.request('POST', '/api/auth/login', {
      email: 'target@example.com',
      password: 'correct horse battery',
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('throttles registrations per address', async () => {
    const own = await startTestServer({ registerMaxPerHour: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (
            await new TestClient(own.origin).request('POST', '/api/auth/register', {
              email: `many${i}@example.com`,
              password: 'long enough password',
              displayName: `M${i}`,
            })
          ).status,
        );
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
    } finally {
      await own.stop();
      own.cleanup();
    }
  });
});

describe('requests', () => {
  it('caps JSON bodies with 413 and sets security headers on every response', async () => {
    const c = new TestClient(server.origin);
    const big = await c.request<{ error: { code: string } }>('POST', '/api/auth/login', {
      email: 'x@example.com',
      password: 'x'.repeat(70 * 1024),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too-large');
    const r = await fetch(`${server.origin}/healthz`);
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(r.headers.get('content-security-policy')).not.toMatch(
      /unsafe-inline[^;]*script|script-src[^;]*unsafe-inline/,
    );
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('strict-transport-security')).toBeNull(); // plain http here
  });
});

describe('operations', () => {
  it('backs up the live database and a restore brings every message back', async () => {
    const a = new TestClient(server.origin);
    const b = new TestClient(server.origin);
    await a.register('backup-a@example.com', 'Ann');
    await b.register('backup-b@example.com', 'Ben');
    const conv = await a.open(b.user!.id);
    const dev = await a.connect(server.wsUrl, conv.doc);
    for (let i = 0; i < 20; i++) dev.send(a.user!.id, `kept ${i}`);
    await waitFor(() => dev.allAcked(), 5000, 'acks');
    const restoreDir = mkdtempSync(join(tmpdir(), 'parley-restore-'));
    await backupDatabase(server.dataDir, join(restoreDir, 'parley.db')); // while the server runs
    writeFileSync(join(restoreDir, 'session-secret'), 'y'.repeat(40));
    dev.destroy();
    const restored = await startTestServer({}, restoreDir);
    try {
      const again = new TestClient(restored.origin);
      expect(
        (
          await again.request('POST', '/api/auth/login', {
            email: 'backup-b@example.com',
            password: 'correct horse battery',
          })
        ).status,
      ).toBe(200);
      const page = await again.request<HistoryPage>(
        'GET',
        `/api/conversations/${conv.id}/messages?limit=50`,
      );
      expect(page.body.messages.map((m) => m.text).sort()).toEqual(
        [...Array(20).keys()].map((i) => `kept ${i}`).sort(),
      );
      const fresh = await again.connect(restored.wsUrl, conv.doc, new Y.Doc());
      expect(fresh.texts()).toHaveLength(20);
      fresh.destroy();
    } finally {
      await restored.stop();
      restored.cleanup();
    }
  });

  it('refuses to start on a damaged database with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-damaged-'));
    writeFileSync(
      join(dir, 'parley.db'),
      Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]),
    );
    const r = await runServerToExit({ DATA_DIR: dir, PORT: '0' });
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/Parley cannot start: .*(damaged|not a database)/i);
  }, 30_000);

  it('refuses to start with invalid configuration, saying which setting is wrong', async () => {
    const r = await runServerToExit({ PORT: 'eighty', DATA_DIR: join(tmpdir(), 'parley-cfg') });
    expect(r.code).toBe(78);
    expect(r.output).toMatch(/PORT must be/);
    const o = await runServerToExit({
      PUBLIC_ORIGIN: 'chat.example.com',
      DATA_DIR: join(tmpdir(), 'parley-cfg'),
    });
    expect(o.output).toMatch(/PUBLIC_ORIGIN must be/);
  }, 30_000);
});
