/**
 * The Bus seam in use: two rooms of one document in two "processes" (two registries, each
 * with its own bus instance, sharing one storage) converge — an update written through one
 * reaches the other room's socket, is stored once, and awareness crosses too. Run for every
 * Bus implementation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { LocalHub, LocalUpdateBus } from '../../server/bus/local-update-bus';
import { RedisBus } from '../../server/bus/redis-bus';
import type { Bus } from '../../server/bus/update-bus';
import { SqliteStorage } from '../../server/store/sqlite-storage';
import { WriteBatcher } from '../../server/store/write-batcher';
import { StorageQuota } from '../../server/store/storage-quota';
import { RoomRegistry } from '../../server/sync/room-registry';
import type { Peer } from '../../server/sync/peer';
import { AfterCommit } from '../../server/after-commit';
import { createLogger } from '../../server/logger';
import { MessageType } from '../../shared/protocol';
import { frame, updateFrame } from '../../shared/frames';
import { newMessageId } from '../../shared/schema';
import { createRedisPrefix, requireServices, type TestRedisPrefix } from '../helpers/services';
import { waitFor } from '../helpers/client';

/** A socket as the room sees it, keeping the document it is sent and the awareness states. */
class TestPeer implements Peer {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
  readonly awarenessClients = new Set<number>();
  constructor(
    readonly userId: string,
    readonly displayName: string,
  ) {}
  send(data: Uint8Array): void {
    const d = decoding.createDecoder(data);
    const type = decoding.readVarUint(d);
    if (type === MessageType.sync)
      syncProtocol.readSyncMessage(d, encoding.createEncoder(), this.doc, 'server');
    if (type === MessageType.awareness)
      awarenessProtocol.applyAwarenessUpdate(
        this.awareness,
        decoding.readVarUint8Array(d),
        'server',
      );
  }
  close(): void {}
  spendSyncAnswer(): boolean {
    return true;
  }
}

function process_(storage: SqliteStorage, bus: Bus): RoomRegistry {
  const log = createLogger('error');
  return new RoomRegistry({
    store: storage.docs,
    conversations: storage.conversations,
    bus,
    writes: new WriteBatcher((w) => storage.commit(w), log),
    log,
    compactAfter: 500,
    visible: () => Promise.resolve(true),
    afterCommit: new AfterCommit(() => undefined),
    epochMessages: 10_000,
    quota: new StorageQuota((u) => storage.storedBytes(u), 1 << 30),
    editWindowMs: 24 * 3600_000,
    editGraceMs: 72 * 3600_000,
  });
}

function runRoomsOverBus(name: string, makeBuses: () => Promise<[Bus, Bus]>): void {
  describe(`two rooms on two buses converge: ${name}`, () => {
    it('an update written in one process reaches the other room’s socket and is stored once', async () => {
      const storage = SqliteStorage.open(':memory:');
      const [busA, busB] = await makeBuses();
      const [ra, rb] = [process_(storage, busA), process_(storage, busB)];
      const doc = 'c_AAAAAAAAAAAAAAAAAAAA';
      const people: [string, string] = ['u_alice', 'u_bob'];
      const roomA = await ra.getOrLoad(doc, doc, people);
      const roomB = await rb.getOrLoad(doc, doc, people);
      if (busB instanceof RedisBus) await busB.ready();
      if (busA instanceof RedisBus) await busA.ready();
      const alice = new TestPeer('u_alice', 'Alice');
      const bob = new TestPeer('u_bob', 'Bob');
      roomA.join(alice);
      roomB.join(bob);

      // Alice writes through process A.
      const mine = new Y.Doc();
      const m = { id: newMessageId(), from: 'u_alice', text: 'across the bus', at: Date.now() };
      mine.getArray('messages').push([m]);
      roomA.handleMessage(alice, updateFrame(Y.encodeStateAsUpdate(mine)));
      await waitFor(
        () =>
          bob.doc
            .getArray<{ id: string }>('messages')
            .toArray()
            .some((x) => x.id === m.id),
        10_000,
        'bob, on the other process, receives it',
      );
      expect(roomB.doc.getArray('messages').length).toBe(1);
      expect(storage.docs.loadUpdates(doc).length).toBe(1); // stored once, by A

      // Bob's typing crosses the other way.
      const states = new awarenessProtocol.Awareness(new Y.Doc());
      states.setLocalState({ typing: true });
      roomB.handleMessage(
        bob,
        frame(
          MessageType.awareness,
          awarenessProtocol.encodeAwarenessUpdate(states, [states.clientID]),
        ),
      );
      await waitFor(
        () =>
          [...alice.awareness.getStates().values()].some(
            (s) => (s as { typing?: boolean }).typing === true,
          ),
        10_000,
        'alice sees bob typing',
      );
      ra.closeAll();
      rb.closeAll();
      await busA.close();
      await busB.close();
      await storage.close();
    });
  });
}

runRoomsOverBus('local', () => {
  const hub = new LocalHub();
  return Promise.resolve([new LocalUpdateBus(hub), new LocalUpdateBus(hub)]);
});

let redis: TestRedisPrefix;
beforeAll(async () => {
  await requireServices();
  redis = createRedisPrefix();
});
afterAll(async () => {
  await redis?.drop();
});
runRoomsOverBus('redis', async () => [
  await RedisBus.connect({ url: redis.url, prefix: redis.prefix }),
  await RedisBus.connect({ url: redis.url, prefix: redis.prefix }),
]);
