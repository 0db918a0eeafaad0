/** The DocStore contract: every implementation (SQLite, memory) must pass it. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from '../../server/store/doc-store';

export function runDocStoreContract(
  name: string,
  /** `other` is a second handle on the same storage (another process), or the same store. */
  setup: () => { store: DocStore; other?: DocStore; teardown: () => void },
): void {
  describe(`DocStore contract: ${name}`, () => {
    const withStore =
      (fn: (store: DocStore, other: DocStore) => Promise<void> | void) => async () => {
        const { store, other, teardown } = setup();
        try {
          await fn(store, other ?? store);
        } finally {
          teardown();
        }
      };

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
        expect((await store.loadUpdates('c_a')).map((u) => [...u.data])).toEqual([[1, 2], [3]]);
        expect((await store.loadUpdates('c_b')).map((u) => [...u.data])).toEqual([[9]]);
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
        expect([...(await store.loadUpdates('c_a'))[0]!.data]).toEqual([5, 6]);
      }),
    );

    it(
      'replaces the log with one snapshot that restores the same document',
      withStore(async (store) => {
        const doc = new Y.Doc();
        const updates: Uint8Array[] = [];
        doc.on('update', (u: Uint8Array) => updates.push(u));
        const arr = doc.getArray<string>('messages');
        arr.push(['one']);
        arr.push(['two']);
        arr.delete(0, 1);
        for (const u of updates) await store.appendUpdate('c_s', u);
        expect(await store.countUpdates('c_s')).toBe(3);
        const merged = (await store.loadUpdates('c_s')).map((u) => u.seq);
        await store.replaceWithSnapshot('c_s', Y.encodeStateAsUpdate(doc), merged);
        expect(await store.countUpdates('c_s')).toBe(1);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.mergeUpdates((await store.loadUpdates('c_s')).map((u) => u.data)));
        expect(copy.getArray('messages').toArray()).toEqual(['two']);
      }),
    );

    it(
      "compaction deletes only the rows it merged, never another writer's",
      withStore(async (store, other) => {
        // Process A loaded and merged two rows; process B then appended one A never saw.
        const a = new Y.Doc();
        const mine: number[] = [];
        const aUpdates: Uint8Array[] = [];
        a.on('update', (u: Uint8Array) => aUpdates.push(u));
        a.getArray<string>('messages').push(['from A 1']);
        a.getArray<string>('messages').push(['from A 2']);
        for (const u of aUpdates) mine.push(await store.appendUpdate('c_m', u));
        const b = new Y.Doc();
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
        const bUpdates: Uint8Array[] = [];
        b.on('update', (u: Uint8Array) => bUpdates.push(u));
        b.getArray<string>('messages').push(['from B, acknowledged']);
        for (const u of bUpdates) await other.appendUpdate('c_m', u);
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
      withStore(async (store) => {
        await store.bindClient('c_a', 42, 'u_alice');
        await store.bindClient('c_a', 42, 'u_mallory');
        await store.bindClient('c_b', 42, 'u_bob');
        expect(await store.loadClients('c_a')).toEqual(new Map([[42, 'u_alice']]));
        expect(await store.loadClients('c_b')).toEqual(new Map([[42, 'u_bob']]));
      }),
    );
  });
}
