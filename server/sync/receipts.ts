/**
 * Delivery receipts (frame 101): what each participant's device reported holding, clamped
 * to what the server has committed (finding 13: a receipt for clocks the server never had
 * would make every later message look delivered), stored, and relayed to the other
 * participant's sockets when they may see it.
 */
import * as Y from 'yjs';
import { MessageType } from '../../shared/protocol';
import { frame } from '../../shared/frames';
import type { ConversationStore } from '../store/conversation-store';
import type { Logger } from '../logger';
import type { Peer } from './peer';

export interface ReceiptsDeps {
  doc: string;
  participants: readonly [string, string];
  peers: ReadonlySet<Peer>;
  conversations: ConversationStore;
  log: Logger;
  /** A state vector cut down to what the server has committed. */
  clamp: (sv: Uint8Array) => Uint8Array;
  canSee: (viewer: string, subject: string) => boolean;
  /** Tell the other processes (their rooms relay it to the sockets they hold). */
  publish: (userId: string, sv: Uint8Array) => void;
}

export class Receipts {
  constructor(
    private readonly deps: ReceiptsDeps,
    /** What each participant's device last reported, by user (loaded with the room). */
    private readonly received: Map<string, Uint8Array>,
  ) {}

  /** The other participant's last receipt, for a joining peer who may see it. */
  welcome(peer: Peer): void {
    const other = this.deps.participants.find((p) => p !== peer.userId);
    const theirs = other ? this.received.get(other) : undefined;
    if (other && theirs && this.deps.canSee(peer.userId, other))
      peer.send(frame(MessageType.received, this.deps.clamp(theirs)));
  }

  /** A device of `peer` reports holding `sv`. Throws when it is not a state vector. */
  handle(peer: Peer, sv: Uint8Array): void {
    Y.decodeStateVector(sv); // throws when malformed
    if (sv.byteLength > 4096) throw new Error('state vector too large');
    const clamped = this.deps.clamp(sv);
    this.received.set(peer.userId, clamped);
    void Promise.resolve(
      this.deps.conversations.setReceived(this.deps.doc, peer.userId, clamped),
    ).catch((e: unknown) =>
      this.deps.log.error('storing a receipt failed', { doc: this.deps.doc, error: String(e) }),
    );
    this.relay(peer.userId, clamped);
    this.deps.publish(peer.userId, clamped);
  }

  /** A receipt another process took (already clamped and stored there). */
  applyRemote(userId: string, sv: Uint8Array): void {
    if (!this.deps.participants.includes(userId)) return;
    this.received.set(userId, sv);
    this.relay(userId, sv);
  }

  private relay(userId: string, sv: Uint8Array): void {
    const msg = frame(MessageType.received, sv);
    for (const p of this.deps.peers)
      if (p.userId !== userId && this.deps.canSee(p.userId, userId)) p.send(msg);
  }
}
