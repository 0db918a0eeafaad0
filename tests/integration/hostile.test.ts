/**
 * A hostile participant with a modified client: every forbidden write is refused whole
 * (closed with 4400, nothing stored or relayed), and the honest side sees no change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { Device, TestClient, rawSocket, waitFor } from '../helpers/client';
import type { HistoryPage } from '../../shared/api';
import { CloseCode } from '../../shared/protocol';
import { newMessageId } from '../../shared/schema';
import WebSocket from 'ws';

let server: TestServer;
let alice: TestClient; // the attacker
let bob: TestClient; // the honest participant
let doc: string;
let honest: Device;
let bobMessageId: string;

beforeAll(async () => {
  server = await startTestServer();
  alice = new TestClient(server.origin);
  bob = new TestClient(server.origin);
  await alice.register('mallory@example.com', 'Mallory');
  await bob.register('bob@example.com', 'Bob');
  doc = (await alice.open(bob.user!.id)).doc;
  honest = await bob.connect(server.wsUrl, doc);
  bobMessageId = honest.send(bob.user!.id, 'bob wrote this').id;
  honest.doc.getMap('reads').set(bob.user!.id, { upTo: bobMessageId, at: Date.now() });
  await waitFor(() => honest.allAcked(), 5000, 'bob acked');
});
afterAll(async () => {
  alice.destroy();
  bob.destroy();
  await server.stop();
  server.cleanup();
});

async function history(): Promise<string[]> {
  const r = await bob.request<HistoryPage>('GET', `/api/conversations/${doc}/messages?limit=200`);
  return r.body.messages.map((m) => `${m.from}:${m.text}`);
}

/** Run `attack` on a freshly synced attacker device; expect `code`; the honest side must be unchanged. */
async function expectRefused(
  attack: (d: Device) => void,
  code: number = CloseCode.invalidUpdate,
): Promise<void> {
  const before = {
    texts: honest.texts(),
    reads: honest.doc.getMap('reads').toJSON(),
    edits: honest.doc.getMap('edits').toJSON(),
    reactions: honest.doc.getMap('reactions').toJSON(),
    history: await history(),
  };
  const attacker = await alice.connect(server.wsUrl, doc);
  const closed = attacker.nextClose();
  attack(attacker);
  expect(await closed).toBe(code);
  attacker.destroy();
  // The server still serves: a legit message from a new honest device of Mallory's arrives at Bob after anything the attack could have produced.
  const legit = await alice.connect(server.wsUrl, doc);
  const m = legit.send(alice.user!.id, `still serving ${Math.random()}`);
  await waitFor(() => honest.messages.toArray().some((x) => x.id === m.id), 5000, 'legit message');
  legit.destroy();
  expect(honest.texts().filter((t) => !t.startsWith('still serving'))).toEqual(
    before.texts.filter((t) => !t.startsWith('still serving')),
  );
  expect(honest.doc.getMap('reads').toJSON()).toEqual(before.reads);
  expect(honest.doc.getMap('edits').toJSON()).toEqual(before.edits);
  expect(honest.doc.getMap('reactions').toJSON()).toEqual(before.reactions);
  expect((await history()).filter((t) => !t.includes('still serving'))).toEqual(
    before.history.filter((t) => !t.includes('still serving')),
  );
}

