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
import { parseDocName } from '../../shared/protocol';
import {
  Roots,
  SCHEMA_VERSION,
  readChatMessage,
  type ChatMessage,
  type ReadMarker,
} from '../../shared/schema';
import {
  ConversationSync,
  type ConversationSyncOptions,
  type SyncStatus,
} from './conversation-sync';
import {
  covers,
  coveredByMyMarker,
  locateMessages,
  messageViews,
  readMarkerTarget,
  type LocatedMessage,
  type MessageView,
} from './message-state';
import type { SealedHistory } from './sealed-history';
import { sameViews } from './view-equality';
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
import { serverNow } from './server-clock';
import type { ViewCache } from './view-cache';

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
  /**
   * Tell the server you read up to message `upTo` without a marker in the shared document
   * (read receipts off, a message request): `POST /api/conversations/:id/read`.
   */
  readPrivately?: (id: string, upTo: string) => Promise<void>;
  /** The newest messages as last shown, painted while the document loads (`ViewCache`). */
  viewCache?: ViewCache;
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

const ORIGIN_EPOCH_MOVE = Symbol('epoch-move');

export class Conversation extends SnapshotStore<ConversationState> {
  readonly id: string;
  private readonly me: string;
  private live: Live;
  /**
   * Loaded sealed documents: always the epochs just below the live one. Its module loads
   * when first needed (scrolling past the live document, or an epoch sealed while open),
   * outside the first load's script; null until then.
   */
  private history: SealedHistory | null = null;
  private historyLoading: Promise<SealedHistory> | null = null;
  /** The sealed-history module could not be loaded (offline before it was cached). */
  private historyUnreachable = false;
  private moving: Promise<void> | null = null;
  private loadingOlder: Promise<void> | null = null;
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
  /** Read receipts are off in this conversation (`setReadsShared`). */
  private hideReads = false;
  /** Messages deleted for everyone while this session watched, shown as placeholders. */
  private readonly tombstones: Tombstone[] = [];
  /** "Delete chat for me": messages written at or before this are not shown (null: none). */
  private clearedAt: number | null = null;

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
    this.showCached(opts.viewCache?.read(this.id) ?? []);
  }

  /** The sealed documents' keeper, loading its module the first time (again after a failure). */
  private sealedHistory(): Promise<SealedHistory> {
    const opts = this.opts;
    this.historyLoading ??= import('./sealed-history').then(
      ({ SealedHistory }) => {
        const history = new SealedHistory({
          id: opts.id,
          me: opts.me,
          localName: (docName) => localDocName(opts.me, docName),
          createPersistence: opts.sync?.createPersistence,
          fetchEpoch: opts.fetchEpoch,
          onChange: () => {
            this.docChanged = true;
            this.queueRecompute();
          },
        });
        if (this.destroyed) void history.destroy(); // it then loads nothing
        this.history = history;
        return history;
      },
      (e: unknown) => {
        this.historyLoading = null;
        throw e;
      },
    );
    return this.historyLoading;
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
      me: this.opts.me,
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
   * Paint the newest messages as last shown while the document still loads: a read-only
   * preview (not ready, nothing to edit), replaced by the document's views once built.
   */
  private showCached(views: readonly MessageView[]): void {
    const now = this.snapshot;
    if (this.destroyed || this.wasReady || now.ready || now.messages.length > 0) return;
    if (views.length === 0) return;
    this.set({ ...now, messages: views.map((v) => (v.canEdit ? { ...v, canEdit: false } : v)) });
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
    const keep =
      old.epoch === epoch - 1 && (this.history?.size ?? 0) === old.epoch - this.oldestLoaded();
    const history = keep ? await this.sealedHistory().catch(() => null) : null;
    if (history) {
      history.keep(old.doc, old.epoch);
    } else {
      old.doc.destroy();
      await this.history?.clear();
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
    return this.history?.oldest(this.live.epoch) ?? this.live.epoch;
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
    const liveEpoch = this.live.epoch;
    const history = await this.sealedHistory().catch(() => null);
    this.historyUnreachable = history === null;
    await history?.load(this.oldestLoaded() - 1, () => this.live.epoch === liveEpoch);
    this.docChanged = true;
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
    return editMessage(this.doc, this.me, id, text, serverNow(), window);
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
    const docs = [this.live.doc, ...(this.history?.docs() ?? [])];
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

  /**
   * Move your read marker to the newest message when the other person wrote since it: in
   * the shared document (a read receipt), or with `shared` false (`sharesReads`) on the
   * server only.
   */
  markRead(shared = true): void {
    if (this.destroyed || !this.snapshot.ready || this.moving) return;
    this.seen ??= coveredByMyMarker(this.doc, this.me);
    const target = readMarkerTarget(this.doc, this.me, this.seen);
    if (!target) return;
    const seen = this.seen;
    for (const m of locateMessages(this.doc)) seen.add(m.message.id);
    if (shared) {
      const marker: ReadMarker = { upTo: target, at: serverNow() };
      this.doc.getMap<ReadMarker>(Roots.reads).set(this.me, marker);
    } else {
      const send = this.opts.readPrivately;
      if (!send) return;
      // Not reached (offline): the next chance to mark read tries again.
      send(this.id, target).catch(() => {
        if (this.seen === seen) this.seen = null;
      });
    }
    this.opts.onActivity?.('read');
  }

  /** Show the other person's reads or not (`sharesReads` of the conversation's summary). */
  setReadsShared(shared: boolean): void {
    if (this.destroyed || this.hideReads === !shared) return;
    this.hideReads = !shared;
    // Read privately until now (a request just accepted): the next read shares it all.
    if (shared) this.seen = null;
    this.docChanged = true;
    this.queueRecompute();
  }

  /**
   * "Delete chat for me" (the summary's `clearedAt`): this device's copy keeps the messages
   * (the other person's documents are shared), but they are no longer shown.
   */
  setClearedAt(at: number | null): void {
    if (at === this.clearedAt) return;
    this.clearedAt = at;
    this.docChanged = true;
    this.queueRecompute();
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
  /** Connect again after a 4401 when the session turned out to be valid (`ConversationSync.resumeSignedIn`). */
  resumeSignedIn(): void {
    this.live.sync.resumeSignedIn();
  }

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
      ? prev.messages // nothing, or the cached preview (`showCached`)
      : rebuild
        ? afterCleared(
            withReplyQuotes(
              withTombstones(
                [
                  ...(this.history?.views(this.live.doc) ?? []),
                  ...messageViews(this.doc, this.me, sync.facts, {
                    now: serverNow(),
                    editWindowMs: this.opts.editWindowMs,
                    hideReads: this.hideReads,
                  }),
                ],
                this.tombstones,
              ),
            ),
            this.clearedAt,
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
          : this.historyUnreachable || this.history?.unavailable
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
    if (rebuild && liveReady) this.opts.viewCache?.remember(this.id, next.messages);
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
    await this.history?.destroy();
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

/** The messages written after the cleared point ("delete chat for me"); all when none. */
function afterCleared(
  messages: readonly MessageView[],
  clearedAt: number | null,
): readonly MessageView[] {
  return clearedAt === null ? messages : messages.filter((m) => m.at > clearedAt);
}
