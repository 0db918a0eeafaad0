/** DocStore on better-sqlite3: table `doc_updates`, prepared statements. */
import type { Db } from './database';
import type { DocStore } from './doc-store';

export class SqliteDocStore implements DocStore {
  private readonly load;
  private readonly append;
  private readonly count;
  private readonly clear;
  private readonly clients;
  private readonly bind;
  private readonly replace;

  constructor(db: Db) {
    this.load = db.prepare<[string], { data: Buffer }>(
      'SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq',
    );
    this.append = db.prepare<[string, Uint8Array]>(
      'INSERT INTO doc_updates (doc, data) VALUES (?, ?)',
    );
    this.count = db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM doc_updates WHERE doc = ?',
    );
    this.clear = db.prepare<[string]>('DELETE FROM doc_updates WHERE doc = ?');
    this.clients = db.prepare<[string], { client_id: number; user_id: string }>(
      'SELECT client_id, user_id FROM doc_clients WHERE doc = ?',
    );
    this.bind = db.prepare<[string, number, string]>(
      'INSERT OR IGNORE INTO doc_clients (doc, client_id, user_id) VALUES (?, ?, ?)',
    );
    const append = this.append;
    const clear = this.clear;
    this.replace = db.transaction((doc: string, snapshot: Uint8Array) => {
      clear.run(doc);
      append.run(doc, snapshot);
    });
  }

  loadUpdates(doc: string): Uint8Array[] {
    return this.load
      .all(doc)
      .map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength));
  }

  appendUpdate(doc: string, update: Uint8Array): void {
    this.append.run(doc, update);
  }

  countUpdates(doc: string): number {
    return this.count.get(doc)?.n ?? 0;
  }

  replaceWithSnapshot(doc: string, snapshot: Uint8Array): void {
    this.replace(doc, snapshot);
  }

  loadClients(doc: string): Map<number, string> {
    return new Map(this.clients.all(doc).map((r) => [r.client_id, r.user_id]));
  }

  bindClient(doc: string, clientId: number, userId: string): void {
    this.bind.run(doc, clientId, userId);
  }
}
