/**
 * Storage on one SQLite file (embedded mode): the four stores over one better-sqlite3
 * connection, and the batch commit — every write of a batch in one transaction, each in
 * its own savepoint, the users' byte counts upserted once per batch.
 */
import { openDatabase, type Db } from './database';
import { SqliteDocStore } from './sqlite-doc-store';
import { SqliteUserStore } from './sqlite-user-store';
import { SqliteAdminStore } from './sqlite-admin-store';
import { SqlitePeopleStore } from './sqlite-people-store';
import { SqliteConversationStore } from './sqlite-conversation-store';
import { SqlitePushStore } from '../push/sqlite-push-store';
import { SqliteMessageSearch } from './sqlite-message-search';
import { SqliteConversationPrefs } from './sqlite-conversation-prefs';
import type { DocWrite, Storage, WriteResult } from './storage';

export class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  readonly users: SqliteUserStore;
  readonly people: SqlitePeopleStore;
  readonly conversations: SqliteConversationStore;
  readonly docs: SqliteDocStore;
  readonly push: SqlitePushStore;
  readonly admin: SqliteAdminStore;
  readonly prefs: SqliteConversationPrefs;
  readonly search: SqliteMessageSearch;
  private readonly commitBatch: (writes: readonly DocWrite[]) => WriteResult[];
  private readonly readBytes;

  constructor(readonly db: Db) {
    this.users = new SqliteUserStore(db);
    this.people = new SqlitePeopleStore(db);
    this.conversations = new SqliteConversationStore(db);
    this.docs = new SqliteDocStore(db);
    this.push = new SqlitePushStore(db);
    this.admin = new SqliteAdminStore(db);
    this.prefs = new SqliteConversationPrefs(db);
    this.search = new SqliteMessageSearch(db);
    this.readBytes = db.prepare<[string], { bytes: number }>(
      'SELECT bytes FROM user_storage WHERE user_id = ?',
    );
    const addBytes = db.prepare<[string, number]>(
      `INSERT INTO user_storage (user_id, bytes) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET bytes = bytes + excluded.bytes`,
    );
    const one = db.transaction((w: DocWrite): number => {
      const seq = this.docs.appendUpdate(w.doc, w.update);
      for (const client of w.newClients) this.docs.bindClient(w.doc, client, w.userId);
      if (w.projection)
        this.conversations.applyProjection(w.conversationId, w.participants, w.projection);
      return seq;
    });
    this.commitBatch = db.transaction((writes: readonly DocWrite[]): WriteResult[] => {
      const bytes = new Map<string, number>();
      const results = writes.map((w): WriteResult => {
        try {
          const seq = one(w); // nested: a savepoint
          bytes.set(w.userId, (bytes.get(w.userId) ?? 0) + w.update.byteLength);
          return { ok: true, seq };
        } catch (error) {
          return { ok: false, error: error ?? new Error('write failed') };
        }
      });
      for (const [userId, n] of bytes) addBytes.run(userId, n);
      return results;
    });
  }

  /** Open (creating and migrating) the SQLite file; ':memory:' works for tests. */
  static open(file: string): SqliteStorage {
    return new SqliteStorage(openDatabase(file));
  }

  commit(writes: readonly DocWrite[]): WriteResult[] {
    return this.commitBatch(writes);
  }

  storedBytes(userId: string): number {
    return this.readBytes.get(userId)?.bytes ?? 0;
  }

  close(): Promise<void> {
    this.search.stop();
    this.db.close();
    return Promise.resolve();
  }
}
