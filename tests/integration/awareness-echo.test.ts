/**
 * The other person's client echoes every awareness change back to the server, the removal
 * of someone who left included. That echo must not claim the departed device's client id:
 * the device comes back with the same id carrying what it wrote offline, and must not be
 * refused (it was, with 4400 "client id belongs to another user").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestClient, waitFor } from '../helpers/client';

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let doc: string;

beforeAll(async () => {
  server = await startTestServer();
  alice = new TestClient(server.origin);
  bob = new TestClient(server.origin);
  await alice.register('alice-echo@example.com', 'Alice');
  await bob.register('bob-echo@example.com', 'Bob');
  const c = await alice.open(bob.user!.id);
  doc = c.doc;
  await bob.request('POST', `/api/conversations/${c.id}/accept`); // presence is shared
});
afterAll(async () => {
  alice.destroy();
  bob.destroy();
  await server.stop();
  server.cleanup();
});

describe('awareness echoes', () => {
  it('do not take a departed device’s client id: it reconnects and its offline message is stored', async () => {
    const b = await bob.connect(server.wsUrl, doc);
    const aliceDoc = new Y.Doc();
    const first = await alice.connect(server.wsUrl, doc, aliceDoc);
    const id = aliceDoc.clientID;
    first.provider.awareness.setLocalStateField('viewing', true);
    await waitFor(() => b.provider.awareness.getStates().has(id), 5000, 'bob sees alice');
    // Alice's device drops off the network: no goodbye (no awareness removal of its own);
    // the server removes her state when the socket dies, and bob's client echoes that.
    first.provider.shouldConnect = false;
    (first.provider.ws as unknown as { terminate(): void }).terminate();
    await waitFor(() => !b.provider.awareness.getStates().has(id), 5000, 'alice gone at bob');
    // Barrier: bob's echo of the removal left before this message, on the same socket.
    b.send(bob.user!.id, 'barrier');
    await waitFor(() => b.allAcked(), 5000, 'barrier stored');

    // Written while away, with the same client id, then the device reconnects.
    const m = {
      id: 'm-offline-echo-1',
      from: alice.user!.id,
      text: 'from the train',
      at: Date.now(),
    };
    aliceDoc.getArray('messages').push([m]);
    const again = await alice.connect(server.wsUrl, doc, aliceDoc);
    await waitFor(() => again.allAcked(), 5000, 'offline message acknowledged');
    await waitFor(() => b.messages.toArray().some((x) => x.id === m.id), 5000, 'bob receives it');
    expect(again.closeCodes).toEqual([]);
  });
});