describe('hostile client', () => {
  it('cannot forge a message as the other person', async () => {
    await expectRefused((d) => d.send(bob.user!.id, 'I am Bob, send money'));
  });

  it("cannot delete the other person's message", async () => {
    await expectRefused((d) => {
      const idx = d.messages.toArray().findIndex((m) => m.id === bobMessageId);
      d.messages.delete(idx, 1);
    });
  });

  it("cannot edit or react as the other person or move the other's read marker", async () => {
    await expectRefused((d) =>
      d.doc.getMap('edits').set(bobMessageId, { text: 'edited by mallory', at: Date.now() }),
    );
    await expectRefused((d) =>
      d.doc.getMap('reactions').set(`${bobMessageId}:${bob.user!.id}:💩`, { at: Date.now() }),
    );
    await expectRefused((d) =>
      d.doc.getMap('reads').set(bob.user!.id, { upTo: bobMessageId, at: Date.now() + 1 }),
    );
  });

  it("cannot overwrite the other person's read marker with a deleted item", async () => {
    await expectRefused((d) => {
      const reads = d.doc.getMap('reads');
      d.doc.transact(() => {
        reads.set(bob.user!.id, { upTo: bobMessageId, at: 1 });
        reads.delete(bob.user!.id);
      });
    });
  });

  it('cannot nest a shared type or write an unknown root', async () => {
    await expectRefused((d) => d.messages.push([new Y.Map() as unknown as never]));
    await expectRefused((d) => d.doc.getText('evil').insert(0, '<script>alert(1)</script>'));
    await expectRefused((d) =>
      d.doc.getMap('reads').set(alice.user!.id, new Y.Array() as unknown as never),
    );
  });

  it('cannot send a message of the wrong shape, a duplicate id, a 1 MB text or a time far in the future', async () => {
    await expectRefused((d) =>
      d.messages.push([
        {
          id: newMessageId(),
          from: alice.user!.id,
          text: 'x',
          at: Date.now(),
          admin: true,
        } as never,
      ]),
    );
    await expectRefused((d) => d.send(alice.user!.id, '   '));
    await expectRefused((d) =>
      d.messages.push([{ id: bobMessageId, from: alice.user!.id, text: 'dup', at: Date.now() }]),
    );
    await expectRefused((d) => d.send(alice.user!.id, 'x'.repeat(1024 * 1024)));
    await expectRefused((d) =>
      d.send(alice.user!.id, 'from the future', Date.now() + 24 * 3600_000),
    );
  });

  it('cannot write with a client id that belongs to the other person', async () => {
    await expectRefused((d) => {
      // Rebuild the attacker's doc with Bob's client id and append as if Bob's device wrote it.
      const forged = new Y.Doc();
      Y.applyUpdate(forged, Y.encodeStateAsUpdate(d.doc));
      const sv = Y.encodeStateVector(d.doc);
      // Set after the sync: Yjs itself picks a new id when a remote update carries its own.
      forged.clientID = honest.doc.clientID;
      forged
        .getArray('messages')
        .push([
          { id: newMessageId(), from: alice.user!.id, text: "in bob's name", at: Date.now() },
        ]);
      Y.applyUpdate(d.doc, Y.encodeStateAsUpdate(forged, sv));
    });
  });

  it('is closed with 1013 when it floods the server, and may come back later', async () => {
    await expectRefused((d) => {
      for (let i = 0; i < 2100; i++) d.provider.awareness.setLocalStateField('typing', i % 2 === 0);
    }, CloseCode.tryAgainLater);
  });

  it('survives 1,000 random and mutated protocol frames (seeded), closing only the offending sockets', async () => {
    let seed = 1234567;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    // Valid frames to mutate: a sync step 1, an update and an awareness update.
    const d = new Y.Doc();
    Y.applyUpdate(d, Y.encodeStateAsUpdate(honest.doc));
    const sv = Y.encodeStateVector(d);
    d.getArray('messages').push([
      { id: newMessageId(), from: alice.user!.id, text: 'fuzz', at: Date.now() },
    ]);
    const update = Y.encodeStateAsUpdate(d, sv);
    const frame = (type: number, sub: number | null, payload: Uint8Array): Uint8Array => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, type);
      if (sub !== null) encoding.writeVarUint(e, sub);
      encoding.writeVarUint8Array(e, payload);
      return encoding.toUint8Array(e);
    };
    const seeds = [
      frame(0, 0, sv),
      frame(0, 2, update),
      frame(0, 1, update),
      frame(1, null, new Uint8Array([1, 5, 1, 2, 123, 125])),
    ];
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 1000; i++) {
      if (rand() < 0.2) {
        frames.push(
          Uint8Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)),
        );
        continue;
      }
      const base = Uint8Array.from(seeds[Math.floor(rand() * seeds.length)]!);
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++)
        base[Math.floor(rand() * base.length)] = Math.floor(rand() * 256);
      frames.push(rand() < 0.2 ? base.slice(0, Math.floor(rand() * base.length)) : base);
    }
    const deadline = Date.now() + 60_000;
    // Send in batches of 20 sockets at a time; each socket sends a handful of frames.
    for (let i = 0; i < frames.length && Date.now() < deadline; i += 5) {
      const ws = new WebSocket(`${server.wsUrl}/${doc}`, {
        headers: { Origin: server.origin, Cookie: alice.cookie! },
      });
      await new Promise<void>((resolve) => {
        ws.on('open', () => {
          for (const f of frames.slice(i, i + 5)) ws.send(f);
          setTimeout(() => ws.close(), 5);
        });
        ws.on('close', () => resolve());
        ws.on('error', () => resolve());
      });
    }
    // The honest participant's document and history only ever gain valid messages from Mallory.
    for (const m of honest.messages.toArray())
      expect(m.from === bob.user!.id || m.from === alice.user!.id).toBe(true);
    expect(honest.messages.toArray().find((m) => m.id === bobMessageId)?.text).toBe(
      'bob wrote this',
    );
    expect(honest.doc.getMap('reads').get(bob.user!.id)).toMatchObject({ upTo: bobMessageId });
    const probe = await rawSocket(`${server.wsUrl}/${doc}`, { Origin: server.origin });
    expect(probe.refused).toBe(401); // still answering
    const legit = await alice.connect(server.wsUrl, doc);
    const m = legit.send(alice.user!.id, 'after the fuzz');
    await waitFor(
      () => honest.messages.toArray().some((x) => x.id === m.id),
      5000,
      'post-fuzz delivery',
    );
    legit.destroy();
  }, 90_000);
});

