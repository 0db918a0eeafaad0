/**
 * One conversation as the UI sees it: its Y.Doc, read through the schema guards into a
 * message list with delivery states, plus the actions a person takes in it (send, mark
 * read, typing). The disk and network lifecycle lives in `ConversationSync`.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { Limits } from '../../shared/protocol';
import {
  Roots,
  isChatMessage,
  newMessageId,
  type ChatMessage,
  type ReadMarker,
} from '../../shared/schema';
import {
  ConversationSync,
  type ConversationSyncOptions,
  type SyncStatus,
} from './conversation-sync';
import {
  coveredByMyMarker,
  locateMessages,
  messageViews,
  readMarkerTarget,
  type MessageView,
} from './message-state';
import { SnapshotStore } from './store';
import { withTombstones, type Tombstone } from './timeline';

export interface ConversationState {
  status: SyncStatus;
  /** False until the local copy is loaded: "no messages yet" means nothing before that. */
  ready: boolean;
  messages: readonly MessageView[];
  /** True while the other person is typing in this conversation. */
  peerTyping: boolean;
  /** The server refused one of our updates (a bug); the text says why. */
  refused: string | null;
}

/** Why the conversation changed in a way the conversation list cares about. */
export type ActivityKind = 'sent' | 'received' | 'read';

export interface ConversationOptions {
  id: string;
  /** The live document's name (the API's `doc`). */
  docName: string;
  /** The signed-in user's id. */
  me: string;
  /** Overrides for the sync layer (factories, URL); see `ConversationSyncOptions`. */
  sync?: Partial<Omit<ConversationSyncOptions, 'doc' | 'awareness' | 'docName' | 'localName'>>;
  /** Told when messages are stored by the server or arrive from the other person. */
  onActivity?: (kind: ActivityKind) => void;
}

/**
 * How long "typing" lasts after the last keystroke before it clears itself: short enough
 * that the other side sees it go within 3 s of the last keystroke, network included.
 */
export const TYPING_TIMEOUT_MS = 2000;

/** Name of the IndexedDB database holding one user's copy of one document. */
export const localDocName = (userId: string, docName: string): string =>
  `parley:${userId}:${docName}`;

export class Conversation extends SnapshotStore<ConversationState> {
  readonly id: string;
  readonly docName: string;
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  private readonly me: string;
  private readonly sync: ConversationSync;
  private readonly unsubscribeSync: () => void;
  private recomputeQueued = false;
  /** The document changed since the message views were last built. */
  private docChanged = true;
  /** The delivery facts the message views were last built from. */
  private viewsFacts: unknown = null;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  /** Ids of the messages your read marker covers (see `readMarkerTarget`); built lazily. */
  private seen: Set<string> | null = null;
  /** Messages deleted for everyone while this session watched, shown as placeholders. */
  private readonly tombstones: Tombstone[] = [];

  constructor(private readonly opts: ConversationOptions) {
    super({
      status: 'loading-local',
      ready: false,
      messages: [],
      peerTyping: false,
      refused: null,
    });
    this.id = opts.id;
    this.docName = opts.docName;
    this.me = opts.me;
    this.awareness = new Awareness(this.doc);
    this.sync = new ConversationSync({
      ...opts.sync,
      doc: this.doc,
      awareness: this.awareness,
      docName: opts.docName,
      localName: localDocName(opts.me, opts.docName),
    });
    let lastAck = this.sync.snapshot.facts.ack;
    this.unsubscribeSync = this.sync.subscribe(() => {
      const facts = this.sync.snapshot.facts;
      if (facts.ack !== lastAck) {
        lastAck = facts.ack;
        this.opts.onActivity?.('sent');
      }
      this.queueRecompute();
    });
    this.doc.on('update', this.onDocUpdate);
    this.doc.getArray(Roots.messages).observe(this.onMessagesChange);
    this.awareness.on('change', this.onAwarenessChange);
  }

  /** Load the local copy (resolves then), and connect. */
  async open(): Promise<void> {
    await this.sync.start();
    if (this.destroyed) return;
    this.recompute();
  }

  /**
   * Append a message written by the signed-in user. Blank text is ignored (returns null);
   * text is trimmed and cut at the length limit. Works offline: the message stays
   * pending on this device and goes out with the next sync.
   */
  send(text: string, replyTo?: string): string | null {
    const trimmed = text.trim();
    if (trimmed.length === 0 || this.destroyed) return null;
    const message: ChatMessage = {
      id: newMessageId(),
      from: this.me,
      text: trimmed.slice(0, Limits.maxMessageChars),
      at: Date.now(),
    };
    if (replyTo !== undefined) message.replyTo = replyTo;
    this.doc.getArray<ChatMessage>(Roots.messages).push([message]);
    this.setTyping(false);
    return message.id;
  }

  /**
   * Delete one of your own messages for everyone: its item leaves the `messages` array,
   * so the text is gone from every copy once the document is compacted. Returns false
   * when there is no such message of yours.
   */
  deleteMessage(id: string): boolean {
    if (this.destroyed) return false;
    const messages = this.doc.getArray<unknown>(Roots.messages);
    const index = messages.toArray().findIndex((m) => isChatMessage(m) && m.id === id);
    const value = messages.get(index);
    if (index < 0 || !isChatMessage(value) || value.from !== this.me) return false;
    messages.delete(index, 1);
    return true;
  }

