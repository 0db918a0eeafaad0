/**
 * `npm run migrate` (issue #11): a real embedded deployment, stopped, moved into an empty
 * PostgreSQL database by the command itself (a child process), then served by a cluster
 * process on that database: people sign in, and see the same conversations, unread counts,
 * history and document texts; new writes after the move count and number on correctly.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ConversationSummary, HistoryPage } from '../../shared/api';
import type { ChatMessage } from '../../shared/schema';
import { verifyMove } from '../../server/store/move-verify';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient, waitFor } from '../helpers/client';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services';
import { startTestServer, type TestServer } from '../helpers/test-server';

const EPOCH = 5;
const PASSWORDS = { alice: 'alice long password', bob: 'bob long password', carol: 'carol pw 123' };

function runMigrate(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    const proc = spawn('npx', ['tsx', 'scripts/migrate.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** What a user sees through the API, without what changes by itself (presence). */
interface Seen {
  conversations: Pick<ConversationSummary, 'id' | 'doc' | 'epoch' | 'unread' | 'request'>[];
  history: string[];
  contacts: string[];
}

async function seenBy(c: TestClient, conversationId: string): Promise<Seen> {
  const list = await c.request<{ conversations: ConversationSummary[] }>(
    'GET',
    '/api/conversations',
  );
  const page = await c.request<HistoryPage>(
    'GET',
    `/api/conversations/${conversationId}/messages?limit=200`,
  );
  const contacts = await c.request<{ contacts: { id: string }[] }>('GET', '/api/contacts');
  return {
    conversations: list.body.conversations.map(({ id, doc, epoch, unread, request }) => ({
      id,
      doc,
      epoch,
      unread,
      request,
    })),
    history: page.body.messages.map((m) => `${m.deleted ? '(deleted)' : m.text}`),
    contacts: contacts.body.contacts.map((x) => x.id),
  };
}

const unreadOf = async (c: TestClient, id: string): Promise<number | undefined> =>
  (
    await c.request<{ conversations: ConversationSummary[] }>('GET', '/api/conversations')
  ).body.conversations.find((x) => x.id === id)?.unread;

let server: TestServer;
let db: TestDatabase;
let cluster: TestCluster | undefined;
const ids = { alice: '', bob: '', carol: '' };
const emails = {
  alice: 'alice@example.com',
  bob: 'bob@example.com',
  carol: 'carol@example.com',
};
let convo: ConversationSummary;
let liveDoc = '';
let liveTexts: string[] = [];
let before: { alice: Seen; bob: Seen };
let deleteLater = '';
/** Bob's cookie from the embedded server (sealed with its session secret). */
let bobCookie = '';
/** The embedded server's session secret (startTestServer's). */
const SECRET = 'x'.repeat(40);

