/**
 * One open conversation document: its Y.Doc and connected peers. Validates every incoming
 * update, has it stored (log + projection in one transaction) before it is relayed,
 * acknowledges it to the sender, and fans it out to local peers and the bus. Awareness,
 * receipts, acknowledgements, the log's rows and the cached full state live in their own
 * modules (room-awareness, receipts, acks, room-log, full-state).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Bus, BusMessage } from '../bus/update-bus';
import type { DocStore, StoredUpdate } from '../store/doc-store';
import type { ConversationStore, ProjectionChange } from '../store/conversation-store';
import { CloseCode, MessageType, docNameOf } from '../../shared/protocol';
import { sealedFrame, step2Frame, updateFrame } from '../../shared/frames';
import { Roots, isChatMessage, type AttachmentRef } from '../../shared/schema';
import { validateUpdate, type MessageFacts, type UpdateEffects } from './validate-update';
import { DocMessageIds } from './doc-messages';
import { eraseAuthor, purgeDeleted } from './purge';
import type { ReactionRow } from '../store/conversation-store';
import type { AfterCommit } from '../after-commit';
import type { Logger } from '../logger';
import type { RoomObserver } from '../metrics';
import type { WriteBatcher } from '../store/write-batcher';
import type { StorageQuota } from '../store/storage-quota';
import { Acks } from './acks';
import { FullState } from './full-state';
import { RoomAwareness } from './room-awareness';
import { Receipts } from './receipts';
import { RoomLog, mergeRows } from './room-log';
import { isOrigin, type Peer, type TransactionOrigin } from './peer';

export type { Peer, TransactionOrigin } from './peer';

/** How often a room of a lossy bus (Redis) catches up from the log, in case a message was lost. */
const RESYNC_EVERY_MS = 10_000;

export interface RoomDeps {
  store: DocStore;
  conversations: ConversationStore;
  bus: Bus;
  /** Group commit of this turn's writes (the log append and the projection together). */
  writes: WriteBatcher;
  log: Logger;
  /** Compact the log when it holds more than this many updates. */
  compactAfter: number;
  /** May `viewer` see `subject`'s typing, presence and receipts? (blocks, pending requests) */
  visible: (viewer: string, subject: string) => Promise<boolean>;
  /**
   * May `viewer` see `subject`'s presence (online, "here now")? Their privacy settings;
   * `visible` when absent.
   */
  presenceVisible?: (viewer: string, subject: string) => Promise<boolean>;
  /** Are typing indicators on between the two (both have them on)? True when absent. */
  typingOn?: (a: string, b: string) => Promise<boolean>;
  /** Where the room announces what it stored: projection changes and seals. */
  afterCommit: AfterCommit;
  /** Seal the live document once it holds this many messages (docs/architecture.md, "Epochs"). */
  epochMessages: number;
  /** Bytes of updates each user stored, checked before an update is accepted. */
  quota: StorageQuota;
  /** Metrics: refused updates and rows repaired from the log (server/metrics.ts). */
  observe?: RoomObserver;
  /** EDIT_WINDOW_HOURS and EDIT_GRACE_HOURS in ms (server/config.ts). */
  editWindowMs: number;
  editGraceMs: number;
  /**
   * True when `ref` is `userId`'s upload to `conversationId` (its token checks out). Without
   * it, messages with attachments are refused (server/attachments wires it).
   */
  verifyAttachment?: (conversationId: string, ref: AttachmentRef, userId: string) => boolean;
  /** A participant connected to this process started or stopped typing here (issue #14). */
  onTyping?: (conversationId: string, userId: string, typing: boolean) => void;
}

