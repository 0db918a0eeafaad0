/** In-memory DocStore: the test double; passes the same contract suite as SQLite. */
import type { DocStore } from './doc-store';

export class MemoryDocStore implements DocStore {
  private readonly logs = new Map<string, Uint8Array[]>();
  private readonly clients = new Map<string, Map<number, string>>();

  loadUpdates(doc: string): Uint8Array[] {
    return [...(this.logs.get(doc) ?? [])];
  }

  appendUpdate(doc: string, update: Uint8Array): void {
    const log = this.logs.get(doc) ?? [];
    log.push(update.slice());
    this.logs.set(doc, log);
  }

  countUpdates(doc: string): number {
    return this.logs.get(doc)?.length ?? 0;
  }

  replaceWithSnapshot(doc: string, snapshot: Uint8Array): void {
    this.logs.set(doc, [snapshot.slice()]);
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
