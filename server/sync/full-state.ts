/**
 * The whole document as frames for a sync step 1 with an empty state vector (a new device,
 * or a flood of them): one encoding plus the updates applied since, re-encoded only once
 * those exceed half of it. Encoding a document costs time in its size (about 100 ms for
 * 12 MB here), so re-encoding after every change let a client that alternates writes and
 * step-1 requests stall the event loop; now the cost is amortized over the growth.
 */
import * as Y from 'yjs';
import { step2Frame, updateFrame } from '../../shared/frames';

/** Below this, the updates since the encoding are always appended rather than re-encoded. */
const MIN_SINCE_BYTES = 256 * 1024;

export class FullState {
  private encoded: Uint8Array | null = null;
  private frame: Uint8Array | null = null;
  private since: Uint8Array[] = [];
  private sinceBytes = 0;

  constructor(private readonly doc: Y.Doc) {}

  /** The document changed by `update`; nothing is kept while no encoding is cached. */
  changed(update: Uint8Array): void {
    if (!this.encoded) return;
    this.since.push(update);
    this.sinceBytes += update.byteLength;
    if (this.sinceBytes > Math.max(MIN_SINCE_BYTES, this.encoded.byteLength / 2)) this.drop();
  }

  /** Frames that bring an empty document up to the current state: a step 2, then updates. */
  frames(): Uint8Array[] {
    if (!this.encoded || !this.frame) {
      this.encoded = Y.encodeStateAsUpdate(this.doc);
      this.frame = step2Frame(this.encoded);
      this.since = [];
      this.sinceBytes = 0;
    }
    return [this.frame, ...this.since.map(updateFrame)];
  }

  /** One update holding the whole current document (compaction). */
  snapshot(): Uint8Array {
    if (!this.encoded || this.since.length > 0) {
      this.encoded = Y.encodeStateAsUpdate(this.doc);
      this.frame = null;
      this.since = [];
      this.sinceBytes = 0;
    }
    return this.encoded;
  }

  /** Forget the encoding (its memory) until it is asked for again. */
  drop(): void {
    this.encoded = null;
    this.frame = null;
    this.since = [];
    this.sinceBytes = 0;
  }
}