/** What a room starts from, read from the storage before it opens (`RoomRegistry`). */
export interface RoomLoad {
  updates: StoredUpdate[];
  /** Client id -> first writer. */
  clients: Map<number, string>;
  /** What each participant's device reported holding (frame 101). */
  received: Map<string, Uint8Array>;
  /**
   * Message id -> facts for the whole conversation (every epoch), when the storage cannot
   * answer the validator synchronously (PostgreSQL); null when it can (`messageFactsNow`).
   */
  messages: Map<string, MessageFacts> | null;
  /**
   * `visible(a, b)` and `visible(b, a)` for the two participants, keyed `viewer>subject`;
   * `presenceVisible` keyed `viewer~subject`; `typingOn` keyed `typing`.
   */
  sees: Map<string, boolean>;
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly peers = new Set<Peer>();
  /** Client ids that wrote document content -> their first writer (durable). */
  private readonly clients: Map<number, string>;
  /** The same bindings by user, for acknowledgements. */
  private readonly clientsByUser = new Map<string, Set<number>>();
  /** Acknowledgements, and what of the document is on disk (`acks.committed`). */
  private readonly acks: Acks;
  /** The whole document for new devices and compaction. */
  private readonly fullState: FullState;
  private readonly presence: RoomAwareness;
  private readonly receipts: Receipts;
  private readonly rows: RoomLog;
  /** Messages accepted but maybe not committed yet; older ones come from the projection. */
  private readonly recentMessages = new Map<string, MessageFacts>();
  /** Every message of the conversation, kept here when the storage is asynchronous. */
  private readonly knownMessages: Map<string, MessageFacts> | null;
  private readonly messageFacts = {
    get: (id: string): MessageFacts | undefined =>
      this.recentMessages.get(id) ??
      (this.knownMessages
        ? this.knownMessages.get(id)
        : this.deps.conversations.messageFactsNow?.(this.conversationId, id)),
  };
  /** The messages this document holds now: what edits and reactions may name. */
  private readonly here: DocMessageIds;
  /** The update of the purge transaction being made (`purge`). */
  private purged: Uint8Array | null = null;
  /** When each peer was last asked to resend (sync step 1) after a deferred update. */
  private readonly resyncAsked = new WeakMap<Peer, number>();
  /** Updates applied during `handleUpdate`, relayed once their write commits. */
  private held: { update: Uint8Array }[] | null = null;
  /** A write failed: never compact this in-memory state to disk. */
  private broken = false;
  private destroyed = false;
  private sealQueued = false;
  /**
   * The document holds the epoch's last message in memory: no further message is applied
   * here. It is sealed once every write that added a message has committed, so "sealed"
   * follows the acks of everything stored (a client carries its unacknowledged messages to
   * the live document, and a stored one carried there would be a duplicate).
   */
  private sealPending = false;
  /** Writes that add messages, queued and not committed yet. */
  private messageWritesInFlight = 0;
  private readonly unsubscribe: (() => void)[] = [];
  private resyncTimer: ReturnType<typeof setInterval> | null = null;
  /** Answers of `deps.visible` for the two participants (`viewer>subject`); refreshed by `refreshPolicy`. */
  private sees: Map<string, boolean>;
  /** When this document is sealed: the name of the conversation's live document. */
  private sealedTo: string | null;