  /** Move your read marker to the newest message when the other person wrote since it. */
  markRead(): void {
    if (this.destroyed || !this.snapshot.ready) return;
    this.seen ??= coveredByMyMarker(this.doc, this.me);
    const target = readMarkerTarget(this.doc, this.me, this.seen);
    if (!target) return;
    for (const m of locateMessages(this.doc)) this.seen.add(m.message.id);
    const marker: ReadMarker = { upTo: target, at: Date.now() };
    this.doc.getMap<ReadMarker>(Roots.reads).set(this.me, marker);
    this.opts.onActivity?.('read');
  }

  /** Tell the other person you are typing; clears itself a few seconds after the last call. */
  setTyping(typing: boolean): void {
    if (this.destroyed) return;
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = typing
      ? setTimeout(() => {
          this.typingTimer = null;
          this.setTyping(false);
        }, TYPING_TIMEOUT_MS)
      : null;
    const state = this.awareness.getLocalState() as { typing?: boolean } | null;
    if ((state?.typing ?? false) !== typing) this.awareness.setLocalStateField('typing', typing);
  }

  /** Tell the other person whether you have this conversation on screen. */
  setViewing(viewing: boolean): void {
    if (this.destroyed) return;
    const state = this.awareness.getLocalState() as { viewing?: boolean } | null;
    if ((state?.viewing ?? false) !== viewing)
      this.awareness.setLocalStateField('viewing', viewing);
  }

  /** Try the connection again now (after the user asks, or the network returns). */
  reconnect(): void {
    this.sync.reconnectNow();
  }

  private readonly onDocUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.sync.provider && origin !== null) this.opts.onActivity?.('received');
    this.docChanged = true;
    this.queueRecompute();
  };

  private readonly onAwarenessChange = (): void => this.queueRecompute();

  /**
   * Remember what is deleted while we watch, to leave a "Message deleted" placeholder in
   * its place. Items added and deleted in one transaction (a reload) are not reported.
   */
  private readonly onMessagesChange = (event: Y.YArrayEvent<unknown>): void => {
    // Nothing deleted (loading, appends): skip `changes`, which walks every added item.
    if (event.transaction.deleteSet.clients.size === 0) return;
    const shown = this.snapshot.messages;
    for (const item of event.changes.deleted) {
      if (!(item.content instanceof Y.ContentAny)) continue;
      for (const value of item.content.arr as unknown[]) {
        if (!isChatMessage(value)) continue;
        const index = shown.findIndex((m) => m.id === value.id && !m.deleted);
        const view = shown[index];
        if (!view || this.tombstones.some((t) => t.view.id === view.id)) continue;
        this.tombstones.push({ view, after: shown[index - 1]?.id ?? null });
      }
    }
  };

  /** Coalesce bursts (a sync step applies many updates) into one snapshot. */
  private queueRecompute(): void {
    if (this.recomputeQueued) return;
    this.recomputeQueued = true;
    queueMicrotask(() => {
      this.recomputeQueued = false;
      this.recompute();
    });
  }

  private recompute(): void {
    if (this.destroyed) return;
    const sync = this.sync.snapshot;
    const ready = sync.status !== 'loading-local';
    const prev = this.snapshot;
    // The views depend on the document and the delivery facts only: a status or typing
    // change reuses them instead of walking every message again.
    const rebuild = ready && (this.docChanged || this.viewsFacts !== sync.facts || !prev.ready);
    const messages = !ready
      ? []
      : rebuild
        ? withTombstones(messageViews(this.doc, this.me, sync.facts), this.tombstones)
        : prev.messages;
    if (rebuild) {
      this.docChanged = false;
      this.viewsFacts = sync.facts;
    }
    const next: ConversationState = {
      status: sync.status,
      ready,
      // Keep the previous array when nothing changed, so views can skip work by identity.
      messages: sameViews(prev.messages, messages) ? prev.messages : messages,
      peerTyping: this.peerTyping(),
      refused: sync.refused,
    };
    const unchanged =
      next.messages === prev.messages &&
      next.status === prev.status &&
      next.ready === prev.ready &&
      next.peerTyping === prev.peerTyping &&
      next.refused === prev.refused;
    if (!unchanged) this.set(next);
  }

  private peerTyping(): boolean {
    for (const [client, state] of this.awareness.getStates()) {
      if (client === this.doc.clientID) continue;
      const s = state as { user?: { id?: unknown }; typing?: unknown };
      if (s.user?.id !== undefined && s.user.id !== this.me && s.typing === true) return true;
    }
    return false;
  }

  /** Disconnect, flush and release everything; the instance is unusable afterwards. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.unsubscribeSync();
    this.doc.off('update', this.onDocUpdate);
    this.doc.getArray(Roots.messages).unobserve(this.onMessagesChange);
    this.awareness.off('change', this.onAwarenessChange);
    await this.sync.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

function sameViews(a: readonly MessageView[], b: readonly MessageView[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      !x ||
      !y ||
      x.id !== y.id ||
      x.text !== y.text ||
      x.state !== y.state ||
      x.edited !== y.edited ||
      x.deleted !== y.deleted
    )
      return false;
  }
  return true;
}
