import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/store/database';
import { WriteBatcher } from '../../../server/store/write-batcher';
import { createLogger } from '../../../server/logger';

describe('WriteBatcher', () => {
  it('commits one turn of writes together and calls done only after the commit', async () => {
    const db = openDatabase(':memory:');
    const batcher = new WriteBatcher(db, createLogger('error'));
    const insert = db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)');
    const count = () =>
      (db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number }).n;
    const seenAtDone: number[] = [];
    for (let i = 0; i < 3; i++) {
      batcher.add(
        () => insert.run('c_x', new Uint8Array([i])),
        () => seenAtDone.push(count()),
        () => seenAtDone.push(-1),
      );
    }
    expect(count()).toBe(0); // nothing written before the turn ends
    await new Promise((r) => setImmediate(r));
    expect(seenAtDone).toEqual([3, 3, 3]);
    db.close();
  });

  it('spaces commits by the gap under load, and commits at once after a quiet spell', async () => {
    const db = openDatabase(':memory:');
    const batcher = new WriteBatcher(db, createLogger('error'), 30);
    const insert = db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)');
    const committedAt: number[] = [];
    const write = (): void =>
      batcher.add(
        () => insert.run('c_x', new Uint8Array([1])),
        () => committedAt.push(performance.now()),
        () => undefined,
      );
    const t0 = performance.now();
    write(); // quiet server: the next turn
    await new Promise((r) => setImmediate(r));
    expect(committedAt).toHaveLength(1);
    expect(committedAt[0]! - t0).toBeLessThan(25);
    write(); // right after a commit: waits for the gap, and later writes join it
    write();
    await new Promise((r) => setImmediate(r));
    expect(committedAt).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(committedAt).toHaveLength(3);
    expect(committedAt[2]! - committedAt[1]!).toBeLessThan(5); // one commit for both
    expect(committedAt[1]! - committedAt[0]!).toBeGreaterThanOrEqual(25);
    db.close();
  });

  it('fails only the write that threw; the others are committed', () => {
    const db = openDatabase(':memory:');
    const batcher = new WriteBatcher(db, createLogger('error'));
    const insert = db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)');
    const outcome: string[] = [];
    batcher.add(
      () => insert.run('c_a', new Uint8Array([1])),
      () => outcome.push('a ok'),
      () => outcome.push('a failed'),
    );
    batcher.add(
      () => {
        insert.run('c_b', new Uint8Array([2]));
        throw new Error('disk full');
      },
      () => outcome.push('b ok'),
      () => outcome.push('b failed'),
    );
    batcher.add(
      () => insert.run('c_c', new Uint8Array([3])),
      () => outcome.push('c ok'),
      () => outcome.push('c failed'),
    );
    batcher.flush();
    expect(outcome).toEqual(['a ok', 'b failed', 'c ok']);
    const docs = (
      db.prepare('SELECT doc FROM doc_updates ORDER BY seq').all() as { doc: string }[]
    ).map((r) => r.doc);
    expect(docs).toEqual(['c_a', 'c_c']); // b's own insert was rolled back with its savepoint
    db.close();
  });
});
