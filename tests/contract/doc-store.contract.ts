/** The DocStore contract: every implementation (SQLite, memory) must pass it. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from '../../server/store/doc-store';

export function runDocStoreContract(
  name: string,
  setup: () => { store: DocStore; teardown: () => void },
): void {
  describe(`DocStore contract: ${name}`, () => {
    const withStore = (fn: (store: DocStore) => void) => () => {
      const { store, teardown } = setup();
      try {
        fn(store);
      } finally {
        teardown();
      }
    };

    it(
      'returns no updates for a new document',
      withStore((store) => {
        expect(store.loadUpdates('c_new')).toEqual([]);
        expect(store.countUpdates('c_new')).toBe(0);
      }),
    );

    it(
      'returns appended updates in order, per document',
      withStore((store) => {
        store.appendUpdate('c_a', new Uint8Array([1, 2]));
        store.appendUpdate('c_b', new Uint8Array([9]));
        store.appendUpdate('c_a', new Uint8Array([3]));
        expect(store.loadUpdates('c_a').map((u) => [...u])).toEqual([[1, 2], [3]]);
        expect(store.loadUpdates('c_b').map((u) => [...u])).toEqual([[9]]);
        expect(store.countUpdates('c_a')).toBe(2);
      }),
    );

    it(
      "does not keep a reference to the caller's buffer",
      withStore((store) => {
        const buf = new Uint8Array([5, 6]);
        store.appendUpdate('c_a', buf);
        buf[0] = 0;
        expect([...store.loadUpdates('c_a')[0]!]).toEqual([5, 6]);
      }),
    );

    it(
      'replaces the log with one snapshot that restores the same document',
      withStore((store) => {
        const doc = new Y.Doc();
        doc.on('update', (u: Uint8Array) => store.appendUpdate('c_s', u));
        const arr = doc.getArray<string>('messages');
        arr.push(['one']);
        arr.push(['two']);
        arr.delete(0, 1);
        expect(store.countUpdates('c_s')).toBe(3);
        store.replaceWithSnapshot('c_s', Y.encodeStateAsUpdate(doc));
        expect(store.countUpdates('c_s')).toBe(1);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.mergeUpdates(store.loadUpdates('c_s')));
        expect(copy.getArray('messages').toArray()).toEqual(['two']);
      }),
    );

    it(
      'binds a client id to its first user only',
      withStore((store) => {
        store.bindClient('c_a', 42, 'u_alice');
        store.bindClient('c_a', 42, 'u_mallory');
        store.bindClient('c_b', 42, 'u_bob');
        expect(store.loadClients('c_a')).toEqual(new Map([[42, 'u_alice']]));
        expect(store.loadClients('c_b')).toEqual(new Map([[42, 'u_bob']]));
      }),
    );
  });
}
