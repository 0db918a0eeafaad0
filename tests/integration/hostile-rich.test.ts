/**
 * Rich messages against a hostile participant (issue #12), on a real server and real
 * sockets, embedded (SQLite) and cluster (PostgreSQL + Redis): edits, reactions and
 * replies the server must refuse, what the history API carries, and delete for everyone
 * leaving no text, edit or reaction in any database row once the log is compacted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { HistoryPage, MessageRecord } from '../../shared/api';
import { CloseCode } from '../../shared/protocol';
import { newMessageId, type ChatMessage } from '../../shared/schema';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient, waitFor, type Device } from '../helpers/client';

/** A running deployment and a way to read every row it stores. */
interface Target {
  client(): TestClient;
  wsUrl: string;
  /** Every table's rows, each value as text (binary columns as latin1). */
  rows(): Promise<{ table: string; text: string }[]>;
  /** Edit window of this deployment. */
  windowMs: number;
  stop(): Promise<void>;
}

async function embedded(): Promise<Target> {
  const windowMs = 60_000;
  const server: TestServer = await startTestServer({ editWindowMs: windowMs, editGraceMs: 1 });
  return {
    client: () => new TestClient(server.origin),
    wsUrl: server.wsUrl,
    windowMs,
    rows: () => {
      const db = server.app.db!;
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[];
      return Promise.resolve(
        tables.flatMap(({ name }) =>
          (db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]).map((r) => ({
            table: name,
            text: rowText(r),
          })),
        ),
      );
    },
    stop: async () => {
      await server.stop();
      server.cleanup();
    },
  };
}

async function cluster(): Promise<Target> {
  const c: TestCluster = await startCluster(2, { EDIT_WINDOW_HOURS: '1', EDIT_GRACE_HOURS: '1' });
  const pool = new pg.Pool({ connectionString: c.db.url, max: 1 });
  let n = 0;
  return {
    // Alternate processes: the two participants are served by different ones.
    client: () => new TestClient(c.nodes[n++ % 2]!.origin, CLUSTER_ORIGIN),
    get wsUrl(): string {
      return c.wsUrl(n % 2);
    },
    windowMs: 3600_000,
    rows: async () => {
      const { rows: tables } = await pool.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
      );
      const out: { table: string; text: string }[] = [];
      for (const { tablename } of tables) {
        const { rows } = await pool.query<Record<string, unknown>>(`SELECT * FROM "${tablename}"`);
        for (const r of rows) out.push({ table: tablename, text: rowText(r) });
      }
      return out;
    },
    stop: async () => {
      await pool.end();
      await c.stop();
    },
  };
}

function rowText(row: Record<string, unknown>): string {
  return Object.values(row)
    .map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)))
    .join('\u0000');
}

