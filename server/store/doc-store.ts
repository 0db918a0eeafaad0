/**
 * DocStore: the persistence seam for conversation documents (an append-only log of
 * Yjs updates per document, each row numbered). `Awaitable` like the other stores: SQLite
 * and memory answer at once, PostgreSQL with a promise.
 */
import type { Awaitable } from './storage';

/** One stored update and its log sequence (increasing in append order). */
export interface StoredUpdate {
  seq: number;
  data: Uint8Array;
}

export interface DocStore {
  /** Every stored update of the document, in append order; [] for a new document. */
  loadUpdates(doc: string): Awaitable<StoredUpdate[]>;
  /** Durably append one update; returns its sequence. Called before the update is relayed or acknowledged. */
  appendUpdate(doc: string, update: Uint8Array): Awaitable<number>;
  /** How many updates are stored for the document (drives compaction). */
  countUpdates(doc: string): Awaitable<number>;
  /**
   * Compaction: atomically delete exactly the rows `merged` (the ones the snapshot was made
   * from) and append the snapshot; returns the snapshot's sequence. Rows appended by anyone
   * else meanwhile stay, so a second writer's acknowledged update is never lost; content
   * deleted in the document is gone from disk once every row that held it was merged.
   */
  replaceWithSnapshot(
    doc: string,
    snapshot: Uint8Array,
    merged: readonly number[],
  ): Awaitable<number>;
  /** Which user owns each Yjs client id seen in this document. */
  loadClients(doc: string): Awaitable<Map<number, string>>;
  /** Record that `clientId` belongs to `userId` in this document (first writer wins). */
  bindClient(doc: string, clientId: number, userId: string): Awaitable<void>;
}
