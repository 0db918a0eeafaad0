/** DocStore on better-sqlite3: table `doc_updates`, prepared statements. */
import type { Db } from './database';
import type { DocStore, StoredUpdate } from './doc-store';

export class SqliteDocStore implements DocStore {
  private readonly load;
  private readonly append;
  private readonly count;
  private readonly clients;
  private readonly bind;
  private readonly replace;

  constructor(db: Db) {
    this.load = db.prepare<[string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM doc_updates WHERE doc = ? ORDER BY seq',
    );
    this.append = db.prepare<[string, Uint8Array]>(
      'INSERT INTO doc_updates (doc, data) VALUES (?, ?)',
    );
    this.count = db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM doc_updates WHERE doc = ?',
    );
    const dropOne = db.prepare<[string, number]>(
      'DELETE FROM doc_updates WHERE doc = ? AND seq = ?',
    );
    this.clients = db.prepare<[string], { client_id: number; user_id: string }>(
      'SELECT client_id, user_id FROM doc_clients WHERE doc = ?',
    );
    this.bind = db.prepare<[string, number, string]>(
      'INSERT OR IGNORE INTO doc_clients (doc, client_id, user_id) VALUES (?, ?, ?)',
    );
    const append = this.append;
    this.replace = db.transaction(
      (doc: string, snapshot: Uint8Array, merged: readonly number[]): number => {
        for (const seq of merged) dropOne.run(doc, seq);
        return Number(append.run(doc, snapshot).lastInsertRowid);
      },
    );
  }

  loadUpdates(doc: string): StoredUpdate[] {
    return this.load.all(doc).map((r) => ({
      seq: r.seq,
      data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength),
    }));
  }

  appendUpdate(doc: string, update: Uint8Array): number {
    return Number(this.append.run(doc, update).lastInsertRowid);
  }

  countUpdates(doc: string): number {
    return this.count.get(doc)?.n ?? 0;
  }

  replaceWithSnapshot(doc: string, snapshot: Uint8Array, merged: readonly number[]): number {
    return this.replace(doc, snapshot, merged);
  }

  loadClients(doc: string): Map<number, string> {
    return new Map(this.clients.all(doc).map((r) => [r.client_id, r.user_id]));
  }

  bindClient(doc: string, clientId: number, userId: string): void {
    this.bind.run(doc, clientId, userId);
  }
}
