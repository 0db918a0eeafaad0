/**
 * PostgreSQL-only behaviour of PgStorage: a batch whose connection is lost mid-transaction
 * stores nothing and fails every write (the WriteBatcher's `failed` callbacks), and the pool
 * recovers for the next batch.
 */
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../server/logger';
import type { DocWrite } from '../../server/store/storage';
import { WriteBatcher } from '../../server/store/write-batcher';
import { pgFixture } from './pg-fixture';
import { makeUsers } from './storage.contract';

const pg = pgFixture();
const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Updates of this many bytes make their connection's server process exit mid-insert. */
const FATAL_BYTES = 13;

describe('PgStorage', () => {
  it('a batch that loses its connection stores nothing and fails every write', async () => {
    const [storage, admin] = await pg.fresh(2);
    try {
      await admin!.pool.query(`
        CREATE OR REPLACE FUNCTION parley_test_die() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF octet_length(NEW.data) = ${FATAL_BYTES} THEN
            PERFORM pg_terminate_backend(pg_backend_pid());
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER parley_test_die BEFORE INSERT ON doc_updates
          FOR EACH ROW EXECUTE FUNCTION parley_test_die();`);
      const [a, b] = await makeUsers(storage!, 2);
      const { conversation } = await storage!.conversations.openPair(a!, b!, true);
      const write = (bytes: number, id: string): DocWrite => ({
        doc: `${conversation.id}:0`,
        conversationId: conversation.id,
        participants: [a!, b!],
        update: new Uint8Array(bytes),
        userId: a!,
        newClients: [1],
        projection: {
          added: [{ id, from: a!, text: id, at: 1000, stored: 1000 }],
          deleted: [],
          edited: [],
          reads: [],
        },
      });

      const outcomes: string[] = [];
      const batcher = new WriteBatcher((w) => storage!.commit(w), quiet);
      for (const [bytes, id] of [
        [10, 'm1'],
        [FATAL_BYTES, 'm2'],
        [20, 'm3'],
      ] as const)
        batcher.add(
          write(bytes, id),
          () => outcomes.push(`${id} done`),
          () => outcomes.push(`${id} failed`),
        );
      await batcher.flush();
      expect(outcomes).toEqual(['m1 failed', 'm2 failed', 'm3 failed']);
      expect(await admin!.docs.countUpdates(`${conversation.id}:0`)).toBe(0);
      expect(await admin!.docs.loadClients(`${conversation.id}:0`)).toEqual(new Map());
      expect(await admin!.conversations.page(conversation.id, null, 10)).toEqual([]);
      expect(await admin!.storedBytes(a!)).toBe(0);

      // The broken connection was dropped: the next batch commits.
      const results = await storage!.commit([write(10, 'm1'), write(20, 'm3')]);
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      expect(await admin!.storedBytes(a!)).toBe(30);
      expect((await admin!.conversations.page(conversation.id, null, 10)).map((m) => m.id)).toEqual(
        ['m3', 'm1'],
      );
    } finally {
      await Promise.all([storage!.close(), admin!.close()]);
    }
  });
});
