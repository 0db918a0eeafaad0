/** A socket as a room sees it, and where a change to a room's Y.Doc came from. */

export interface Peer {
  readonly userId: string;
  readonly displayName: string;
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Awareness client ids this peer controls (removed when it leaves). */
  readonly awarenessClients: Set<number>;
  /**
   * Spend `bytes` of this socket's and user's budget for answers to sync step 1; false
   * (and the socket is closed with 1013) when that exceeds it.
   */
  spendSyncAnswer(bytes: number): boolean;
}

/** Where a change to the Y.Doc came from: persist where it enters, fan out everywhere. */
export type TransactionOrigin =
  | { source: 'socket'; peer: Peer }
  | { source: 'bus' }
  | { source: 'load' }
  /** The server's own delete-only update purging a deleted message's edit and reactions. */
  | { source: 'purge' };

export const isOrigin = (o: unknown): o is TransactionOrigin =>
  typeof o === 'object' && o !== null && 'source' in o;
