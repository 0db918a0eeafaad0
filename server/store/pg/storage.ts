/**
 * Storage on PostgreSQL (cluster mode): the four stores over one connection pool, the
 * batch commit (commit.ts) and the users' stored bytes.
 */
import { PgPushStore } from './push-store';
import { PgConversationPrefs } from './conversation-prefs';
import type pg from 'pg';
import type { DocWrite, Storage, WriteResult } from '../storage';
import { PgConversationStore } from './conversation-store';
import { PgDocStore } from './doc-store';
import { commitBatch } from './commit';
import { migratePg } from './migrations';
import { PgMessageSearch } from './message-search';
import { PgPeopleStore } from './people-store';
import { first, openPool, statement, type PgPoolOptions } from './pool';
import { PgUserStore } from './user-store';
import { PgAdminStore } from './admin-store';

const q = {
  bytes: statement('SELECT bytes FROM user_storage WHERE user_id = $1'),
};

export class PgStorage implements Storage {
  readonly kind = 'postgres';
  readonly users: PgUserStore;
  readonly people: PgPeopleStore;
  readonly conversations: PgConversationStore;
  readonly docs: PgDocStore;
  readonly push: PgPushStore;
  readonly admin: PgAdminStore;
  readonly prefs: PgConversationPrefs;
  readonly search: PgMessageSearch;

  constructor(readonly pool: pg.Pool) {
    this.users = new PgUserStore(pool);
    this.people = new PgPeopleStore(pool);
    this.conversations = new PgConversationStore(pool);
    this.docs = new PgDocStore(pool);
    this.push = new PgPushStore(pool);
    this.admin = new PgAdminStore(pool);
    this.prefs = new PgConversationPrefs(pool);
    this.search = new PgMessageSearch(pool);
  }

  /** Connect and migrate (under the migration advisory lock). */
  static async open(url: string, opts: PgPoolOptions = {}): Promise<PgStorage> {
    const pool = openPool(url, opts);
    try {
      await migratePg(pool);
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PgStorage(pool);
  }

  /**
   * Commit a batch in one transaction, each write all-or-nothing: a failing write (a
   * constraint violation) fails only itself. Rejects when the transaction itself fails
   * (connection lost): then no write of the batch is stored. See commit.ts.
   */
  commit(writes: readonly DocWrite[]): Promise<WriteResult[]> {
    return commitBatch(this.pool, writes);
  }

  async storedBytes(userId: string): Promise<number> {
    return (await first<{ bytes: number }>(this.pool, q.bytes, [userId]))?.bytes ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