  constructor(
    readonly name: string,
    readonly conversationId: string,
    readonly participants: readonly [string, string],
    private readonly deps: RoomDeps,
    loaded: RoomLoad,
    /** This document's epoch, and the conversation's live epoch when the room loads. */
    readonly epoch = 0,
    liveEpoch = epoch,
  ) {
    this.sealedTo = epoch < liveEpoch ? docNameOf(conversationId, liveEpoch) : null;
    const initial = mergeRows(loaded.updates);
    if (initial) Y.applyUpdate(this.doc, initial, { source: 'load' } satisfies TransactionOrigin);
    this.clients = loaded.clients;
    for (const [client, owner] of this.clients) this.ownClients(owner).add(client);
    this.sees = loaded.sees;
    this.knownMessages = loaded.messages;
    this.here = new DocMessageIds(
      this.doc,
      (origin) => isOrigin(origin) && (origin.source === 'socket' || origin.source === 'purge'),
    );
    if (this.knownMessages) {
      // Messages that arrive from other processes (the bus) join the index too; the process
      // that stored one vouched for its time, and it is no later than now.
      const known = this.knownMessages;
      this.doc.getArray(Roots.messages).observe((event) => {
        for (const item of event.changes.added)
          for (const v of item.content.getContent())
            if (isChatMessage(v) && !known.has(v.id))
              known.set(v.id, { from: v.from, at: v.at, stored: Math.min(v.at, Date.now()) });
      });
    }
    this.acks = new Acks(this.doc, (userId) => this.ownClients(userId));
    this.fullState = new FullState(this.doc);
    const canSee = (viewer: string, subject: string): boolean => this.canSee(viewer, subject);
    this.presence = new RoomAwareness({
      doc: this.doc,
      name,
      bus: deps.bus,
      peers: this.peers,
      writerOf: (client) => this.clients.get(client),
      canSee,
      canSeePresence: (viewer, subject) =>
        viewer === subject || this.sees.get(`${viewer}~${subject}`) === true,
      typingOn: () => this.sees.get('typing') === true,
      onTyping: (userId, typing) => deps.onTyping?.(conversationId, userId, typing),
    });
    this.receipts = new Receipts(
      {
        doc: name,
        participants,
        peers: this.peers,
        conversations: deps.conversations,
        log: deps.log,
        clamp: (sv) => this.acks.committed.clamp(sv),
        canSee,
        publish: (userId, sv) =>
          deps.bus.publish({ kind: 'received', doc: name, userId, payload: sv }),
      },
      loaded.received,
    );
    this.rows = new RoomLog(
      {
        doc: name,
        store: deps.store,
        log: deps.log,
        apply: (update) => {
          Y.applyUpdate(this.doc, update, { source: 'bus' } satisfies TransactionOrigin);
          this.acks.committed.add(update);
        },
        snapshot: () => this.fullState.snapshot(),
        repaired: (n) => deps.observe?.repaired(n),
      },
      loaded.updates.map((u) => u.seq),
    );
    this.doc.on('update', this.onDocUpdate);
    this.unsubscribe.push(deps.bus.subscribe(name, this.onBusMessage));
    if (deps.bus.lossy) {
      // Another process may have stored updates between our read and our subscription, and
      // pub/sub drops messages while a connection is down: catch up from the log now, after
      // every reconnect, and every little while.
      this.unsubscribe.push(deps.bus.onGap(() => this.rows.resync()));
      this.resyncTimer = setInterval(() => this.rows.resync(), RESYNC_EVERY_MS);
      this.resyncTimer.unref();
      this.rows.resync();
    }
  }

  /** The room's awareness (typing, "here now"). */
  get awareness(): RoomAwareness['awareness'] {
    return this.presence.awareness;
  }

  /** Add a peer and start the sync handshake (server's step 1, current awareness, delivery state). */
  join(peer: Peer): void {
    this.peers.add(peer);
    peer.send(this.step1Frame());
    this.presence.welcome(peer);
    this.receipts.welcome(peer);
    if (this.sealedTo) {
      // What of theirs is stored comes first: a client carries unacknowledged messages over
      // to the live document, so it must not mistake stored ones for unsent. A sealed
      // document takes no writes, so everything in it is committed.
      this.acks.send(peer);
      peer.send(sealedFrame(this.sealedTo));
    }
  }

  /** True once a write failed: the room must not be used again (the registry loads a new one). */
  get failed(): boolean {
    return this.broken;
  }

  /** True once this document is sealed (read-only history; new messages go to the live one). */
  get sealed(): boolean {
    return this.sealedTo !== null;
  }

