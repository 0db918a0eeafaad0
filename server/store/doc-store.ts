/**
 * DocStore: the persistence seam for conversation documents (an append-only log of
 * Yjs updates per document). Synchronous because better-sqlite3 is: a room persists an
 * update before it fans it out, in order.
 */

export interface DocStore {
  /** Every stored update of the document, in append order; [] for a new document. */
  loadUpdates(doc: string): Uint8Array[];
  /** Durably append one update. Called before the update is relayed or acknowledged. */
  appendUpdate(doc: string, update: Uint8Array): void;
  /** How many updates are stored for the document (drives compaction). */
  countUpdates(doc: string): number;
  /**
   * Atomically replace the document's log with one merged update (compaction).
   * Removes every earlier row, so content deleted in the document is gone from disk.
   */
  replaceWithSnapshot(doc: string, snapshot: Uint8Array): void;
  /** Which user owns each Yjs client id seen in this document. */
  loadClients(doc: string): Map<number, string>;
  /** Record that `clientId` belongs to `userId` in this document (first writer wins). */
  bindClient(doc: string, clientId: number, userId: string): void;
}
