/**
 * What the browser client sends back when something arrives on a conversation it has open
 * and visible, so that the generator's load is the product's:
 * - a "received" frame (type 101) with the document's state vector, once on sync and then
 *   300 ms after the first remote update of a burst that changed the messages
 *   (`ConversationSync.onDocUpdate`, `RECEIVED_DEBOUNCE_MS`; later updates within the
 *   300 ms ride along; a read marker alone sends none), unless the read marker names the
 *   newest message by then (`readCoversAll`: read implies delivered);
 * - its read marker in the document's `reads` map when the other person wrote something
 *   (`ConversationView.maybeMarkRead`: on the render after the update, one animation frame
 *   and a task later, coalesced; `Conversation.markRead` moves it to the newest message).
 */
import * as Y from 'yjs';
import { MessageType } from '../../shared/protocol';
import { Roots, type ChatMessage, type ReadMarker } from '../../shared/schema';
import { frame } from '../../shared/frames';

/** The client's `RECEIVED_DEBOUNCE_MS` (client/data/conversation-sync.ts). */
export const RECEIVED_DEBOUNCE_MS = 300;
/** One animation frame at 60 Hz: when the view's next render checks "seen". */
export const READ_FRAME_MS = 16;

export class ReceiptSender {
  private receivedTimer: ReturnType<typeof setTimeout> | null = null;
  private readTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly me: string,
    private readonly send: (data: Uint8Array) => void,
  ) {}

  /** The first sync completed: the client says at once what it holds. */
  synced(): void {
    this.sendReceived();
  }

  /**
   * A remote update was integrated; `messagesChanged`: it added or removed messages,
   * `peerWrote`: it held a message of the other person.
   */
  remoteUpdate(messagesChanged: boolean, peerWrote: boolean): void {
    if (this.stopped) return;
    if (messagesChanged)
      this.receivedTimer ??= setTimeout(() => {
        this.receivedTimer = null;
        if (!this.readCoversAll()) this.sendReceived();
      }, RECEIVED_DEBOUNCE_MS);
    if (peerWrote)
      this.readTimer ??= setTimeout(() => {
        this.readTimer = null;
        this.markRead();
      }, READ_FRAME_MS);
  }

  private sendReceived(): void {
    if (!this.stopped) this.send(frame(MessageType.received, Y.encodeStateVector(this.doc)));
  }

  /** `readCoversAll`: the marker names the newest message, so read implies delivered. */
  private readCoversAll(): boolean {
    const arr = this.doc.getArray<ChatMessage>(Roots.messages);
    const last = arr.length > 0 ? arr.get(arr.length - 1) : undefined;
    return (
      last !== undefined && this.doc.getMap<ReadMarker>(Roots.reads).get(this.me)?.upTo === last.id
    );
  }

  /** `Conversation.markRead`: the marker moves to the newest message of the array. */
  private markRead(): void {
    if (this.stopped) return;
    const arr = this.doc.getArray<ChatMessage>(Roots.messages);
    const last = arr.length > 0 ? arr.get(arr.length - 1) : undefined;
    if (!last) return;
    const marker: ReadMarker = { upTo: last.id, at: Date.now() };
    this.doc.getMap<ReadMarker>(Roots.reads).set(this.me, marker);
  }

  stop(): void {
    this.stopped = true;
    for (const t of [this.receivedTimer, this.readTimer]) if (t) clearTimeout(t);
    this.receivedTimer = this.readTimer = null;
  }
}