  private step1Frame(): Uint8Array {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MessageType.sync);
    syncProtocol.writeSyncStep1(enc, this.doc);
    return encoding.toUint8Array(enc);
  }

  /**
   * The live document reached the epoch size: seal it. The conversation's next epoch becomes
   * live; every peer is told where to write, and the event stream carries the new `doc`.
   */
  private async seal(): Promise<void> {
    const live = await this.deps.conversations.sealEpoch(this.conversationId, this.epoch);
    if (this.sealedTo || this.destroyed) return;
    if (live <= this.epoch) throw new Error(`epoch ${this.epoch} is not sealed (live ${live})`);
    this.sealedTo = docNameOf(this.conversationId, live);
    this.deps.log.info('document sealed', { doc: this.name, live: this.sealedTo });
    this.acks.flush(); // what this batch stored is acknowledged before "sealed" (see `join`)
    const msg = sealedFrame(this.sealedTo);
    for (const p of this.peers) p.send(msg);
    this.deps.bus.publish({ kind: 'sealed', doc: this.name, live: this.sealedTo });
    this.deps.afterCommit.emit({
      kind: 'sealed',
      conversationId: this.conversationId,
      doc: this.name,
      live: this.sealedTo,
    });
  }

  /** Unknown (a refresh in flight, a stranger): not visible. */
  private canSee(viewer: string, subject: string): boolean {
    return viewer === subject || this.sees.get(`${viewer}>${subject}`) === true;
  }

  private ownClients(userId: string): Set<number> {
    let set = this.clientsByUser.get(userId);
    if (!set) {
      set = new Set();
      this.clientsByUser.set(userId, set);
    }
    return set;
  }

  /** Blocks, contacts or requests changed: re-evaluate visibility (hidden until it is known). */
  refreshPolicy(): void {
    const fresh = new Map<string, boolean>();
    this.sees = fresh;
    void loadSees(this.participants, this.deps)
      .then((answers) => {
        if (this.sees === fresh) this.sees = answers;
      })
      .catch((e: unknown) =>
        this.deps.log.error('visibility refresh failed', { doc: this.name, error: String(e) }),
      );
  }

  /** Remove a peer; returns true when the room has no peers left. */
  leave(peer: Peer): boolean {
    this.peers.delete(peer);
    this.acks.forget(peer);
    this.presence.leave(peer);
    return this.peers.size === 0;
  }

  /** Handle one binary frame from a peer. Throws on a malformed frame. */
  handleMessage(peer: Peer, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.sync: {
        const sub = decoding.readVarUint(decoder);
        if (sub === syncProtocol.messageYjsSyncStep1) {
          this.answerStep1(peer, decoding.readVarUint8Array(decoder));
        } else if (
          sub === syncProtocol.messageYjsSyncStep2 ||
          sub === syncProtocol.messageYjsUpdate
        ) {
          this.handleUpdate(peer, decoding.readVarUint8Array(decoder));
        } else {
          throw new Error(`unknown sync message ${sub}`);
        }
        return;
      }
      case MessageType.awareness:
        this.presence.handle(peer, decoding.readVarUint8Array(decoder));
        return;
      case MessageType.queryAwareness:
        this.presence.query(peer);
        return;
      case MessageType.received:
        this.receipts.handle(peer, decoding.readVarUint8Array(decoder));
        return;
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  /**
   * Sync step 2 for the peer's state vector, within the peer's byte budget (finding 4), then
   * an ack. An empty state vector (a new device, or a flood) gets the cached full state (one
   * encoding plus the updates since, `full-state.ts`). Any other is answered with
   * `encodeStateAsUpdate(doc, sv)`, whose cost follows what the peer lacks (usually
   * little), where `Y.diffUpdate(cached, sv)` would decode the whole document each time.
   */
  private answerStep1(peer: Peer, sv: Uint8Array): void {
    if (!peer.spendSyncAnswer(0)) return; // over budget already: do not even encode
    const answer =
      Y.decodeStateVector(sv).size === 0
        ? this.fullState.frames()
        : [step2Frame(Y.encodeStateAsUpdate(this.doc, sv))];
    if (!peer.spendSyncAnswer(answer.reduce((n, f) => n + f.byteLength, 0))) return;
    for (const f of answer) peer.send(f);
    this.acks.now(peer);
  }

  private handleUpdate(peer: Peer, update: Uint8Array): void {
    const now = Date.now();
    const verify = this.deps.verifyAttachment;
    const verdict = validateUpdate(
      {
        doc: this.doc,
        clients: this.clients,
        messages: this.messageFacts,
        here: this.here.ids,
        userId: peer.userId,
        now,
        editWindowMs: this.deps.editWindowMs,
        editGraceMs: this.deps.editGraceMs,
        verifyAttachment: verify
          ? (ref, userId) => verify(this.conversationId, ref, userId)
          : undefined,
      },
      update,
    );
    if (verdict.kind === 'defer') {
      this.deps.log.debug('update deferred', {
        doc: this.name,
        user: peer.userId,
        reason: verdict.reason,
      });
      // Ask the client for everything the server lacks (its sync step 2 answers), at most once a second.
      if (now - (this.resyncAsked.get(peer) ?? 0) > 1000) {
        this.resyncAsked.set(peer, now);
        peer.send(this.step1Frame());
      }
      return;
    }
    if (verdict.kind === 'reject') {
      this.deps.log.warn('update refused', {
        doc: this.name,
        user: peer.userId,
        reason: verdict.reason,
      });
      this.deps.observe?.refused('invalid');
      peer.close(CloseCode.invalidUpdate, verdict.reason.slice(0, 120));
      return;
    }
    const fx = verdict.effects;
    if (fx.noop) {
      this.acks.now(peer);
      return;
    }
    const editsOrReacts = fx.edits.length + fx.reactionsAdded.length > 0;
    if (
      (fx.added.length > 0 && (this.sealedTo || this.sealPending)) ||
      (this.sealedTo && editsOrReacts)
    ) {
      // Sealed: read-only history, no new messages, edits or reactions here (docs/protocol.md,
      // "Epochs"). The client moves its unsent messages to the live document (being sealed:
      // the seal's "sealed" frame tells this peer too, once it is decided).
      if (this.sealedTo) peer.send(sealedFrame(this.sealedTo));
      return;
    }
    for (const client of fx.newClients) {
      // Announced in awareness by someone else: not theirs to write with.
      if (!this.presence.mayWrite(client, peer.userId)) {
        this.deps.observe?.refused('client-id');
        peer.close(CloseCode.invalidUpdate, `client id ${client} belongs to another user`);
        return;
      }
    }
    const { quota } = this.deps;
    const bytes = update.byteLength;
    if (!quota.reserve(peer.userId, bytes)) {
      this.deps.log.warn('storage quota exceeded', { doc: this.name, user: peer.userId });
      this.deps.observe?.refused('quota');
      peer.close(CloseCode.quotaExceeded, 'storage quota exceeded');
      return;
    }
    const changesProjection =
      fx.added.length +
        fx.deletedMessages.length +
        fx.edits.length +
        fx.reads.length +
        fx.reactionsAdded.length +
        fx.reactionsRemoved.length >
      0;
    // Apply in memory now, so the next update of this turn is validated against it; relay and
    // acknowledge only once the write batch has committed (persist before relay).
    for (const client of fx.newClients) {
      this.presence.boundDurably(client); // bound durably from now on
      this.clients.set(client, peer.userId);
      this.ownClients(peer.userId).add(client);
    }
    for (const m of fx.added)
      this.recentMessages.set(m.id, { from: m.from, at: m.at, stored: now });
    this.held = [];
    const origin: TransactionOrigin = { source: 'socket', peer };
    Y.applyUpdate(this.doc, update, origin);
    this.here.added(fx.added.map((m) => m.id));
    this.here.removed(fx.deletedMessages);
    const relays = this.held;
    this.held = null;
    this.acks.queued();
    const addsMessages = fx.added.length > 0;
    if (addsMessages) {
      this.messageWritesInFlight++;
      if (!this.sealedTo && this.doc.getArray(Roots.messages).length >= this.deps.epochMessages)
        this.sealPending = true;
    }
    this.deps.writes.add(
      {
        doc: this.name,
        conversationId: this.conversationId,
        participants: this.participants,
        update,
        userId: peer.userId,
        newClients: fx.newClients,
        projection: changesProjection ? projectionOf(fx, now) : null,
      },
      (seq) => {
        if (addsMessages) this.messageWritesInFlight--;
        this.rows.holds(seq, true);
        for (const m of fx.added) {
          const facts = this.recentMessages.get(m.id);
          if (facts) this.knownMessages?.set(m.id, facts);
          this.recentMessages.delete(m.id); // now in the projection (or the index)
        }
        const live = !this.broken && !this.destroyed;
        this.acks.stored(update, live ? peer : null);
        if (!live) return; // nothing to relay to; never compact a destroyed doc
        for (const r of relays) this.relay(r.update, peer, seq, fx.newClients);
        if (changesProjection)
          this.deps.afterCommit.emit({
            kind: 'projected',
            conversationId: this.conversationId,
            doc: this.name,
            userId: peer.userId,
            participants: this.participants,
            effects: fx,
          });
        if (fx.deletedMessages.length > 0) this.purge(fx.deletedMessages, peer.userId);
        if (addsMessages && this.sealPending && this.messageWritesInFlight === 0) {
          this.queueSeal();
        } else if (fx.deletedMessages.length > 0) this.rows.schedule(1000);
        else if (this.rows.stored > this.deps.compactAfter) this.compact();
      },
      (error) => {
        if (addsMessages) this.messageWritesInFlight--;
        this.acks.failed();
        quota.release(peer.userId, bytes);
        this.fail(error);
      },
    );
  }

  /**
   * Seal after the whole batch's callbacks ran (a microtask): every peer whose message the
   * batch stored here is queued for its ack by then, and `seal` sends those acks before
   * "sealed" (finding 9: a client carries unacknowledged messages to the live document).
   */
  private queueSeal(): void {
    if (this.sealQueued) return;
    this.sealQueued = true;
    queueMicrotask(() => {
      this.sealQueued = false;
      if (this.sealedTo || this.broken || this.destroyed) return;
      this.seal()
        .then(() => this.compact())
        .catch((e: unknown) => {
          this.deps.log.error('sealing failed', { doc: this.name, error: String(e) });
          // Messages refused while the seal was pending were never applied: ask every peer
          // for what the server lacks (their sync step 2), and seal again on the next message.
          this.sealPending = false;
          if (!this.sealedTo) for (const p of this.peers) p.send(this.step1Frame());
        });
    });
  }

  /**
   * A write failed (disk full, I/O error): the in-memory document now holds changes that are
   * not on disk. Drop the room without compacting; clients keep their changes and resend.
   */
  private fail(error: unknown): void {
    if (this.broken) return;
    this.broken = true;
    this.deps.log.error('persisting an update failed; closing the room', {
      doc: this.name,
      error: String(error),
    });
    for (const p of this.peers) p.close(1011, 'server error, reconnect later');
  }

  /**
   * Delete for everyone removes every trace: once a message's deletion is stored, the
   * server deletes what is left of it in the other roots (its edit, everyone's reactions)
   * with a delete-only update of its own, stored, relayed and published like any other.
   * After compaction (the room's Y.Doc collects garbage) none of it is on disk.
   */
  private purge(ids: readonly string[], userId: string): void {
    this.purged = null;
    const removed = purgeDeleted(this.doc, ids, { source: 'purge' } satisfies TransactionOrigin);
    const update = this.purged as Uint8Array | null;
    this.purged = null;
    if (update) this.storePurge(update, userId, [], removed.reactions);
  }

  /**
   * A deleted account: its messages, their edits and reactions, and its own reactions leave
   * this document — stored, relayed and compacted away like a purge (any epoch, sealed too).
   */
  eraseAuthor(userId: string): void {
    if (this.broken || this.destroyed) return;
    this.purged = null;
    const removed = eraseAuthor(this.doc, userId, { source: 'purge' } satisfies TransactionOrigin);
    this.here.removed(removed.messages);
    const update = this.purged as Uint8Array | null;
    this.purged = null;
    if (update) this.storePurge(update, userId, removed.messages, removed.reactions);
  }

  /** Store a server-made, delete-only update (`purge`, `eraseAuthor`), then relay it. */
  private storePurge(
    update: Uint8Array,
    userId: string,
    deleted: string[],
    reactionsRemoved: ReactionRow[],
  ): void {
    const removed = { reactions: reactionsRemoved };
    this.acks.queued();
    this.deps.writes.add(
      {
        doc: this.name,
        conversationId: this.conversationId,
        participants: this.participants,
        update,
        userId,
        newClients: [],
        projection: {
          added: [],
          deleted,
          edited: [],
          reads: [],
          reactionsRemoved: removed.reactions,
        },
      },
      (seq) => {
        this.rows.holds(seq, true);
        this.acks.stored(update, null);
        if (this.broken || this.destroyed) return;
        const msg = updateFrame(update);
        for (const p of this.peers) p.send(msg);
        this.deps.bus.publish({ kind: 'doc-update', doc: this.name, payload: update, seq });
        this.rows.schedule(1000);
        if (removed.reactions.length + deleted.length > 0)
          this.deps.afterCommit.emit({
            kind: 'projected',
            conversationId: this.conversationId,
            doc: this.name,
            userId,
            purge: true,
            effects: {
              added: [],
              deletedMessages: deleted,
              edits: [],
              reads: [],
              reactionsAdded: [],
              reactionsRemoved: removed.reactions,
              newClients: [],
              noop: false,
            },
          });
      },
      (error) => {
        this.acks.failed();
        this.fail(error);
      },
    );
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullState.changed(update);
    if (!isOrigin(origin) || origin.source === 'load') return;
    if (origin.source === 'purge') {
      this.purged = update; // stored, then relayed (`purge`)
      return;
    }
    if (origin.source === 'socket' && this.held) {
      this.held.push({ update }); // relayed after the commit
      return;
    }
    this.relay(update, null);
  };

  /** Send an update to every local peer but `from`; publish it on the bus when it came from a socket. */
  private relay(
    update: Uint8Array,
    from: Peer | null,
    seq?: number,
    newClients?: readonly number[],
  ): void {
    const msg = updateFrame(update);
    for (const p of this.peers) if (p !== from) p.send(msg);
    if (from)
      this.deps.bus.publish({
        kind: 'doc-update',
        doc: this.name,
        payload: update,
        seq,
        userId: from.userId,
        newClients,
      });
  }

  private readonly onBusMessage = (m: BusMessage): void => {
    switch (m.kind) {
      case 'awareness':
        return this.presence.applyRemote(m.payload);
      case 'received':
        return this.receipts.applyRemote(m.userId, m.payload);
      case 'sealed':
        return this.sealedElsewhere(m.live);
      case 'doc-update':
        // Client ids this update was the first to write with are its writer's, here too.
        if (m.userId)
          for (const client of m.newClients ?? [])
            if (!this.clients.has(client)) {
              this.clients.set(client, m.userId);
              this.ownClients(m.userId).add(client);
              this.presence.boundDurably(client);
            }
        Y.applyUpdate(this.doc, m.payload, { source: 'bus' } satisfies TransactionOrigin);
        this.acks.committed.add(m.payload); // the publishing server stored it before publishing
        if (m.seq !== undefined) this.rows.holds(m.seq, false); // in our document: ours to compact
    }
  };

  /** Another process sealed this document: tell the peers here where to write now. */
  private sealedElsewhere(live: string): void {
    if (this.sealedTo || this.destroyed) return;
    this.sealedTo = live;
    this.acks.flush();
    const msg = sealedFrame(live);
    for (const p of this.peers) p.send(msg);
  }

  /** Who has this document open and visible on some device, on any process (awareness). */
  viewers(): Set<string> {
    return this.presence.viewers();
  }

  /** Catch up from the log (see `RoomLog.resync`). */
  resync(): void {
    this.rows.resync();
  }

  /** Replace the stored log with one update; deleted content is gone from disk after this. */
  compact(): void {
    if (this.broken || this.destroyed) return;
    this.rows.compact();
  }

  /** Compact and release everything; the room is unusable afterwards. */
  destroy(): void {
    this.compact();
    this.rows.close();
    this.destroyed = true;
    for (const off of this.unsubscribe) off();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.presence.destroy();
    this.here.stop();
    this.doc.destroy();
  }
}

