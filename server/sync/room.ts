/**
 * One open conversation document: its Y.Doc, awareness and connected peers. Validates
 * every incoming update, persists it (log + projection in one transaction) before it is
 * relayed, acknowledges it to the sender, and fans it out to local peers and the bus.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Bus, BusMessage } from '../bus/update-bus';
import type { DocStore, StoredUpdate } from '../store/doc-store';
import type { ConversationStore } from '../store/conversation-store';
import { CloseCode, Limits, MessageType, docNameOf } from '../../shared/protocol';
import { Roots, isChatMessage } from '../../shared/schema';
import { validateUpdate, type UpdateEffects } from './validate-update';
import type { Logger } from '../logger';
import type { WriteBatcher } from '../store/write-batcher';
import type { StorageQuota } from '../store/storage-quota';
import { AwarenessClients } from './awareness-clients';
import { Acks } from './acks';
import { FullState, step2Frame } from './full-state';

/** How often a room of a lossy bus (Redis) catches up from the log, in case a message was lost. */
const RESYNC_EVERY_MS = 10_000;

/** A socket as the room sees it. */
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
  { source: 'socket'; peer: Peer } | { source: 'bus' } | { source: 'load' };

const isOrigin = (o: unknown): o is TransactionOrigin =>
  typeof o === 'object' && o !== null && 'source' in o;

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
  /** Called after an accepted update changed the projection (messages, reads). */
  onProjection: (conversationId: string, effects: UpdateEffects) => void;
  /** Seal the live document once it holds this many messages (docs/architecture.md, "Epochs"). */
  epochMessages: number;
  /** Called after the room sealed its document: the conversation's live document changed. */
  onSealed: (conversationId: string) => void;
  /** Bytes of updates each user stored, checked before an update is accepted. */
  quota: StorageQuota;
}

