/**
 * Bus: fan-out of document updates and awareness between server processes. In-process
 * in embedded mode (LocalUpdateBus); Redis pub/sub in cluster mode (RedisBus), where
 * deliveries are at-most-once: updates carry the log sequence, and `onGap` says when
 * deliveries may have been lost so rooms resync from the store.
 */

export type BusMessage =
  | {
      kind: 'doc-update';
      doc: string;
      payload: Uint8Array;
      /** The stored row's per-document log sequence, when the store numbers them (gap repair). */
      seq?: number;
      /** Who wrote it, and the client ids it was the first to write with (now theirs). */
      userId?: string;
      newClients?: readonly number[];
    }
  | { kind: 'awareness'; doc: string; payload: Uint8Array }
  /** A participant's device reported holding `payload` (a state vector, clamped: frame 101). */
  | { kind: 'received'; doc: string; userId: string; payload: Uint8Array }
  /** The document was sealed; `live` is the conversation's live document now. */
  | { kind: 'sealed'; doc: string; live: string };

export interface Bus {
  /** True when deliveries can be lost (Redis pub/sub): rooms then also catch up from the log. */
  readonly lossy: boolean;
  /** Deliver to every other subscriber of `message.doc`, never back to this instance. */
  publish(message: BusMessage): void;
  /** Receive other instances' messages for `doc`. Returns an unsubscribe function. */
  subscribe(doc: string, onMessage: (message: BusMessage) => void): () => void;
  /**
   * Called when deliveries to this instance may have been lost (a reconnect to the
   * medium): every subscriber must resync from the store. Never called by a bus that
   * cannot lose messages. Returns an unsubscribe function.
   */
  onGap(listener: () => void): () => void;
  /**
   * Metrics (optional): `listener` hears, for every message delivered from another instance,
   * how long ago it was published (ms, by the publisher's clock). Returns an unsubscribe.
   */
  onDelivered?(listener: (lagMs: number) => void): () => void;
  /** Stop delivering; pending deliveries are dropped. */
  close(): Promise<void>;
}
