/**
 * Bus: fan-out of document updates and awareness between server processes. One
 * process today (LocalUpdateBus); Redis pub/sub later, so that several processes
 * behind a load balancer serve the same conversation.
 */

export type BusMessage =
  | { kind: 'doc-update'; doc: string; payload: Uint8Array }
  | { kind: 'awareness'; doc: string; payload: Uint8Array };

export interface Bus {
  /** Deliver to every other subscriber of `message.doc`, never back to this instance. */
  publish(message: BusMessage): void;
  /** Receive other instances' messages for `doc`. Returns an unsubscribe function. */
  subscribe(doc: string, onMessage: (message: BusMessage) => void): () => void;
  /** Stop delivering; pending deliveries are dropped. */
  close(): Promise<void>;
}
