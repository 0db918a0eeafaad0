import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../../server/store/sqlite-storage';
import { WriteBatcher } from '../../../server/store/write-batcher';
import type { DocWrite, WriteResult } from '../../../server/store/storage';
import { createLogger } from '../../../server/logger';
import { waitFor } from '../../helpers/client';

const write = (doc: string, byte: number): DocWrite => ({
  doc,
  conversationId: doc,
  participants: ['u_a', 'u_b'],
  update: new Uint8Array([byte]),
  userId: 'u_a',
  newClients: [],
  projection: null,
});

describe('WriteBatcher', () => {
  it('commits one turn of writes together and calls done only after the commit', async () => {
    const storage = SqliteStorage.open(':memory:');
    const batcher = new WriteBatcher((w) => storage.commit(w), createLogger('error'));
    const count = () =>
      (storage.db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number }).n;
    const seenAtDone: number[] = [];
    for (let i = 0; i < 3; i++) {
      batcher.add(
        write('c_x', i),
        () => seenAtDone.push(count()),
        () => seenAtDone.push(-1),
      );
    }
    expect(count()).toBe(0); // nothing written before the turn ends
    await new Promise((r) => setImmediate(r));
    expect(seenAtDone).toEqual([3, 3, 3]);
    await storage.close();
  });

  it('spaces commits by the gap under load, and commits at once after a quiet spell', async () => {
    const storage = SqliteStorage.open(':memory:');
    const batcher = new WriteBatcher((w) => storage.commit(w), createLogger('error'), 30);
    const committedAt: number[] = [];
    const add = (): void =>
      batcher.add(
        write('c_x', 1),
        () => committedAt.push(performance.now()),
        () => undefined,
      );
    add(); // quiet server: the next turn
    await new Promise((r) => setImmediate(r));
    expect(committedAt).toHaveLength(1);
    add(); // right after a commit: waits for the gap, and later writes join it
    add();
    await new Promise((r) => setImmediate(r));
    expect(committedAt).toHaveLength(1);
    await waitFor(() => committedAt.length === 3, 5000, 'the gap passed');
    expect(committedAt[1]! - committedAt[0]!).toBeGreaterThanOrEqual(25);
    await storage.close();
  });

  it('fails only the write that threw; the others are committed with their sequence', async () => {
    const storage = SqliteStorage.open(':memory:');
    const batcher = new WriteBatcher((w) => storage.commit(w), createLogger('error'));
    const outcome: string[] = [];
    const seqs: number[] = [];
    batcher.add(
      write('c_a', 1),
      (seq) => {
        seqs.push(seq);
        outcome.push('a ok');
      },
      () => outcome.push('a failed'),
    );
    // A write the database refuses (no update bytes: NOT NULL).
    batcher.add(
      { ...write('c_b', 2), update: null as unknown as Uint8Array },
      () => outcome.push('b ok'),
      () => outcome.push('b failed'),
    );
    batcher.add(
      write('c_c', 3),
      (seq) => {
        seqs.push(seq);
        outcome.push('c ok');
      },
      () => outcome.push('c failed'),
    );
    await batcher.flush();
    expect(outcome).toEqual(['a ok', 'b failed', 'c ok']);
    const rows = storage.db.prepare('SELECT seq, doc FROM doc_updates ORDER BY seq').all() as {
      seq: number;
      doc: string;
    }[];
    expect(rows.map((r) => r.doc)).toEqual(['c_a', 'c_c']);
    expect(rows.map((r) => r.seq)).toEqual(seqs);
    expect(storage.storedBytes('u_a')).toBe(2); // b's bytes were not counted
    await storage.close();
  });

  it('with an asynchronous storage, keeps one batch in flight and runs callbacks in write order', async () => {
    const batches: { writes: readonly DocWrite[]; resolve: (r: WriteResult[]) => void }[] = [];
    const batcher = new WriteBatcher(
      (writes) => new Promise<WriteResult[]>((resolve) => batches.push({ writes, resolve })),
      createLogger('error'),
    );
    const done: number[] = [];
    batcher.add(
      write('c_a', 1),
      () => done.push(1),
      () => done.push(-1),
    );
    await new Promise((r) => setImmediate(r));
    expect(batches).toHaveLength(1);
    batcher.add(
      write('c_a', 2),
      () => done.push(2),
      () => done.push(-2),
    );
    batcher.add(
      write('c_a', 3),
      () => done.push(3),
      () => done.push(-3),
    );
    await new Promise((r) => setImmediate(r));
    expect(batches).toHaveLength(1); // the next batch waits for the first
    batches[0]!.resolve([{ ok: true, seq: 1 }]);
    await waitFor(() => batches.length === 2, 5000, 'the second batch');
    expect(done).toEqual([1]);
    expect(batches[1]!.writes.map((w) => w.update[0])).toEqual([2, 3]);
    batches[1]!.resolve([
      { ok: true, seq: 2 },
      { ok: false, error: new Error('lost') },
    ]);
    await waitFor(() => done.length === 3, 5000, 'the second batch settled');
    expect(done).toEqual([1, 2, -3]);
  });
});