beforeAll(async () => {
  await requireServices();
  server = await startTestServer({ epochMessages: EPOCH });
  const alice = new TestClient(server.origin);
  const bob = new TestClient(server.origin);
  const carol = new TestClient(server.origin);
  ids.alice = (await alice.register(emails.alice, 'Alice', PASSWORDS.alice)).id;
  ids.bob = (await bob.register(emails.bob, 'Bob', PASSWORDS.bob)).id;
  ids.carol = (await carol.register(emails.carol, 'Carol', PASSWORDS.carol)).id;
  // Contacts (a request, accepted) and a block with a third person.
  const req = await alice.request<{ request: { id: string } }>('POST', '/api/contacts/requests', {
    userId: ids.bob,
  });
  expect(req.status).toBe(201);
  expect(
    (await bob.request('POST', `/api/contacts/requests/${req.body.request.id}/accept`)).status,
  ).toBe(200);
  expect((await alice.request('POST', `/api/blocks/${ids.carol}`)).status).toBe(204);

  // Epoch 0 fills up and is sealed; the talk goes on in epoch 1.
  convo = await alice.open(ids.bob);
  const a0 = await alice.connect(server.wsUrl, convo.doc);
  const b0 = await bob.connect(server.wsUrl, convo.doc);
  for (let i = 0; i < EPOCH - 1; i++) a0.send(ids.alice, `old ${i}`);
  await waitFor(() => b0.texts().length === EPOCH - 1, 10_000, 'bob has epoch 0');
  b0.send(ids.bob, `old ${EPOCH - 1}`);
  await waitFor(() => a0.sealedTo !== null && b0.sealedTo !== null, 10_000, 'epoch 0 sealed');
  liveDoc = a0.sealedTo!;
  a0.destroy();
  b0.destroy();
  const a = await alice.connect(server.wsUrl, liveDoc);
  const b = await bob.connect(server.wsUrl, liveDoc);
  const first = a.send(ids.alice, 'new 0');
  const doomed = a.send(ids.alice, 'deleted soon');
  a.send(ids.alice, 'new 1');
  deleteLater = a.send(ids.alice, 'new 2').id;
  // Four messages: epoch 1 stays live (EPOCH is 5).
  await waitFor(() => a.allAcked(), 10_000, 'acks');
  const arr = a.messages;
  arr.delete(
    arr.toArray().findIndex((m) => m.id === doomed.id),
    1,
  );
  await waitFor(() => b.texts().length === 3 && a.allAcked(), 10_000, 'delete arrived');
  // Bob has read up to Alice's first message of epoch 1: 'new 1' and 'new 2' are unread.
  b.doc.getMap('reads').set(ids.bob, { upTo: first.id, at: Date.now() });
  await waitFor(() => b.allAcked(), 10_000, 'read marker acked');
  await waitFor(async () => (await unreadOf(bob, convo.id)) === 2, 10_000, 'bob unread 2');
  liveTexts = b.texts();
  before = { alice: await seenBy(alice, convo.id), bob: await seenBy(bob, convo.id) };
  bobCookie = bob.cookie!;
  a.destroy();
  b.destroy();
  await server.stop();
  db = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  await db?.drop();
  server?.cleanup();
});