describe.each([
  ['embedded (SQLite)', embedded],
  ['cluster (PostgreSQL)', cluster],
])('rich messages, %s', (_name, start) => {
  let target: Target;
  let alice: TestClient; // attacker in the hostile cases
  let bob: TestClient;
  let doc: string;
  let honest: Device; // Bob's device
  let bobMessage: ChatMessage;
  const devices: Device[] = [];

  beforeAll(async () => {
    target = await start();
    alice = target.client();
    bob = target.client();
    const tag = Math.random().toString(36).slice(2, 8);
    await alice.register(`alice-${tag}@example.com`, 'Alice');
    await bob.register(`bob-${tag}@example.com`, 'Bob');
    doc = (await alice.open(bob.user!.id)).doc;
    honest = await bob.connect(target.wsUrl, doc);
    bobMessage = honest.send(bob.user!.id, 'bob wrote this');
    await waitFor(() => honest.allAcked(), 10_000, 'bob acked');
  }, 90_000);
  afterAll(async () => {
    for (const d of devices) d.destroy();
    alice?.destroy();
    bob?.destroy();
    await target?.stop();
  });

  async function device(who: TestClient): Promise<Device> {
    const d = await who.connect(target.wsUrl, doc);
    devices.push(d);
    return d;
  }

  async function history(): Promise<MessageRecord[]> {
    const r = await bob.request<HistoryPage>('GET', `/api/conversations/${doc}/messages?limit=200`);
    return r.body.messages;
  }

  /** Alice's device writes `attack`: it must be closed with 4400 and Bob must see nothing of it. */
  async function refused(attack: (d: Device) => void): Promise<void> {
    const edits = JSON.stringify(honest.doc.getMap('edits').toJSON());
    const reactions = JSON.stringify(honest.doc.getMap('reactions').toJSON());
    const texts = honest.texts();
    const attacker = await device(alice);
    const closed = attacker.nextClose();
    attack(attacker);
    expect(await closed).toBe(CloseCode.invalidUpdate);
    attacker.destroy();
    // A barrier: an honest message from a new device arrives after anything the attack could.
    const legit = await device(alice);
    const barrier = legit.send(alice.user!.id, `barrier ${newMessageId()}`);
    await waitFor(() => honest.texts().includes(barrier.text), 10_000, 'barrier');
    expect(honest.texts().filter((t) => !t.startsWith('barrier'))).toEqual(
      texts.filter((t) => !t.startsWith('barrier')),
    );
    expect(JSON.stringify(honest.doc.getMap('edits').toJSON())).toBe(edits);
    expect(JSON.stringify(honest.doc.getMap('reactions').toJSON())).toBe(reactions);
  }

  it('refuses an edit of the other person’s message', async () => {
    await refused((d) =>
      d.doc.getMap('edits').set(bobMessage.id, { text: 'bob never said this', at: Date.now() }),
    );
    expect((await history()).find((m) => m.id === bobMessage.id)?.text).toBe('bob wrote this');
  });

  it('refuses an edit after the edit window', async () => {
    const a = await device(alice);
    // Written offline long ago (the server accepts old messages), so its window is over.
    const old = a.send(alice.user!.id, 'sent long ago', Date.now() - 2 * target.windowMs);
    await waitFor(() => a.allAcked(), 10_000, 'old message acked');
    a.destroy();
    await refused((d) =>
      d.doc.getMap('edits').set(old.id, { text: 'rewritten history', at: Date.now() }),
    );
  });

  it('refuses reacting as the other person, or to a message that does not exist', async () => {
    await refused((d) =>
      d.doc.getMap('reactions').set(`${bobMessage.id}:${bob.user!.id}:💩`, { at: Date.now() }),
    );
    await refused((d) =>
      d.doc.getMap('reactions').set(`${newMessageId()}:${alice.user!.id}:👍`, { at: Date.now() }),
    );
  });

  it('refuses a reply to a message of another conversation', async () => {
    const carol = target.client();
    await carol.register(`carol-${newMessageId()}@example.com`, 'Carol');
    const other = (await alice.open(carol.user!.id)).doc;
    const there = await alice.connect(target.wsUrl, other);
    devices.push(there);
    const elsewhere = there.send(alice.user!.id, 'said to carol');
    await waitFor(() => there.allAcked(), 10_000, 'carol conversation acked');
    carol.destroy();
    await refused((d) =>
      d.messages.push([
        {
          id: newMessageId(),
          from: alice.user!.id,
          text: 'as I said',
          at: Date.now(),
          replyTo: elsewhere.id,
        },
      ]),
    );
  });

  it('carries edits, replies and reactions in the history, and delete for everyone purges every row', async () => {
    const a = await device(alice);
    const secret = `purge-text-${newMessageId()}`;
    const edited = `purge-edit-${newMessageId()}`;
    const m = a.send(alice.user!.id, secret);
    a.doc.getMap('edits').set(m.id, { text: edited, at: Date.now() });
    await waitFor(() => a.allAcked(), 10_000, 'alice acked');
    await waitFor(() => honest.doc.getMap('edits').has(m.id), 10_000, 'edit relayed');
    const reply: ChatMessage = {
      id: newMessageId(),
      from: bob.user!.id,
      text: 'a reply',
      at: Date.now(),
      replyTo: m.id,
    };
    honest.messages.push([reply]);
    honest.doc.getMap('reactions').set(`${m.id}:${bob.user!.id}:🦄`, { at: Date.now() });
    await waitFor(() => honest.allAcked(), 10_000, 'bob acked');
    expect(honest.closeCodes).toEqual([]);
    const before = await history();
    expect(before.find((x) => x.id === m.id)).toMatchObject({
      text: edited,
      edited: expect.any(Number) as number,
      reactions: [{ emoji: '🦄', users: [bob.user!.id] }],
      attachments: [],
    });
    expect(before.find((x) => x.id === reply.id)?.replyTo).toBe(m.id);

    // Alice deletes the message only: the server removes its edit and Bob's reaction.
    a.messages.delete(
      a.messages.toArray().findIndex((x) => x.id === m.id),
      1,
    );
    await waitFor(
      () =>
        !honest.doc.getMap('edits').has(m.id) &&
        ![...honest.doc.getMap('reactions').keys()].some((k) => k.startsWith(`${m.id}:`)),
      10_000,
      'purge relayed to bob',
    );
    const after = await history();
    expect(after.some((x) => x.id === m.id)).toBe(false);
    expect(after.find((x) => x.id === reply.id)?.replyTo).toBe(m.id);
    // No row of any table holds the text or the edit once the log is compacted; the
    // reaction left the projection (its key stays only as a Yjs tombstone, docs/security.md).
    await waitFor(
      async () =>
        !(await target.rows()).some((r) => r.text.includes(secret) || r.text.includes(edited)),
      15_000,
      'text and edit gone from every row',
    );
    const rows = await target.rows();
    expect(rows.filter((r) => r.table === 'message_reactions' && r.text.includes(m.id))).toEqual(
      [],
    );
  });
});
