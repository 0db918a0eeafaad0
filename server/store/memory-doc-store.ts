/** In-memory DocStore: the test double; passes the same contract suite as SQLite. */
import type { DocStore, StoredUpdate } from './doc-store';

export class MemoryDocStore implements DocStore {
  private readonly logs = new Map<string, StoredUpdate[]>();
  private readonly clients = new Map<string, Map<number, string>>();
  private seq = 0;

  loadUpdates(doc: string): StoredUpdate[] {
    return (this.logs.get(doc) ?? []).map((u) => ({ seq: u.seq, data: u.data }));
  }

  appendUpdate(doc: string, update: Uint8Array): number {
    const log = this.logs.get(doc) ?? [];
    const seq = ++this.seq;
    log.push({ seq, data: update.slice() });
    this.logs.set(doc, log);
    return seq;
  }

  countUpdates(doc: string): number {
    return this.logs.get(doc)?.length ?? 0;
  }

  replaceWithSnapshot(doc: string, snapshot: Uint8Array, merged: readonly number[]): number {
    const drop = new Set(merged);
    this.logs.set(
      doc,
      (this.logs.get(doc) ?? []).filter((u) => !drop.has(u.seq)),
    );
    return this.appendUpdate(doc, snapshot);
  }

  loadClients(doc: string): Map<number, string> {
    return new Map(this.clients.get(doc) ?? []);
  }

  bindClient(doc: string, clientId: number, userId: string): void {
    const map = this.clients.get(doc) ?? new Map<number, string>();
    if (!map.has(clientId)) map.set(clientId, userId);
    this.clients.set(doc, map);
  }
}
