/**
 * Sealed history is read-only for rich messages: an edit or a reaction written into a
 * sealed document is answered with the "sealed" notice and never stored or relayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, waitFor, type Device } from '../helpers/client';
import type { ConversationSummary } from '../../shared/api';

const EPOCH = 3;
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let convo: ConversationSummary;

beforeAll(async () => {
  server = await startTestServer({ epochMessages: EPOCH });
  alice = new TestClient(server.origin);
  bob = new TestClient(server.origin);
  await alice.register('alice@example.com', 'Alice');
  await bob.register('bob@example.com', 'Bob');
  convo = await alice.open(bob.user!.id);
});
afterAll(async () => {
  alice.destroy();
  bob.destroy();
  await server.stop();
  server.cleanup();
});

/** The sealed document 0 as the server stores it. */
async function sealedDoc(): Promise<Y.Doc> {
  const r = await fetch(`${server.origin}/api/conversations/${convo.id}/epochs/0`, {
    headers: { Cookie: bob.cookie! },
  });
  expect(r.status).toBe(200);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await r.arrayBuffer()));
  return doc;
}

/** Write `change` on `d` and wait for the server's answer to it: the "sealed" notice. */
async function refusedAsSealed(d: Device, change: (doc: Y.Doc) => void): Promise<void> {
  d.sealedTo = null;
  change(d.doc);
  await waitFor(() => d.sealedTo !== null, 5000, 'sealed notice in answer');
  expect(d.allAcked()).toBe(false);
}

describe('sealed documents and rich messages', () => {
  it('take no edits and no reactions', async () => {
    const a = await alice.connect(server.wsUrl, convo.doc);
    const sent = Array.from({ length: EPOCH }, (_, i) => a.send(alice.user!.id, `old ${i}`));
    await waitFor(() => a.allAcked() && a.sealedTo !== null, 5000, 'sealed');
    const first = sent[0]!.id;
    await refusedAsSealed(a, (doc) =>
      doc.getMap('edits').set(first, { text: 'rewritten', at: Date.now() }),
    );
    a.destroy();
    const b = await bob.connect(server.wsUrl, convo.doc);
    await refusedAsSealed(b, (doc) =>
      doc.getMap('reactions').set(`${first}:${bob.user!.id}:👍`, { at: Date.now() }),
    );
    b.destroy();
    const stored = await sealedDoc();
    expect(stored.getMap('edits').size).toBe(0);
    expect(stored.getMap('reactions').size).toBe(0);
  });
});