/** What a room starts from, read from the storage before it opens (`RoomRegistry`). */
export interface RoomLoad {
  updates: StoredUpdate[];
  /** Client id -> first writer. */
  clients: Map<number, string>;
  /** What each participant's device reported holding (frame 101). */
  received: Map<string, Uint8Array>;
  /**
   * Message id -> author for the whole conversation, when the storage cannot answer the
   * validator synchronously (PostgreSQL); null when it can (`senderOfNow`).
   */
  authors: Map<string, string> | null;
  /** `visible(a, b)` and `visible(b, a)` for the two participants, keyed `viewer>subject`. */
  sees: Map<string, boolean>;
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<Peer>();
  /** Client ids that wrote document content -> their first writer (durable). */
  private readonly clients: Map<number, string>;
  /** Client ids seen only in awareness (memory only, bounded). */
  private readonly awarenessOnly = new AwarenessClients();
  /** Acknowledgements, and what of the document is on disk (`acks.committed`). */
  private readonly acks: Acks;
  /** The whole document as one update (compaction, sync step 1); null after a change. */
  private readonly fullState: FullState;
  private sealQueued = false;
  /** The same bindings by user, for acknowledgements. */
  private readonly clientsByUser = new Map<string, Set<number>>();
  /** Authors of messages accepted but maybe not committed yet; older ones come from the projection. */
  private readonly recentAuthors = new Map<string, string>();
  /** Every author of the conversation, kept here when the storage is asynchronous. */
  private readonly knownAuthors: Map<string, string> | null;
  private readonly authors = {
    get: (id: string): string | undefined =>
      this.recentAuthors.get(id) ??
      (this.knownAuthors
        ? this.knownAuthors.get(id)
        : this.deps.conversations.senderOfNow?.(this.conversationId, id)),
    has: (id: string): boolean => this.authors.get(id) !== undefined,
  };
  private readonly received: Map<string, Uint8Array>;
  /** When each peer was last asked to resend (sync step 1) after a deferred update. */
  private readonly resyncAsked = new WeakMap<Peer, number>();
  private storedUpdates: number;
  /** Sequences of the stored rows this room's document holds (what compaction may delete). */
  private merged: Set<number>;
  private compactTimer: ReturnType<typeof setTimeout> | null = null;
  /** Updates applied during `handleUpdate`, relayed once their write commits. */
  private held: { update: Uint8Array }[] | null = null;
  /** A write failed: never compact this in-memory state to disk. */
  private broken = false;
  private destroyed = false;
  private readonly unsubscribeBus: () => void;
  private unsubscribeGap: (() => void) | null = null;
  private resyncTimer: ReturnType<typeof setInterval> | null = null;
  private resyncing = false;
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
    const updates = loaded.updates;
    this.storedUpdates = updates.length;
    this.merged = new Set(updates.map((u) => u.seq));
    const origin: TransactionOrigin = { source: 'load' };
    if (updates.length > 0)
      Y.applyUpdate(this.doc, Y.mergeUpdates(updates.map((u) => u.data)), origin);
    this.clients = loaded.clients;
    this.sees = loaded.sees;
    this.knownAuthors = loaded.authors;
    if (this.knownAuthors) {
      // Messages that arrive from other processes (the bus) join the index too.
      const known = this.knownAuthors;
      this.doc.getArray(Roots.messages).observe((event) => {
        for (const item of event.changes.added)
          for (const v of item.content.getContent())
            if (isChatMessage(v) && !known.has(v.id)) known.set(v.id, v.from);
      });
    }
    for (const [client, owner] of this.clients) this.ownClients(owner).add(client);
    this.acks = new Acks(this.doc, (userId) => this.ownClients(userId));
    this.fullState = new FullState(this.doc);
    this.received = loaded.received;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.unsubscribeBus = deps.bus.subscribe(name, this.onBusMessage);
    if (deps.bus.lossy) {
      // Another process may have stored updates between our read and our subscription, and
      // pub/sub drops messages while a connection is down: catch up from the log now, after
      // every reconnect, and every little while.
      this.unsubscribeGap = deps.bus.onGap(() => this.resync());
      this.resyncTimer = setInterval(() => this.resync(), RESYNC_EVERY_MS);
      this.resyncTimer.unref();
      this.resync();
    }
  }

  /** Add a peer and start the sync handshake (server's step 1, current awareness, delivery state). */
  join(peer: Peer): void {
    this.peers.add(peer);
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MessageType.sync);
    syncProtocol.writeSyncStep1(enc, this.doc);
    peer.send(encoding.toUint8Array(enc));
    const visible = this.visibleClients(peer.userId, [...this.awareness.getStates().keys()]);
    if (visible.length > 0) peer.send(this.awarenessMessage(visible));
    const other = this.participants.find((p) => p !== peer.userId);
    const theirs = other ? this.received.get(other) : undefined;
    if (other && theirs && this.canSee(peer.userId, other))
      peer.send(frame(MessageType.received, this.acks.committed.clamp(theirs)));
    if (this.sealedTo) {
      // What of theirs is stored comes first: a client carries unacknowledged messages over
      // to the live document, so it must not mistake stored ones for unsent. A sealed
      // document takes no writes, so everything in it is committed.
      this.acks.send(peer);
      peer.send(this.sealedMessage(this.sealedTo));
    }
  }

  /** True once this document is sealed (read-only history; new messages go to the live one). */
  get sealed(): boolean {
    return this.sealedTo !== null;
  }

  private sealedMessage(live: string): Uint8Array {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MessageType.sealed);
    encoding.writeVarString(enc, live);
    return encoding.toUint8Array(enc);
  }

  /**
   * The live document reached the epoch size: seal it. The conversation's next epoch becomes
   * live; every peer is told where to write, and the event stream carries the new `doc`.
   */
  private async seal(): Promise<void> {
    const live = await this.deps.conversations.sealEpoch(this.conversationId, this.epoch);
    if (live <= this.epoch || this.sealedTo || this.destroyed) return;
    this.sealedTo = docNameOf(this.conversationId, live);
    this.deps.log.info('document sealed', { doc: this.name, live: this.sealedTo });
    this.acks.flush(); // what this batch stored is acknowledged before "sealed" (see `join`)
    const msg = this.sealedMessage(this.sealedTo);
    for (const p of this.peers) p.send(msg);
    this.deps.onSealed(this.conversationId);
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

  private bind(client: number, userId: string): void {
    this.clients.set(client, userId);
    this.ownClients(userId).add(client);
  }

  /** The user a client id belongs to: its first writer, or who announced it in awareness. */
  private ownerOf(client: number): string | undefined {
    return this.clients.get(client) ?? this.awarenessOnly.ownerOf(client);
  }

  /** The awareness client ids whose owners `viewer` may see. */
  private visibleClients(viewer: string, clients: number[]): number[] {
    return clients.filter((c) => {
      const owner = this.ownerOf(c);
      return owner === undefined || this.canSee(viewer, owner);
    });
  }

  /** Blocks, contacts or requests changed: re-evaluate visibility (hidden until it is known). */
  refreshPolicy(): void {
    const fresh = new Map<string, boolean>();
    this.sees = fresh;
    void loadSees(this.participants, this.deps.visible)
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
    if (peer.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessClients], null);
      for (const c of peer.awarenessClients) {
        if (this.awarenessOnly.ownerOf(c) === peer.userId) this.awarenessOnly.release(c);
      }
    }
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
        this.handleAwareness(peer, decoding.readVarUint8Array(decoder));
        return;
      case MessageType.queryAwareness: {
        peer.send(
          this.awarenessMessage(
            this.visibleClients(peer.userId, [...this.awareness.getStates().keys()]),
          ),
        );
        return;
      }
      case MessageType.received: {
        const sv = decoding.readVarUint8Array(decoder);
        Y.decodeStateVector(sv); // throws when malformed
        if (sv.byteLength > 4096) throw new Error('state vector too large');
        // What the server never stored cannot have been delivered by it (finding 13).
        const clamped = this.acks.committed.clamp(sv);
        this.received.set(peer.userId, clamped);
        void Promise.resolve(
          this.deps.conversations.setReceived(this.name, peer.userId, clamped),
        ).catch((e: unknown) =>
          this.deps.log.error('storing a receipt failed', { doc: this.name, error: String(e) }),
        );
        const msg = frame(MessageType.received, clamped);
        for (const p of this.peers) {
          if (p.userId !== peer.userId && this.canSee(p.userId, peer.userId)) p.send(msg);
        }
        return;
      }
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  /**
   * Sync step 2 for the peer's state vector, within the peer's byte budget (finding 4), then
   * an ack. An empty state vector (a new device, or a flood) gets the cached encoding of the
   * whole document, re-encoded only after a change. Any other is answered with
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
    for (const frame of answer) peer.send(frame);
    this.acks.now(peer);
  }

  private handleUpdate(peer: Peer, update: Uint8Array): void {
    const verdict = validateUpdate(
      {
        doc: this.doc,
        clients: this.clients,
        authors: this.authors,
        userId: peer.userId,
        now: Date.now(),
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
      const now = Date.now();
      if (now - (this.resyncAsked.get(peer) ?? 0) > 1000) {
        this.resyncAsked.set(peer, now);
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MessageType.sync);
        syncProtocol.writeSyncStep1(enc, this.doc);
        peer.send(encoding.toUint8Array(enc));
      }
      return;
    }
    if (verdict.kind === 'reject') {
      this.deps.log.warn('update refused', {
        doc: this.name,
        user: peer.userId,
        reason: verdict.reason,
      });
      peer.close(CloseCode.invalidUpdate, verdict.reason.slice(0, 120));
      return;
    }
    const fx = verdict.effects;
    if (fx.noop) {
      this.acks.now(peer);
      return;
    }
    if (this.sealedTo && fx.added.length > 0) {
      // Sealed: no new messages here. The client moves its unsent ones to the live document.
      peer.send(this.sealedMessage(this.sealedTo));
      return;
    }
    for (const client of fx.newClients) {
      // Announced in awareness by someone else: not theirs to write with.
      const announcedBy = this.awarenessOnly.ownerOf(client);
      if (announcedBy !== undefined && announcedBy !== peer.userId) {
        peer.close(CloseCode.invalidUpdate, `client id ${client} belongs to another user`);
        return;
      }
    }
    const { quota } = this.deps;
    const bytes = update.byteLength;
    if (!quota.reserve(peer.userId, bytes)) {
      this.deps.log.warn('storage quota exceeded', { doc: this.name, user: peer.userId });
      peer.close(CloseCode.quotaExceeded, 'storage quota exceeded');
      return;
    }
    const changesProjection =
      fx.added.length + fx.deletedMessages.length + fx.edits.length + fx.reads.length > 0;
    // Apply in memory now, so the next update of this turn is validated against it; relay and
    // acknowledge only once the write batch has committed (persist before relay).
    for (const client of fx.newClients) {
      this.awarenessOnly.forget(client); // bound durably from now on
      this.bind(client, peer.userId);
    }
    for (const m of fx.added) this.recentAuthors.set(m.id, m.from);
    this.held = [];
    const origin: TransactionOrigin = { source: 'socket', peer };
    Y.applyUpdate(this.doc, update, origin);
    const relays = this.held;
    this.held = null;
    this.acks.queued();
    this.deps.writes.add(
      {
        doc: this.name,
        conversationId: this.conversationId,
        participants: this.participants,
        update,
        userId: peer.userId,
        newClients: fx.newClients,
        projection: changesProjection
          ? { added: fx.added, deleted: fx.deletedMessages, edited: fx.edits, reads: fx.reads }
          : null,
      },
      (seq) => {
        this.storedUpdates++;
        this.merged.add(seq);
        for (const m of fx.added) {
          this.knownAuthors?.set(m.id, m.from);
          this.recentAuthors.delete(m.id); // now in the projection (or the index)
        }
        const live = !this.broken && !this.destroyed;
        this.acks.stored(update, live ? peer : null);
        if (!live) return; // nothing to relay to; never compact a destroyed doc
        for (const r of relays) this.relay(r.update, peer, seq);
        if (changesProjection) this.deps.onProjection(this.conversationId, fx);
        if (
          fx.added.length > 0 &&
          !this.sealedTo &&
          this.doc.getArray(Roots.messages).length >= this.deps.epochMessages
        ) {
          this.queueSeal();
        } else if (fx.deletedMessages.length > 0) this.scheduleCompaction(1000);
        else if (this.storedUpdates > this.deps.compactAfter) this.compact();
      },
      (error) => {
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
        .catch((e: unknown) =>
          this.deps.log.error('sealing failed', { doc: this.name, error: String(e) }),
        );
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
   * Apply the peer's own awareness states, sanitized: only `typing` and `viewing` from the
   * client, and `user` stamped by the server. The stock client echoes everyone's states
   * back, so entries for client ids of other users are ignored, not punished.
   */
  private handleAwareness(peer: Peer, update: Uint8Array): void {
    const dec = decoding.createDecoder(update);
    const count = decoding.readVarUint(dec);
    if (count > 64) throw new Error('too many awareness states');
    const entries: { client: number; clock: number; state: string }[] = [];
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(dec);
      const clock = decoding.readVarUint(dec);
      const raw = decoding.readVarString(dec);
      if (raw.length > Limits.maxAwarenessBytes) throw new Error('awareness state too large');
      const durable = this.clients.get(client);
      if (durable !== undefined && durable !== peer.userId) continue;
      if (durable === undefined && !peer.awarenessClients.has(client)) {
        // A removal of an id this socket does not hold is the stock client's echo of what
        // the server sent it: no claim to the id.
        if (raw === 'null') continue;
        const announced = this.awarenessOnly.ownerOf(client);
        if (announced !== undefined && announced !== peer.userId) continue;
        if (announced === undefined && this.awareness.getStates().has(client)) continue;
        // In memory only: awareness ids come and go with every page load (finding 18).
        if (peer.awarenessClients.size >= 4) continue;
        if (!this.awarenessOnly.bind(client, peer.userId)) continue;
      }
      peer.awarenessClients.add(client);
      const state = JSON.parse(raw) as unknown;
      const clean =
        state === null || typeof state !== 'object'
          ? null
          : {
              user: { id: peer.userId, name: peer.displayName },
              typing: (state as { typing?: unknown }).typing === true,
              viewing: (state as { viewing?: unknown }).viewing === true,
            };
      entries.push({ client, clock, state: JSON.stringify(clean) });
    }
    if (entries.length === 0) return;
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, entries.length);
    for (const e of entries) {
      encoding.writeVarUint(enc, e.client);
      encoding.writeVarUint(enc, e.clock);
      encoding.writeVarString(enc, e.state);
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(enc), {
      source: 'socket',
      peer,
    });
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullState.changed(update);
    if (!isOrigin(origin) || origin.source === 'load') return;
    if (origin.source === 'socket' && this.held) {
      this.held.push({ update }); // relayed after the commit
      return;
    }
    this.relay(update, null);
  };

  /** Send an update to every local peer but `from`; publish it on the bus when it came from a socket. */
  private relay(update: Uint8Array, from: Peer | null, seq?: number): void {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MessageType.sync);
    syncProtocol.writeUpdate(enc, update);
    const msg = encoding.toUint8Array(enc);
    for (const p of this.peers) if (p !== from) p.send(msg);
    if (from) this.deps.bus.publish({ kind: 'doc-update', doc: this.name, payload: update, seq });
  }

  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const all = this.awarenessMessage(changed);
    for (const p of this.peers) {
      // Hide states of people who may not be seen by this peer (blocked, pending request).
      const visible = this.visibleClients(p.userId, changed);
      if (visible.length === changed.length) p.send(all);
      else if (visible.length > 0) p.send(this.awarenessMessage(visible));
    }
    if (!isOrigin(origin) || origin.source !== 'bus') {
      const payload = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      this.deps.bus.publish({ kind: 'awareness', doc: this.name, payload });
    }
  };

  private readonly onBusMessage = (m: BusMessage): void => {
    const origin: TransactionOrigin = { source: 'bus' };
    if (m.kind === 'doc-update') {
      Y.applyUpdate(this.doc, m.payload, origin);
      this.acks.committed.add(m.payload); // the publishing server stored it before publishing
      if (m.seq !== undefined) this.merged.add(m.seq); // in our document now: ours to compact
    } else awarenessProtocol.applyAwarenessUpdate(this.awareness, m.payload, origin);
  };

  /**
   * Apply every stored row this room has not seen (another process stored it and its bus
   * message was lost or came before we subscribed). Rows are applied like bus updates:
   * relayed to the peers here, never stored again.
   */
  resync(): void {
    if (this.resyncing || this.destroyed) return;
    this.resyncing = true;
    void (async () => {
      try {
        const rows = await this.deps.store.loadUpdates(this.name);
        if (this.destroyed) return;
        const origin: TransactionOrigin = { source: 'bus' };
        for (const row of rows) {
          if (this.merged.has(row.seq)) continue;
          Y.applyUpdate(this.doc, row.data, origin);
          this.acks.committed.add(row.data);
          this.merged.add(row.seq);
        }
      } catch (e) {
        this.deps.log.warn('resync from the log failed', { doc: this.name, error: String(e) });
      } finally {
        this.resyncing = false;
      }
    })();
  }

  private awarenessMessage(clients: number[]): Uint8Array {
    return frame(
      MessageType.awareness,
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients),
    );
  }

  private scheduleCompaction(delayMs: number): void {
    if (this.compactTimer) return;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      this.compact();
    }, delayMs);
    this.compactTimer.unref();
  }

  /** Replace the stored log with one update; deleted content is gone from disk after this. */
  compact(): void {
    if (this.storedUpdates <= 1 || this.broken || this.destroyed) return;
    const snapshot = this.fullState.snapshot();
    const merged = [...this.merged];
    this.merged = new Set(); // rows stored from now on; the snapshot's own joins when it is written
    this.storedUpdates = 1;
    const done = (seq: number): void => void this.merged.add(seq);
    const failed = (e: unknown): void => {
      for (const seq of merged) this.merged.add(seq); // nothing was deleted
      this.deps.log.error('compaction failed', { doc: this.name, error: String(e) });
    };
    try {
      const seq = this.deps.store.replaceWithSnapshot(this.name, snapshot, merged);
      if (seq instanceof Promise) seq.then(done, failed);
      else done(seq);
    } catch (e) {
      failed(e);
    }
  }

  /** Compact and release everything; the room is unusable afterwards. */
  destroy(): void {
    if (this.compactTimer) {
      clearTimeout(this.compactTimer);
      this.compactTimer = null;
    }
    this.compact();
    this.destroyed = true;
    this.unsubscribeBus();
    this.unsubscribeGap?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** Who of the two participants may see the other (`viewer>subject`). */
export async function loadSees(
  participants: readonly [string, string],
  visible: (viewer: string, subject: string) => Promise<boolean>,
): Promise<Map<string, boolean>> {
  const [a, b] = participants;
  const [ab, ba] = await Promise.all([visible(a, b), visible(b, a)]);
  return new Map([
    [`${a}>${b}`, ab],
    [`${b}>${a}`, ba],
  ]);
}

function frame(type: number, payload: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, type);
  encoding.writeVarUint8Array(enc, payload);
  return encoding.toUint8Array(enc);
}
