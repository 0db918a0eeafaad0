/**
 * A room's view of its document's stored log: which rows its Y.Doc holds (by sequence),
 * compaction that deletes exactly those rows, and catching up from rows another process
 * stored (`resync`) when the bus may have lost their messages.
 */
import * as Y from 'yjs';
import type { DocStore } from '../store/doc-store';
import type { Logger } from '../logger';

export interface RoomLogDeps {
  doc: string;
  store: DocStore;
  log: Logger;
  /** Apply a stored row another process wrote (relayed to local peers, never stored again). */
  apply: (update: Uint8Array) => void;
  /** The whole document as one update (the snapshot compaction writes). */
  snapshot: () => Uint8Array;
  /** `resync` applied this many rows the bus had not delivered (metrics). */
  repaired?: (rows: number) => void;
}

export class RoomLog {
  /** Sequences of the stored rows the room's document holds (what compaction may delete). */
  private merged: Set<number>;
  /** Rows stored for this document, as far as this room knows (drives compaction). */
  private count: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private resyncing = false;
  private closed = false;

  constructor(
    private readonly deps: RoomLogDeps,
    loaded: readonly number[],
  ) {
    this.merged = new Set(loaded);
    this.count = loaded.length;
  }

  get stored(): number {
    return this.count;
  }

  /** A row this room stored itself, or received over the bus, is in its document. */
  holds(seq: number, ownWrite: boolean): void {
    this.merged.add(seq);
    if (ownWrite) this.count++;
  }

  /** Compact in `delayMs` (a delete for everyone: the text leaves the disk soon). */
  schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.compact();
    }, delayMs);
    this.timer.unref();
  }

  /** Replace the rows this room merged with one snapshot; deleted content leaves the disk. */
  compact(): void {
    if (this.count <= 1) return;
    const snapshot = this.deps.snapshot();
    const merged = [...this.merged];
    this.merged = new Set(); // rows stored from now on; the snapshot's own joins when written
    this.count = 1;
    const done = (seq: number): void => void this.merged.add(seq);
    const failed = (e: unknown): void => {
      for (const seq of merged) this.merged.add(seq); // nothing was deleted
      this.deps.log.error('compaction failed', { doc: this.deps.doc, error: String(e) });
    };
    try {
      const seq = this.deps.store.replaceWithSnapshot(this.deps.doc, snapshot, merged);
      if (seq instanceof Promise) seq.then(done, failed);
      else done(seq);
    } catch (e) {
      failed(e);
    }
  }

  /**
   * Apply every stored row this room has not seen (another process stored it and its bus
   * message was lost or came before the room subscribed).
   */
  resync(): void {
    if (this.resyncing || this.closed) return;
    this.resyncing = true;
    void (async () => {
      try {
        const rows = await this.deps.store.loadUpdates(this.deps.doc);
        if (this.closed) return;
        let applied = 0;
        for (const row of rows) {
          if (this.merged.has(row.seq)) continue;
          this.deps.apply(row.data);
          this.merged.add(row.seq);
          applied++;
        }
        if (applied > 0) this.deps.repaired?.(applied);
      } catch (e) {
        this.deps.log.warn('resync from the log failed', { doc: this.deps.doc, error: String(e) });
      } finally {
        this.resyncing = false;
      }
    })();
  }

  /** Stop timers and catch-ups (the room is going away; `compact` first if it should). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Merge loaded rows into one update for the room's first applyUpdate. */
export function mergeRows(rows: readonly { data: Uint8Array }[]): Uint8Array | null {
  if (rows.length === 0) return null;
  return rows.length === 1 ? rows[0]!.data : Y.mergeUpdates(rows.map((r) => r.data));
}
