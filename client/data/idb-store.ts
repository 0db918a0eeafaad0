/**
 * A tiny promise wrapper over one IndexedDB object store (keyPath `id`): enough for the
 * attachment outbox, which keeps Blobs (IndexedDB stores them natively, unlike localStorage).
 */
export class IdbStore<T extends { id: string }> {
  private db: Promise<IDBDatabase> | null = null;

  constructor(
    private readonly name: string,
    private readonly store = 'items',
    private readonly idb: IDBFactory | null = typeof indexedDB === 'undefined' ? null : indexedDB,
  ) {}

  private open(): Promise<IDBDatabase> {
    const idb = this.idb;
    if (!idb) return Promise.reject(new Error('IndexedDB is unavailable'));
    this.db ??= new Promise((resolve, reject) => {
      const req = idb.open(this.name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(this.store, { keyPath: 'id' });
      req.onsuccess = () => {
        const db = req.result;
        // Sign-out deletes this database: let it go.
        db.onversionchange = () => {
          db.close();
          this.db = null;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    });
    return this.db;
  }

  private async run<R>(
    mode: IDBTransactionMode,
    op: (s: IDBObjectStore) => IDBRequest<R>,
  ): Promise<R> {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(this.store, mode);
      const req = op(tx.objectStore(this.store));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  }

  all(): Promise<T[]> {
    return this.run('readonly', (s) => s.getAll() as IDBRequest<T[]>);
  }

  async put(value: T): Promise<void> {
    await this.run('readwrite', (s) => s.put(value));
  }

  async delete(id: string): Promise<void> {
    await this.run('readwrite', (s) => s.delete(id));
  }

  close(): void {
    void this.db?.then((db) => db.close()).catch(() => undefined);
    this.db = null;
  }
}
