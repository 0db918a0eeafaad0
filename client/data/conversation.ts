/**
 * One conversation as the UI sees it: its live Y.Doc, read through the schema guards into a
 * message list with delivery states, plus the actions a person takes in it (send, mark
 * read, typing). The disk and network lifecycle lives in `ConversationSync`.
 *
 * A conversation's history is a chain of documents (epochs, docs/architecture.md): the
 * live one, synced, and sealed older ones, loaded on demand (`loadOlder`) from this
 * device's IndexedDB and the server, read-only. When the server seals the live document
 * (type 102) the conversation moves to the next one, taking its unsent messages along.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { docNameOf, parseDocName } from '../../shared/protocol';
import {
  Roots,
  SCHEMA_VERSION,
  readChatMessage,
  type ChatMessage,
  type ReadMarker,
} from '../../shared/schema';
import {
  ConversationSync,
  defaultPersistence,
  quietLoad,
  type ConversationSyncOptions,
  type LocalPersistence,
  type SyncStatus,
} from './conversation-sync';
import {
  EMPTY_SV,
  covers,
  coveredByMyMarker,
  locateMessages,
  messageViews,
  readMarkerTarget,
  type LocatedMessage,
  type MessageView,
} from './message-state';
import { DEFAULT_EDIT_WINDOW_MS, withReplyQuotes } from './message-extras';
import {
  deleteMessage,
  documentSchema,
  editMessage,
  sendMessage,
  toggleReaction,
  type SendOptions,
} from './message-actions';
import { SnapshotStore } from './store';
import { withTombstones, type Tombstone } from './timeline';

export interface ConversationState {
  status: SyncStatus;
  /** False until the local copy is loaded: "no messages yet" means nothing before that. */
  ready: boolean;
  /** Oldest first: the loaded sealed documents' messages, then the live document's. */
  messages: readonly MessageView[];
  /** True while the other person is typing in this conversation. */
  peerTyping: boolean;
  /** The server refused one of our updates (a bug); the text says why. */
  refused: string | null;
  /**
   * Older history (sealed documents) not loaded yet: 'more' when there is some, 'loading'
   * while it loads, 'unavailable' when it is neither on this device nor reachable now,
   * 'none' at the beginning of the conversation.
   */
  older: 'none' | 'more' | 'loading' | 'unavailable';
  /** The live document declares a newer schema than this version knows: some content may be missing. */
  newerSchema: boolean;
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
  /**
   * Fetch sealed document `epoch` of conversation `id` as a Yjs update (what state vector
   * `sv` lacks): `Api.sealedDocument`. Rejects when the server cannot be reached. Without
   * it, sealed history comes from this device only.
   */
  fetchEpoch?: (id: string, epoch: number, sv: Uint8Array) => Promise<Uint8Array>;
  /** How long after sending you may edit a message (the server's EDIT_WINDOW_HOURS); 24 h. */
  editWindowMs?: number;
}

/**
 * How long "typing" lasts after the last keystroke before it clears itself: short enough
 * that the other side sees it go within 3 s of the last keystroke, network included.
 */
export const TYPING_TIMEOUT_MS = 2000;

/** Name of the IndexedDB database holding one user's copy of one document. */
export const localDocName = (userId: string, docName: string): string =>
  `parley:${userId}:${docName}`;

/** The live document with its awareness and sync. */
interface Live {
  docName: string;
  epoch: number;
  doc: Y.Doc;
  awareness: Awareness;
  sync: ConversationSync;
  unsubscribe: () => void;
}

/** A sealed document loaded for reading. */
interface Sealed {
  epoch: number;
  doc: Y.Doc;
  persistence: LocalPersistence | null;
  /** Its message views, built once and dropped when the document changes. */
  views: MessageView[] | null;
}

const ORIGIN_EPOCH_MOVE = Symbol('epoch-move');
const ORIGIN_SERVER = Symbol('sealed-from-server');

