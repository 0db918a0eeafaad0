/**
 * The DocStore contract: every implementation (SQLite, memory, PostgreSQL) must pass it.
 * Every call is awaited: the synchronous stores return plain values, which `await` accepts.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from '../../server/store/doc-store';

export interface DocStoreHandles {
  store: DocStore;
  /** A second handle on the same storage (another process), or the same store. */
  other?: DocStore;
  teardown: () => void | Promise<void>;
}

export function runDocStoreContract(
  name: string,
  setup: () => DocStoreHandles | Promise<DocStoreHandles>,
): void {
  describe(`DocStore contract: ${name}`, () => {
    const withStore =
      (fn: (store: DocStore, other: DocStore) => Promise<void>) => async (): Promise<void> => {
        const { store, other, teardown } = await setup();
        try {
          await fn(store, other ?? store);
        } finally {
          await teardown();
        }
      };

    /** The updates a Y.Doc emits, appended one after another (in order) by `appendAll`. */
    const recorder = (doc: Y.Doc): Uint8Array[] => {
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      return updates;
    };
    const appendAll = async (store: DocStore, doc: string, updates: Uint8Array[]) => {
      const seqs: number[] = [];
      for (const u of updates.splice(0)) seqs.push(await store.appendUpdate(doc, u));
      return seqs;
    };
    const contents = async (store: DocStore, doc: string) =>
      (await store.loadUpdates(doc)).map((u) => [...u.data]);

    it(
      'returns no updates for a new document',
      withStore(async (store) => {
        expect(await store.loadUpdates('c_new')).toEqual([]);
        expect(await store.countUpdates('c_new')).toBe(0);
      }),
    );

    it(
      'returns appended updates in order, per document',
      withStore(async (store) => {
        await store.appendUpdate('c_a', new Uint8Array([1, 2]));
        await store.appendUpdate('c_b', new Uint8Array([9]));
        await store.appendUpdate('c_a', new Uint8Array([3]));
        expect(await contents(store, 'c_a')).toEqual([[1, 2], [3]]);
        expect(await contents(store, 'c_b')).toEqual([[9]]);
        const seqs = (await store.loadUpdates('c_a')).map((u) => u.seq);
        expect(seqs[0]).toBeLessThan(seqs[1]!);
        expect(await store.countUpdates('c_a')).toBe(2);
      }),
    );

    it(
      "does not keep a reference to the caller's buffer",
      withStore(async (store) => {
        const buf = new Uint8Array([5, 6]);
        await store.appendUpdate('c_a', buf);
        buf[0] = 0;
        expect(await contents(store, 'c_a')).toEqual([[5, 6]]);
      }),
    );

    it(
      'replaces the log with one snapshot that restores the same document',
      withStore(async (store) => {
        const doc = new Y.Doc();
        const updates = recorder(doc);
        const arr = doc.getArray<string>('messages');
        arr.push(['one']);
        arr.push(['two']);
        arr.delete(0, 1);
        await appendAll(store, 'c_s', updates);
        expect(await store.countUpdates('c_s')).toBe(3);
        const merged = (await store.loadUpdates('c_s')).map((u) => u.seq);
        const seq = await store.replaceWithSnapshot('c_s', Y.encodeStateAsUpdate(doc), merged);
        expect(await store.countUpdates('c_s')).toBe(1);
        const stored = await store.loadUpdates('c_s');
        expect(stored.map((u) => u.seq)).toEqual([seq]);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.mergeUpdates(stored.map((u) => u.data)));
        expect(copy.getArray('messages').toArray()).toEqual(['two']);
      }),
    );

    it(
      "compaction deletes only the rows it merged, never another writer's",
      withStore(async (store, other) => {
        // Process A loaded and merged two rows; process B then appended one A never saw.
        const a = new Y.Doc();
        const fromA = recorder(a);
        a.getArray<string>('messages').push(['from A 1']);
        a.getArray<string>('messages').push(['from A 2']);
        const mine = await appendAll(store, 'c_m', fromA);
        const b = new Y.Doc();
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
        const fromB = recorder(b);
        b.getArray<string>('messages').push(['from B, acknowledged']);
        await appendAll(other, 'c_m', fromB);
        await store.replaceWithSnapshot('c_m', Y.encodeStateAsUpdate(a), mine);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.mergeUpdates((await other.loadUpdates('c_m')).map((u) => u.data)));
        expect(copy.getArray('messages').toArray()).toEqual([
          'from A 1',
          'from A 2',
          'from B, acknowledged',
        ]);
        expect(await store.countUpdates('c_m')).toBe(2);
      }),
    );

    it(
      'binds a client id to its first user only',
      withStore(async (store, other) => {
        await store.bindClient('c_a', 42, 'u_alice');
        await other.bindClient('c_a', 42, 'u_mallory');
        await store.bindClient('c_b', 42, 'u_bob');
        expect(await store.loadClients('c_a')).toEqual(new Map([[42, 'u_alice']]));
        expect(await other.loadClients('c_b')).toEqual(new Map([[42, 'u_bob']]));
      }),
    );
  });
}
