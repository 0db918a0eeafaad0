/**
 * Keeps one user's tabs consistent without the server: every update of a conversation
 * document is posted on a BroadcastChannel named after the user's local database
 * (`parley:<userId>:<doc>`) and applied by the other tabs with the relay as origin, so it
 * is never posted back. This works offline too (a message written in one tab shows in the
 * others at once), and the name scoping means two accounts used one after the other in
 * one browser never share a channel (why y-websocket's own, unscoped channel is off).
 *
 * Nothing is sent twice to the server because of it: an update is the same Yjs item in
 * every tab, and the server stores only what its state vector lacks.
 */
import * as Y from 'yjs';

/** The part of BroadcastChannel the relay uses (a fake in unit tests). */
export interface ChannelLike {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

type RelayMessage =
  | { kind: 'update'; update: Uint8Array }
  /** A tab that just loaded asks the others for what it lacks. */
  | { kind: 'hello'; stateVector: Uint8Array };

const isRelayMessage = (v: unknown): v is RelayMessage => {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { kind?: unknown; update?: unknown; stateVector?: unknown };
  return (
    (m.kind === 'update' && m.update instanceof Uint8Array) ||
    (m.kind === 'hello' && m.stateVector instanceof Uint8Array)
  );
};

export const defaultChannel = (name: string): ChannelLike | null =>
  typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);

export class TabRelay {
  private closed = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly channel: ChannelLike,
  ) {
    channel.onmessage = (e) => this.onMessage(e.data);
    doc.on('update', this.onUpdate);
  }

  /** Ask the other tabs for anything this tab lacks (after loading the local copy). */
  hello(): void {
    this.post({ kind: 'hello', stateVector: Y.encodeStateVector(this.doc) });
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== this) this.post({ kind: 'update', update });
  };

  private onMessage(data: unknown): void {
    if (this.closed || !isRelayMessage(data)) return;
    try {
      if (data.kind === 'update') {
        Y.applyUpdate(this.doc, data.update, this);
      } else {
        const missing = Y.encodeStateAsUpdate(this.doc, data.stateVector);
        // An empty update is two zero bytes; skip it.
        if (missing.length > 2) this.post({ kind: 'update', update: missing });
      }
    } catch {
      // A malformed message from a tab of another version: ignore it.
    }
  }

  private post(message: RelayMessage): void {
    if (this.closed) return;
    try {
      this.channel.postMessage(message);
    } catch {
      // Closed channel or a value it cannot clone: the tabs resync through the server.
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.doc.off('update', this.onUpdate);
    this.channel.onmessage = null;
    this.channel.close();
  }
}