/** Who of the two participants may see the other (`viewer>subject`). */
export async function loadSees(
  participants: readonly [string, string],
  deps: Pick<RoomDeps, 'visible' | 'presenceVisible' | 'typingOn'>,
): Promise<Map<string, boolean>> {
  const [a, b] = participants;
  const presence = deps.presenceVisible ?? deps.visible;
  const [ab, ba, pab, pba, typing] = await Promise.all([
    deps.visible(a, b),
    deps.visible(b, a),
    presence(a, b),
    presence(b, a),
    deps.typingOn ? deps.typingOn(a, b) : true,
  ]);
  return new Map([
    [`${a}>${b}`, ab],
    [`${b}>${a}`, ba],
    [`${a}~${b}`, pab],
    [`${b}~${a}`, pba],
    ['typing', typing],
  ]);
}

/** The projection change of an accepted update; `now` is when the server accepted it. */
function projectionOf(fx: UpdateEffects, now: number): ProjectionChange {
  return {
    added: fx.added.map((m) => ({
      id: m.id,
      from: m.from,
      text: m.text,
      at: m.at,
      stored: now,
      ...(m.replyTo !== undefined ? { replyTo: m.replyTo } : {}),
      // Upload tokens stay in the document only: the projection and the history API never show them.
      ...(m.attachments ? { attachments: m.attachments.map(({ token: _, ...a }) => a) } : {}),
    })),
    deleted: fx.deletedMessages,
    edited: fx.edits,
    reads: fx.reads,
    reactionsAdded: fx.reactionsAdded,
    reactionsRemoved: fx.reactionsRemoved,
  };
}
