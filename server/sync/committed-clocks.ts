/**
 * The clocks of a document's Yjs client ids that are on disk. Acks (type 100) and relayed
 * receipts (type 101) never claim more than this, so "sent" and "delivered" only ever mean
 * "stored by the server" (docs/protocol.md).
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export class CommittedClocks {
  private readonly clocks: Map<number, number>;

  /** Everything in `doc` now is on disk (the room just loaded it from the store). */
  constructor(doc: Y.Doc) {
    this.clocks = Y.decodeStateVector(Y.encodeStateVector(doc));
  }

  /** An update was committed (or committed by another server, from the bus): O(its size). */
  add(update: Uint8Array): void {
    const { to } = Y.parseUpdateMeta(update);
    for (const [client, clock] of to) {
      if (clock > (this.clocks.get(client) ?? 0)) this.clocks.set(client, clock);
    }
  }

  get(client: number): number {
    return this.clocks.get(client) ?? 0;
  }

  /** The ack payload: the committed clocks of `clients` (one user's ids), as a state vector. */
  encodeFor(clients: Iterable<number>): Uint8Array {
    const enc = encoding.createEncoder();
    const own: [number, number][] = [];
    for (const client of clients) {
      const clock = this.get(client);
      if (clock > 0) own.push([client, clock]);
    }
    encoding.writeVarUint(enc, own.length);
    for (const [client, clock] of own) {
      encoding.writeVarUint(enc, client);
      encoding.writeVarUint(enc, clock);
    }
    return encoding.toUint8Array(enc);
  }

  /**
   * A receipt clamped to what is on disk: each clock at most the committed one, client ids
   * the server never stored dropped. A device cannot make messages look delivered that the
   * server never had.
   */
  clamp(sv: Uint8Array): Uint8Array {
    const out = new Map<number, number>();
    for (const [client, clock] of Y.decodeStateVector(sv)) {
      const stored = Math.min(clock, this.get(client));
      if (stored > 0) out.set(client, stored);
    }
    return Y.encodeStateVector(out);
  }
}
