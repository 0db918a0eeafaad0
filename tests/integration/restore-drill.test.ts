/**
 * The restore drill of docs/operations.md, performed for real in both modes: messages
 * written to a running deployment, backed up with the documented command, restored into a
 * fresh place, and a fresh device of a participant reads them from the restored server.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server';
import { startCluster, CLUSTER_ORIGIN } from '../helpers/cluster';
import { createTestDatabase, type TestDatabase } from '../helpers/services';
import { TestClient, waitFor } from '../helpers/client';
import type { HistoryPage } from '../../shared/api';

const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function stopChild(server: ChildServer): Promise<void> {
  return new Promise((resolve) => {
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) return resolve();
    server.proc.once('exit', () => resolve());
    server.proc.kill('SIGTERM');
  });
}

const PASSWORD = 'correct horse battery';

describe('restore drill', () => {
  it('embedded: npm run backup while serving, restore into a fresh DATA_DIR, a fresh device reads everything', async () => {
    const root = mkdtempSync(join(tmpdir(), 'parley-drill-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const dataDir = join(root, 'data');
    const server = await startChildServer(await freePort(), dataDir);
    cleanups.push(() => stopChild(server));
    const wsUrl = `${server.origin.replace('http', 'ws')}/sync`;

    const ann = new TestClient(server.origin);
    const ben = new TestClient(server.origin);
    await ann.register('drill-ann@example.com', 'Ann', PASSWORD);
    await ben.register('drill-ben@example.com', 'Ben', PASSWORD);
    const c = await ann.open(ben.user!.id);
    const dev = await ann.connect(wsUrl, c.doc);
    const kept = Array.from({ length: 12 }, (_, i) => `before the backup ${i}`);
    for (const text of kept) dev.send(ann.user!.id, text);
    await waitFor(() => dev.allAcked(), 10_000, 'every message stored');
    // An attachment's bytes, where the blob store keeps them (DATA_DIR/blobs/<2>/<sha-256>).
    const blob = Buffer.from('attachment bytes \u{1F4CE}');
    const sha = createHash('sha256').update(blob).digest('hex');
    mkdirSync(join(dataDir, 'blobs', sha.slice(0, 2)), { recursive: true });
    writeFileSync(join(dataDir, 'blobs', sha.slice(0, 2), sha), blob);

    // The documented command, while the server runs.
    const backup = join(root, 'backups', 'parley-1.db');
    const made = await run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', backup], {
      env: { ...process.env, DATA_DIR: dataDir },
    });
    expect(made.stdout).toMatch(/and 1 attachment files/);
    for (const f of [backup, `${backup}.session-secret`])
      expect(statSync(f).mode & 0o077, `${f} is private`).toBe(0);

    // Written after the backup: not in the restored deployment.
    dev.send(ann.user!.id, 'after the backup');
    await waitFor(() => dev.allAcked(), 10_000, 'the late message stored');
    dev.destroy();
    await stopChild(server);

    // Restore into an empty DATA_DIR, as docs/operations.md ("Restore") says.
    const restoredDir = join(root, 'restored');
    mkdirSync(restoredDir, { mode: 0o700 });
    cpSync(backup, join(restoredDir, 'parley.db'));
    cpSync(`${backup}.session-secret`, join(restoredDir, 'session-secret'));
    cpSync(`${backup}.blobs`, join(restoredDir, 'blobs'), { recursive: true });
    const restored = await startChildServer(await freePort(), restoredDir);
    cleanups.push(() => stopChild(restored));
    expect(readFileSync(join(restoredDir, 'blobs', sha.slice(0, 2), sha))).toEqual(blob);

    // Ann's existing device stays signed in (the session secret and sessions came back).
    const annAgain = ann.via(restored.origin);
    expect((await annAgain.request('GET', '/api/me')).status).toBe(200);
    // Ben signs in on a new device and reads the conversation.
    const benNew = new TestClient(restored.origin);
    const login = await benNew.request('POST', '/api/auth/login', {
      email: 'drill-ben@example.com',
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    const page = await benNew.request<HistoryPage>(
      'GET',
      `/api/conversations/${c.id}/messages?limit=50`,
    );
    expect(page.body.messages.map((m) => m.text).sort()).toEqual([...kept].sort());
    const fresh = await benNew.connect(
      `${restored.origin.replace('http', 'ws')}/sync`,
      c.doc,
      new Y.Doc(),
    );
    expect(fresh.texts()).toEqual(kept);
    fresh.destroy();
  }, 120_000);

  it('cluster: pg_dump of a live database, pg_restore into another, a process on it serves the messages', async () => {
    const cluster = await startCluster(1);
    cleanups.push(() => cluster.stop());
    const node = cluster.nodes[0]!.origin;
    const ann = new TestClient(node, CLUSTER_ORIGIN);
    const ben = new TestClient(node, CLUSTER_ORIGIN);
    await ann.register('pgdrill-ann@example.com', 'Ann', PASSWORD);
    await ben.register('pgdrill-ben@example.com', 'Ben', PASSWORD);
    const c = await ann.open(ben.user!.id);
    const dev = await ann.connect(cluster.wsUrl(0), c.doc);
    const kept = Array.from({ length: 12 }, (_, i) => `stored in PostgreSQL ${i}`);
    for (const text of kept) dev.send(ann.user!.id, text);
    await waitFor(() => dev.allAcked(), 15_000, 'every message stored');

    // The documented commands: a dump of the live database, restored into an empty one.
    const dir = mkdtempSync(join(tmpdir(), 'parley-pgdrill-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dump = join(dir, 'parley.dump');
    await run('pg_dump', ['-Fc', '-f', dump, cluster.db.url]);
    expect(existsSync(dump)).toBe(true);
    dev.destroy();
    const target: TestDatabase = await createTestDatabase();
    cleanups.push(() => target.drop());
    await run('pg_restore', ['--no-owner', '-d', target.url, dump]);

    // A process on the restored database (new secret: everyone signs in again).
    const restored = await startCluster(1, {}, { db: target });
    cleanups.push(() => restored.stop());
    const benNew = new TestClient(restored.nodes[0]!.origin, CLUSTER_ORIGIN);
    const login = await benNew.request('POST', '/api/auth/login', {
      email: 'pgdrill-ben@example.com',
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    const page = await benNew.request<HistoryPage>(
      'GET',
      `/api/conversations/${c.id}/messages?limit=50`,
    );
    expect(page.body.messages.map((m) => m.text).sort()).toEqual([...kept].sort());
    const fresh = await benNew.connect(restored.wsUrl(0), c.doc, new Y.Doc());
    expect(fresh.texts()).toEqual(kept);
    // And it takes new messages: the restored sequences continue past the dumped rows.
    fresh.send(ben.user!.id, 'after the restore');
    await waitFor(() => fresh.allAcked(), 15_000, 'a new message stored after the restore');
    fresh.destroy();
  }, 120_000);
});