describe('allowed writes', () => {
  it('lets the author delete their own message, and the text leaves the projection and, after compaction, the log', async () => {
    const a = await alice.connect(server.wsUrl, doc);
    const m = a.send(alice.user!.id, 'secret to be deleted');
    await waitFor(() => honest.messages.toArray().some((x) => x.id === m.id), 5000, 'delivery');
    a.messages.delete(
      a.messages.toArray().findIndex((x) => x.id === m.id),
      1,
    );
    await waitFor(() => !honest.messages.toArray().some((x) => x.id === m.id), 5000, 'deletion');
    expect(await history()).not.toContain(`${alice.user!.id}:secret to be deleted`);
    a.destroy();
    await waitFor(
      () => {
        const rows = server.app
          .db!.prepare('SELECT data FROM doc_updates WHERE doc = ?')
          .all(doc) as { data: Buffer }[];
        return !rows.some((r) => r.data.includes(Buffer.from('secret to be deleted')));
      },
      5000,
      'text gone from the stored log',
    );
    const inMessages = server.app
      .db!.prepare("SELECT count(*) AS n FROM messages WHERE text LIKE '%secret to be deleted%'")
      .get() as { n: number };
    expect(inMessages.n).toBe(0);
  });

  it('deletes exactly one message when it sits inside a merged item of several', async () => {
    const a = await alice.connect(server.wsUrl, doc);
    const batch = [0, 1, 2, 3, 4].map((i) => ({
      id: newMessageId(),
      from: alice.user!.id,
      text: `batch ${i}`,
      at: Date.now(),
    }));
    a.messages.push(batch); // one Yjs item holding five messages
    await waitFor(() => a.allAcked(), 5000, 'ack');
    a.messages.delete(
      a.messages.toArray().findIndex((m) => m.id === batch[2]!.id),
      1,
    );
    await waitFor(
      () => !honest.messages.toArray().some((m) => m.id === batch[2]!.id),
      5000,
      'deletion',
    );
    await waitFor(() => a.allAcked(), 5000, 'ack');
    const texts = await history();
    expect(texts.filter((t) => t.includes(':batch ')).sort()).toEqual(
      [0, 1, 3, 4].map((i) => `${alice.user!.id}:batch ${i}`),
    );
    a.destroy();
  });

  it('lets a user set their own read marker, edit and react to their own message', async () => {
    const a = await alice.connect(server.wsUrl, doc);
    const m = a.send(alice.user!.id, 'typo');
    a.doc.getMap('edits').set(m.id, { text: 'fixed', at: Date.now() });
    a.doc.getMap('reactions').set(`${bobMessageId}:${alice.user!.id}:👍`, { at: Date.now() });
    a.doc.getMap('reads').set(alice.user!.id, { upTo: bobMessageId, at: Date.now() });
    await waitFor(() => a.allAcked(), 5000, 'acks');
    expect(a.closeCodes).toEqual([]);
    await waitFor(
      () => honest.doc.getMap('reactions').has(`${bobMessageId}:${alice.user!.id}:👍`),
      5000,
      'reaction relayed',
    );
    a.destroy();
  });
});