describe('npm run migrate', () => {
  it('moves a stopped deployment into PostgreSQL, verified, and a cluster process serves it', async () => {
    expect(before.bob.conversations[0]?.unread).toBe(2);
    expect(before.alice.conversations[0]?.unread).toBe(1);
    expect(before.alice.conversations[0]?.doc).toBe(liveDoc); // epoch 1 is still the live one
    const run = await runMigrate(['--to', db.url, '--data-dir', server.dataDir]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/messages\s+\d+\s+\d+/);
    expect(run.out).toContain('Verified and committed');

    // The cluster keeps the embedded deployment's secret (docs/operations.md): devices stay
    // signed in, because the sessions moved too.
    cluster = await startCluster(1, { SESSION_SECRET: SECRET }, { db });
    const origin = cluster.nodes[0]!.origin;
    const bobsDevice = new TestClient(origin, CLUSTER_ORIGIN);
    bobsDevice.cookie = bobCookie;
    const me = await bobsDevice.request<{ user: { id: string } }>('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(ids.bob);
    const login = async (who: 'alice' | 'bob' | 'carol', password: string): Promise<TestClient> => {
      const c = new TestClient(origin, CLUSTER_ORIGIN);
      const r = await c.request('POST', '/api/auth/login', { email: emails[who], password });
      c.user = r.status === 200 ? (r.body as { user: TestClient['user'] }).user : null;
      return c;
    };
    expect((await login('alice', 'not her password')).user).toBeNull();
    const alice = await login('alice', PASSWORDS.alice);
    const bob = await login('bob', PASSWORDS.bob);
    const carol = await login('carol', PASSWORDS.carol);
    expect([alice.user?.id, bob.user?.id, carol.user?.id]).toEqual([ids.alice, ids.bob, ids.carol]);

    // The same conversations, unread counts, history and contacts; the block still holds.
    expect(await seenBy(alice, convo.id)).toEqual(before.alice);
    expect(await seenBy(bob, convo.id)).toEqual(before.bob);
    expect(before.alice.contacts).toEqual([ids.bob]);
    expect((await carol.request('POST', '/api/conversations', { peerId: ids.alice })).status).toBe(
      403,
    );

    // A fresh device syncs the live document and the sealed one with the same texts.
    const fresh = await alice.connect(cluster.wsUrl(0), liveDoc, new Y.Doc());
    expect(fresh.texts()).toEqual(liveTexts);
    expect(fresh.texts()).not.toContain('deleted soon');
    const sealed = await fetch(`${origin}/api/conversations/${convo.id}/epochs/0`, {
      headers: { Cookie: alice.cookie!, Origin: CLUSTER_ORIGIN },
    });
    expect(sealed.status).toBe(200);
    const old = new Y.Doc();
    Y.applyUpdate(old, new Uint8Array(await sealed.arrayBuffer()));
    expect(
      old
        .getArray<ChatMessage>('messages')
        .toArray()
        .map((m) => m.text),
    ).toEqual(Array.from({ length: EPOCH }, (_, i) => `old ${i}`));

    // Writing on: a new message numbers after the moved ones (the sequences were reset), and
    // a delete recounts Bob's unread from his moved read marker: 'new 1' and 'after the move'.
    fresh.send(ids.alice, 'after the move');
    await waitFor(() => fresh.allAcked(), 10_000, 'new message acked');
    await waitFor(async () => (await unreadOf(bob, convo.id)) === 3, 10_000, 'bob unread 3');
    const arr = fresh.messages;
    arr.delete(
      arr.toArray().findIndex((m) => m.id === deleteLater),
      1,
    );
    await waitFor(() => fresh.allAcked(), 10_000, 'delete acked');
    await waitFor(async () => (await unreadOf(bob, convo.id)) === 2, 10_000, 'bob unread 2');
    fresh.destroy();
    alice.destroy();
  }, 90_000);

  it('refuses a second run into the now non-empty database, changing nothing', async () => {
    const run = await runMigrate(['--to', db.url, '--data-dir', server.dataDir]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('The target database is not empty');
    expect(run.err).toContain('users');
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    try {
      const { rows } = await check.query<{ n: string }>('SELECT count(*) AS n FROM users');
      expect(rows[0]?.n).toBe('3');
    } finally {
      await check.end();
    }
  }, 60_000);

  it('refuses while a server holds the SQLite file', async () => {
    const running = await startTestServer({}, server.dataDir);
    try {
      const run = await runMigrate(['--to', db.url, '--data-dir', server.dataDir]);
      expect(run.code).toBe(1);
      expect(run.err).toContain('Stop the server first');
    } finally {
      await running.stop();
    }
  }, 60_000);

  it('the verification catches a document whose stored updates differ, with equal row counts', async () => {
    const other = await createTestDatabase();
    const run = await runMigrate(['--to', other.url, '--data-dir', server.dataDir]);
    expect(run.code).toBe(0);
    const sqlite = new Database(join(server.dataDir, 'parley.db'), { readonly: true });
    const client = new pg.Client({ connectionString: other.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      expect((await verifyMove(sqlite, client)).ok).toBe(true);
      // One row of the live document replaced by an update from a stranger client: the
      // counts stay equal, the document's state vector does not.
      const stray = new Y.Doc();
      stray.getArray('messages').push(['x']);
      await client.query(
        'UPDATE doc_updates SET data = $1 WHERE seq = (SELECT max(seq) FROM doc_updates WHERE doc = $2)',
        [Buffer.from(Y.encodeStateAsUpdate(stray)), liveDoc],
      );
      const summary = await verifyMove(sqlite, client);
      expect(summary.ok).toBe(false);
      expect(summary.tables.every((t) => t.sqlite === t.postgres)).toBe(true);
      expect(summary.mismatchedDocuments).toEqual([liveDoc]);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
      sqlite.close();
      await other.drop();
    }
  }, 60_000);

  it('prints usage for a missing or invalid --to', async () => {
    const missing = await runMigrate(['--data-dir', server.dataDir]);
    expect(missing.code).toBe(64);
    expect(missing.err).toContain('--to is required');
    expect(missing.err).toContain('Usage: npm run migrate -- --to postgres://');
    const invalid = await runMigrate(['--to', 'mysql://db/parley']);
    expect(invalid.code).toBe(64);
    expect(invalid.err).toContain('--to must be a postgres:// URL');
  }, 60_000);
});
