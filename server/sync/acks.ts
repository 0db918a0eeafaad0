/**
 * A room's acknowledgements (type 100): what of each user's writes is committed, sent once
 * per socket per turn after a commit, and never ahead of the disk — also on paths that do
 * not write (sync step 1, a resend), which are acked again once writes in flight commit.
 */
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';
import { MessageType } from '../../shared/protocol';
import { CommittedClocks } from './committed-clocks';
import type { Peer } from './room';

export class Acks {
  /** What of the document is on disk: acks and relayed receipts never claim more. */
  readonly committed: CommittedClocks;
  /** Writes of this room queued in the WriteBatcher and not committed yet. */
  private inFlight = 0;
  private readonly due = new Set<Peer>();
  /** Peers acked (step 1, resend) while writes were in flight: acked again after the commit. */
  private readonly afterCommit = new Set<Peer>();

  constructor(
    doc: Y.Doc,
    /** The client ids of a user in this document. */
    private readonly clientsOf: (userId: string) => Iterable<number>,
  ) {
    this.committed = new CommittedClocks(doc);
  }

  /** A write was queued in the WriteBatcher. */
  queued(): void {
    this.inFlight++;
  }

  /** A queued write committed: record it and ack its sender (and anyone waiting) this turn. */
  stored(update: Uint8Array, sender: Peer | null): void {
    this.inFlight--;
    this.committed.add(update);
    if (sender) this.queue(sender);
    if (this.inFlight === 0) {
      for (const p of this.afterCommit) this.queue(p);
      this.afterCommit.clear();
    }
  }

  /** A queued write failed. */
  failed(): void {
    this.inFlight--;
  }

  /** Ack what is committed now; if writes are in flight, ack again once they commit. */
  now(peer: Peer): void {
    this.send(peer);
    if (this.inFlight > 0) this.afterCommit.add(peer);
  }

  /** Send every queued ack now (before "sealed"; otherwise at the end of the turn). */
  flush(): void {
    for (const p of this.due) this.send(p);
    this.due.clear();
  }

  forget(peer: Peer): void {
    this.due.delete(peer);
    this.afterCommit.delete(peer);
  }

  /**
   * The committed clocks of the peer's user's client ids: all a client needs to mark its own
   * messages sent, small however many devices wrote here, and never ahead of the disk
   * (finding 8: an update applied in memory but not committed is not acknowledged).
   */
  send(peer: Peer): void {
    const payload = this.committed.encodeFor(this.clientsOf(peer.userId));
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MessageType.ack);
    encoding.writeVarUint8Array(enc, payload);
    peer.send(encoding.toUint8Array(enc));
  }

  /** One ack per socket per turn, however many of its updates the batch committed. */
  private queue(peer: Peer): void {
    if (this.due.size === 0) queueMicrotask(() => this.flush());
    this.due.add(peer);
  }
}