export class Conversation extends SnapshotStore<ConversationState> {
  readonly id: string;
  private readonly me: string;
  private live: Live;
  /** Loaded sealed documents, by epoch: always the epochs just below the live one. */
  private readonly sealed = new Map<number, Sealed>();
  private moving: Promise<void> | null = null;
  private loadingOlder: Promise<void> | null = null;
  private olderUnavailable = false;
  private recomputeQueued = false;
  /** The document changed since the message views were last built. */
  private docChanged = true;
  /** The delivery facts the message views were last built from. */
  private viewsFacts: unknown = null;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  private wasReady = false;
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
      older: 'none',
      newerSchema: false,
    });
    this.id = opts.id;
    this.me = opts.me;
    this.live = this.createLive(opts.docName);
  }

  /** The live document. */
  get doc(): Y.Doc {
    return this.live.doc;
  }

  get awareness(): Awareness {
    return this.live.awareness;
  }

  /** The live document's name. */
  get docName(): string {
    return this.live.docName;
  }

  private createLive(docName: string): Live {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const sync = new ConversationSync({
      ...this.opts.sync,
      doc,
      awareness,
      docName,
      localName: localDocName(this.opts.me, docName),
    });
    let lastAck = sync.snapshot.facts.ack;
    const live: Live = {
      docName,
      epoch: parseDocName(docName)?.epoch ?? 0,
      doc,
      awareness,
      sync,
      unsubscribe: () => undefined,
    };
    const unsubscribeSync = sync.subscribe(() => {
      if (this.live !== live) return;
      const { facts, sealedTo } = sync.snapshot;
      if (facts.ack !== lastAck) {
        lastAck = facts.ack;
        this.opts.onActivity?.('sent');
      }
      if (sealedTo) void this.moveTo(sealedTo);
      this.queueRecompute();
    });
    // `afterTransaction`, not `update`: an `update` listener makes Yjs encode every
    // transaction (the whole history once, when it loads), and only the origin is needed.
    const onDocUpdate = (tr: Y.Transaction): void => {
      if (this.live !== live || !changedSomething(tr)) return;
      if (tr.origin === sync.provider && tr.origin !== null) this.opts.onActivity?.('received');
      this.docChanged = true;
      this.queueRecompute();
    };
    const onAwarenessChange = (): void => this.queueRecompute();
    doc.on('afterTransaction', onDocUpdate);
    doc.getArray(Roots.messages).observe(this.onMessagesChange);
    awareness.on('change', onAwarenessChange);
    live.unsubscribe = () => {
      unsubscribeSync();
      doc.off('afterTransaction', onDocUpdate);
      doc.getArray(Roots.messages).unobserve(this.onMessagesChange);
      awareness.off('change', onAwarenessChange);
    };
    return live;
  }

  /** Load the local copy (resolves then), and connect. */
  async open(): Promise<void> {
    const live = this.live;
    await live.sync.start();
    if (this.destroyed || this.live !== live) return;
    this.recompute();
  }

  /**
   * The server sealed the live document: make `docName` (a later epoch) the live one. Your
   * messages the server had not stored leave the sealed copy on this device and are sent
   * in the new document with their ids and times; everything stored stays readable.
   */
  moveTo(docName: string): Promise<void> {
    const next = parseDocName(docName);
    if (!next || next.conversationId !== this.id || next.epoch <= this.live.epoch)
      return this.moving ?? Promise.resolve();
    this.moving = (this.moving ?? Promise.resolve())
      .then(() => this.doMove(docName, next.epoch))
      .finally(() => {
        this.moving = null;
      });
    return this.moving;
  }

  private async doMove(docName: string, epoch: number): Promise<void> {
    const old = this.live;
    if (this.destroyed || epoch <= old.epoch) return;
    old.sync.provider?.disconnect();
    const ack = old.sync.snapshot.facts.ack;
    const unsent = locateMessages(old.doc).filter(
      (m) => m.message.from === this.me && !covers(ack, m.client, m.clock),
    );
    removeLocally(old.doc, unsent);
    old.unsubscribe();
    await old.sync.destroy();
    old.awareness.destroy();
    // Keep the sealed copy in memory only when it is the epoch right below the new one.
    if (old.epoch === epoch - 1 && this.sealed.size === old.epoch - this.oldestLoaded()) {
      const kept: Sealed = { epoch: old.epoch, doc: old.doc, persistence: null, views: null };
      this.sealed.set(old.epoch, kept);
      this.watchSealed(old.doc, old.epoch);
      // It may have been sealed before this device caught up: fetch what it lacks.
      void this.fill(kept.doc, kept.epoch).then(({ persistence }) => {
        if (this.sealed.get(kept.epoch) === kept && !this.destroyed) kept.persistence = persistence;
        else void persistence?.destroy().catch(() => undefined);
      });
    } else {
      old.doc.destroy();
      for (const s of this.sealed.values()) await this.dropSealed(s);
      this.sealed.clear();
    }
    if (this.destroyed) return;
    const live = this.createLive(docName);
    this.live = live;
    this.seen = null;
    this.docChanged = true;
    await live.sync.start();
    if (this.destroyed || this.live !== live) return;
    const present = new Set(locateMessages(live.doc).map((m) => m.message.id));
    // `ReadMessage` adds `unsupported`: write back only the message's own fields.
    const carry = unsent
      .filter((m) => !present.has(m.message.id))
      .map(({ message: { unsupported: _, ...m } }): ChatMessage => m);
    if (carry.length > 0) live.doc.getArray<ChatMessage>(Roots.messages).push(carry);
    this.recompute();
  }

  /** The lowest epoch loaded (the live one when no sealed document is). */
  private oldestLoaded(): number {
    let oldest = this.live.epoch;
    while (this.sealed.has(oldest - 1)) oldest--;
    return oldest;
  }

  private watchSealed(doc: Y.Doc, epoch: number): void {
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (!changedSomething(tr)) return;
      const s = this.sealed.get(epoch);
      if (s) s.views = null;
      this.docChanged = true;
      this.queueRecompute();
    });
  }

  private async dropSealed(s: Sealed): Promise<void> {
    await s.persistence?.destroy().catch(() => undefined);
    s.doc.destroy();
  }

  /**
   * Load the next older sealed document: this device's copy first, then what the server
   * has beyond it. Resolves when done; the state's `older` tells whether more is left.
   */
  loadOlder(): Promise<void> {
    this.loadingOlder ??= this.doLoadOlder().finally(() => {
      this.loadingOlder = null;
      this.queueRecompute();
    });
    this.queueRecompute();
    return this.loadingOlder;
  }

  private async doLoadOlder(): Promise<void> {
    const epoch = this.oldestLoaded() - 1;
    if (epoch < 0 || this.destroyed) return;
    const liveEpoch = this.live.epoch;
    const doc = new Y.Doc();
    const { persistence, reached } = await this.fill(doc, epoch);
    const empty = doc.getArray(Roots.messages).length === 0;
    if (this.destroyed || this.live.epoch !== liveEpoch || this.sealed.has(epoch) || (empty && !reached)) {
      await persistence?.destroy().catch(() => undefined);
      doc.destroy();
      this.olderUnavailable = empty && !reached;
      return;
    }
    this.olderUnavailable = false;
    this.sealed.set(epoch, { epoch, doc, persistence, views: null });
    this.watchSealed(doc, epoch);
    this.docChanged = true;
  }

  /**
   * Bring a sealed document up to date: this device's copy (kept in IndexedDB from now on),
   * then what the server has beyond it. `reached` is false when the server could not be asked.
   */
  private async fill(
    doc: Y.Doc,
    epoch: number,
  ): Promise<{ persistence: LocalPersistence | null; reached: boolean }> {
    const name = localDocName(this.me, docNameOf(this.id, epoch));
    const create = this.opts.sync?.createPersistence ?? defaultPersistence;
    let persistence: LocalPersistence | null = null;
    try {
      persistence = create(name, doc);
      const resume = quietLoad(doc, persistence, null);
      try {
        await persistence.whenSynced;
      } finally {
        resume();
      }
    } catch {
      persistence = null; // no IndexedDB: the server's copy only
    }
    try {
      const fetchEpoch = this.opts.fetchEpoch;
      if (!fetchEpoch) return { persistence, reached: false };
      const update = await fetchEpoch(this.id, epoch, Y.encodeStateVector(doc));
      if (!doc.isDestroyed) Y.applyUpdate(doc, update, ORIGIN_SERVER);
      return { persistence, reached: true };
    } catch {
      // Offline or the server is away: what this device has is what there is for now.
      return { persistence, reached: false };
    }
  }

  /**
   * Append a message written by the signed-in user, optionally replying to another message
   * and carrying uploaded attachments. Blank text without attachments is ignored (returns
   * null); text is trimmed and cut at the length limit. Works offline: the message stays
   * pending on this device and goes out with the next sync.
   */
  send(text: string, opts: SendOptions = {}): string | null {
    if (this.destroyed) return null;
    const id = sendMessage(this.doc, this.me, text, opts);
    if (id !== null) this.setTyping(false);
    return id;
  }

  /**
   * Replace the text of your message `id` (the latest edit wins everywhere). False when it
   * is not allowed: not yours, not in the live document (sealed history is read-only), the
   * edit window is over, or the text is blank. Offline, the edit waits and is sent once.
   */
  edit(id: string, text: string): boolean {
    if (this.destroyed) return false;
    const window = this.opts.editWindowMs ?? DEFAULT_EDIT_WINDOW_MS;
    return editMessage(this.doc, this.me, id, text, Date.now(), window);
  }

  /** Add your `emoji` reaction to message `id` of the live document, or take it back. */
  toggleReaction(id: string, emoji: string): void {
    if (this.destroyed) return;
    toggleReaction(this.doc, this.me, id, emoji);
  }

  /**
   * Load older history until message `id` is in the state (jump to a quoted message, open
   * a search result). False when no loaded or loadable document holds it.
   */
  async locate(id: string): Promise<boolean> {
    for (;;) {
      if (this.destroyed) return false;
      if (this.holdsMessage(id)) {
        this.recompute();
        return true;
      }
      const before = this.oldestLoaded();
      if (before === 0) return false;
      await this.loadOlder();
      if (this.oldestLoaded() === before) return false; // unavailable (offline) or gone
    }
  }

  private holdsMessage(id: string): boolean {
    const docs = [this.live.doc, ...[...this.sealed.values()].map((s) => s.doc)];
    return docs.some((d) => locateMessages(d).some((m) => m.message.id === id));
  }

  /**
   * Delete one of your own messages for everyone: its item leaves the `messages` array
   * with its edit and your reactions, so the text is gone from every copy once the document
   * is compacted (the server removes the other person's reactions). Returns false when
   * there is no such message of yours in the live document.
   */
  deleteMessage(id: string): boolean {
    if (this.destroyed) return false;
    return deleteMessage(this.doc, this.me, id);
  }

  /** Move your read marker to the newest message when the other person wrote since it. */
  markRead(): void {
    if (this.destroyed || !this.snapshot.ready || this.moving) return;
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
    this.live.sync.reconnectNow();
  }

  /**
   * Remember what is deleted while we watch, to leave a "Message deleted" placeholder in
   * its place. Items added and deleted in one transaction (a reload) are not reported.
   */
  private readonly onMessagesChange = (event: Y.YArrayEvent<unknown>): void => {
    // Nothing deleted (loading, appends): skip `changes`, which walks every added item.
    if (event.transaction.deleteSet.clients.size === 0) return;
    if (event.transaction.origin === ORIGIN_EPOCH_MOVE) return;
    const shown = this.snapshot.messages;
    for (const item of event.changes.deleted) {
      if (!(item.content instanceof Y.ContentAny)) continue;
      for (const raw of item.content.arr as unknown[]) {
        const value = readChatMessage(raw);
        if (!value) continue;
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

  /** The views of the loaded sealed documents, oldest first. */
  private sealedViews(): MessageView[] {
    const epochs = [...this.sealed.keys()].sort((a, b) => a - b);
    // The other person read everything in a document once they marked something later.
    let peerReadLater = hasPeerMarker(this.live.doc, this.me);
    const out: MessageView[][] = [];
    for (let i = epochs.length - 1; i >= 0; i--) {
      const s = this.sealed.get(epochs[i] ?? -1);
      if (!s) continue;
      s.views ??= viewsOfSealed(s.doc, this.me, peerReadLater);
      out.unshift(s.views);
      peerReadLater ||= hasPeerMarker(s.doc, this.me);
    }
    return out.flat();
  }

  private recompute(): void {
    if (this.destroyed) return;
    const sync = this.live.sync.snapshot;
    // Once shown, a conversation stays ready while it moves to its next document.
    const ready = sync.status !== 'loading-local' || this.wasReady;
    const liveReady = sync.status !== 'loading-local';
    const prev = this.snapshot;
    // The views depend on the documents and the delivery facts only: a status or typing
    // change reuses them instead of walking every message again.
    const rebuild =
      liveReady && (this.docChanged || this.viewsFacts !== sync.facts || !prev.ready);
    const messages = !ready
      ? []
      : rebuild
        ? withReplyQuotes(
            withTombstones(
              [
                ...this.sealedViews(),
                ...messageViews(this.doc, this.me, sync.facts, {
                  editWindowMs: this.opts.editWindowMs,
                }),
              ],
              this.tombstones,
            ),
          )
        : prev.messages;
    if (rebuild) {
      this.docChanged = false;
      this.viewsFacts = sync.facts;
    }
    if (liveReady) this.wasReady = true;
    const older: ConversationState['older'] =
      this.oldestLoaded() === 0
        ? 'none'
        : this.loadingOlder
          ? 'loading'
          : this.olderUnavailable
            ? 'unavailable'
            : 'more';
    const next: ConversationState = {
      status: this.moving && sync.status === 'loading-local' ? prev.status : sync.status,
      ready,
      // Keep the previous array when nothing changed, so views can skip work by identity.
      messages: sameViews(prev.messages, messages) ? prev.messages : messages,
      peerTyping: this.peerTyping(),
      refused: sync.refused,
      older,
      newerSchema: documentSchema(this.doc) > SCHEMA_VERSION,
    };
    const unchanged =
      next.messages === prev.messages &&
      next.status === prev.status &&
      next.ready === prev.ready &&
      next.peerTyping === prev.peerTyping &&
      next.refused === prev.refused &&
      next.older === prev.older &&
      next.newerSchema === prev.newerSchema;
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
    await this.moving?.catch(() => undefined);
    const live = this.live;
    live.unsubscribe();
    await live.sync.destroy();
    live.awareness.destroy();
    live.doc.destroy();
    for (const s of this.sealed.values()) await this.dropSealed(s);
    this.sealed.clear();
  }
}

/** Remove `messages` (unsent, never on the server) from this device's copy of a sealed document. */
function removeLocally(doc: Y.Doc, messages: readonly LocatedMessage[]): void {
  if (messages.length === 0) return;
  const ids = new Set(messages.map((m) => m.message.id));
  const array = doc.getArray<unknown>(Roots.messages);
  doc.transact(() => {
    const values = array.toArray();
    for (let i = values.length - 1; i >= 0; i--) {
      const v = values[i];
      const m = readChatMessage(v);
      if (m && ids.has(m.id)) array.delete(i, 1);
    }
  }, ORIGIN_EPOCH_MOVE);
}

/** True when a transaction changed the document (not every transaction does). */
function changedSomething(tr: Y.Transaction): boolean {
  return tr.changed.size > 0 || tr.deleteSet.clients.size > 0;
}

/** True when someone other than `me` has a read marker in `doc`. */
function hasPeerMarker(doc: Y.Doc, me: string): boolean {
  for (const key of doc.getMap(Roots.reads).keys()) if (key !== me) return true;
  return false;
}

/**
 * Message views of a sealed document: everything in it is stored on the server, so your
 * messages are at least "sent"; "read" when the other person's marker covers them or they
 * marked anything in a later document.
 */
function viewsOfSealed(doc: Y.Doc, me: string, peerReadLater: boolean): MessageView[] {
  const all = Y.decodeStateVector(Y.encodeStateVector(doc));
  return messageViews(doc, me, { ack: all, received: EMPTY_SV }, { sealed: true }).map((v) => ({
    ...v,
    sealed: true,
    state: v.mine && peerReadLater ? 'read' : v.state,
  }));
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
      x.deleted !== y.deleted ||
      x.sealed !== y.sealed ||
      x.canEdit !== y.canEdit ||
      x.unsupported !== y.unsupported ||
      x.attachments.length !== y.attachments.length ||
      x.replyTo?.excerpt !== y.replyTo?.excerpt ||
      x.replyTo?.from !== y.replyTo?.from ||
      !sameReactions(x, y)
    )
      return false;
  }
  return true;
}

function sameReactions(x: MessageView, y: MessageView): boolean {
  if (x.reactions.length !== y.reactions.length) return false;
  return x.reactions.every((r, i) => {
    const o = y.reactions[i];
    return (
      !!o && o.emoji === r.emoji && o.mine === r.mine && o.users.join('\n') === r.users.join('\n')
    );
  });
}
