/**
 * Message search end to end over HTTP and real sockets, in both deployments (embedded
 * SQLite in process; a cluster process on PostgreSQL and Redis): a third user never finds
 * another pair's messages, an edited message is found by its new text only, a deleted one
 * not at all, and hostile queries get clear 400s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResults } from '../../shared/api';
import { CLUSTER_ORIGIN, startCluster, type TestCluster } from '../helpers/cluster';
import { TestClient, waitFor } from '../helpers/client';
import { startTestServer, type TestServer } from '../helpers/test-server';

interface Deployment {
  origin: string;
  appOrigin: string;
  wsUrl: string;
  stop(): Promise<void>;
}

const deployments: [string, () => Promise<Deployment>][] = [
  [
    'embedded (SQLite FTS5)',
    async () => {
      const s: TestServer = await startTestServer();
      return {
        origin: s.origin,
        appOrigin: s.origin,
        wsUrl: s.wsUrl,
        stop: async () => {
          await s.stop();
          s.cleanup();
        },
      };
    },
  ],
  [
    'cluster (PostgreSQL full-text search)',
    async () => {
      const c: TestCluster = await startCluster(1);
      return {
        origin: c.nodes[0]!.origin,
        appOrigin: CLUSTER_ORIGIN,
        wsUrl: c.wsUrl(0),
        stop: () => c.stop(),
      };
    },
  ],
];

describe.each(deployments)('search, %s', (_name, start) => {
  let d: Deployment;
  const clients: TestClient[] = [];

  async function person(name: string): Promise<TestClient> {
    const c = new TestClient(d.origin, d.appOrigin);
    await c.register(`${name}-${Math.random().toString(36).slice(2)}@example.com`, name);
    clients.push(c);
    return c;
  }

  const search = (c: TestClient, q: string) =>
    c.request<SearchResults>('GET', `/api/search?q=${encodeURIComponent(q)}`);
  const texts = async (c: TestClient, q: string): Promise<string[]> => {
    const r = await search(c, q);
    expect(r.status).toBe(200);
    return r.body.results.map((x) => x.message.text);
  };

  beforeAll(async () => {
    d = await start();
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await d?.stop();
  });

  it("finds the pair's messages with a marked snippet, never for a third user; edits and deletes count at once", async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const carol = await person('Carol');
    const conv = await alice.open(bob.user!.id);
    const a = await alice.connect(d.wsUrl, conv.doc);
    const kept = a.send(alice.user!.id, 'The treasure is buried under the old oak');
    const edited = a.send(alice.user!.id, 'meet at the harbour at noon');
    const removed = a.send(alice.user!.id, 'the vault password is swordfish');
    await waitFor(() => a.allAcked(), 10_000, 'acks');

    const found = await search(bob, 'TREASURE oak');
    expect(found.status).toBe(200);
    expect(found.body.results).toHaveLength(1);
    const [hit] = found.body.results;
    expect(hit!.conversationId).toBe(conv.id);
    expect(hit!.peer.displayName).toBe('Alice');
    expect(hit!.message).toMatchObject({ id: kept.id, from: alice.user!.id, deleted: false });
    expect(hit!.snippet).toEqual([
      { text: 'The ', match: false },
      { text: 'treasure', match: true },
      { text: ' is buried under the old ', match: false },
      { text: 'oak', match: true },
    ]);
    expect(await texts(alice, 'swordfish')).toEqual(['the vault password is swordfish']);

    // Carol, outside the pair, finds none of it — not even with her own conversation open.
    const cc = await carol.open(alice.user!.id);
    const c = await carol.connect(d.wsUrl, cc.doc);
    c.send(carol.user!.id, 'is there treasure for me too?');
    await waitFor(() => c.allAcked(), 10_000, 'carol acks');
    expect(await texts(carol, 'treasure')).toEqual(['is there treasure for me too?']);
    expect(await texts(carol, 'swordfish')).toEqual([]);
    expect(await texts(carol, 'harbour')).toEqual([]);

    // Edit one, delete the other for everyone.
    a.doc
      .getMap('edits')
      .set(edited.id, { text: 'meet at the lighthouse instead', at: Date.now() });
    a.messages.delete(
      a.messages.toArray().findIndex((m) => m.id === removed.id),
      1,
    );
    await waitFor(() => a.allAcked(), 10_000, 'edit and delete acknowledged');
    expect(await texts(bob, 'harbour')).toEqual([]);
    expect(await texts(bob, 'lighthouse')).toEqual(['meet at the lighthouse instead']);
    expect(await texts(bob, 'swordfish')).toEqual([]);
    expect(await texts(alice, 'vault')).toEqual([]);
    a.destroy();
    c.destroy();
  });

  it('answers hostile or empty queries with a clear 400 and search syntax as plain words', async () => {
    const dave = await person('Dave');
    const erin = await person('Erin');
    const conv = await dave.open(erin.user!.id);
    const dev = await dave.connect(d.wsUrl, conv.doc);
    dev.send(dave.user!.id, 'quote "this" OR that* NEAR(x)');
    await waitFor(() => dev.allAcked(), 10_000, 'acks');
    for (const q of ['"this"', 'this"', '(that* OR', "'this':* & !that", 'NEAR(x', '\\this']) {
      const r = await search(erin, q);
      expect(r.status, q).toBe(200);
    }
    expect(await texts(erin, '"this" OR')).toEqual(['quote "this" OR that* NEAR(x)']);

    const bad = async (path: string, message: RegExp): Promise<void> => {
      const r = await erin.request<{ error: { code: string; message: string } }>('GET', path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code).toBe('invalid-input');
      expect(r.body.error.message).toMatch(message);
    };
    await bad('/api/search', /q must be/);
    await bad('/api/search?q=', /Type a word/);
    await bad(`/api/search?q=${encodeURIComponent('"*():^')}`, /Type a word/);
    await bad(`/api/search?q=${'a'.repeat(201)}`, /too long/);
    await bad(`/api/search?q=${encodeURIComponent('a b c d e f g h i')}`, /8 words at most/);
    await bad('/api/search?q=x&q=y', /q must be/);
    await bad('/api/search?q=x&limit=0', /limit/);
    await bad('/api/search?q=x&limit=500', /limit/);
    await bad('/api/search?q=x&before=yesterday', /before/);
    expect(
      (await new TestClient(d.origin, d.appOrigin).request('GET', '/api/search?q=x')).status,
    ).toBe(401);
    dev.destroy();
  });
});
