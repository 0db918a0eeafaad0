/**
 * A room's awareness (typing, "here now"): states sanitized and stamped with the server's
 * identity, client ids claimed per user (awareness-only ones in memory), and every change
 * fanned out to the peers allowed to see its owner and to the other processes.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Bus } from '../bus/update-bus';
import { Limits, MessageType } from '../../shared/protocol';
import { frame } from '../../shared/frames';
import { AwarenessClients } from './awareness-clients';
import { isOrigin, type Peer } from './peer';

export interface RoomAwarenessDeps {
  doc: Y.Doc;
  name: string;
  bus: Bus;
  peers: ReadonlySet<Peer>;
  /** The first writer of a client id that wrote document content (durable bindings). */
  writerOf: (client: number) => string | undefined;
  /** May `viewer` see `subject`'s typing and presence? */
  canSee: (viewer: string, subject: string) => boolean;
  /** May `viewer` see `subject`'s presence ("here now")? Without it, `canSee` decides. */
  canSeePresence?: (viewer: string, subject: string) => boolean;
  /** Are typing indicators on in this conversation (both participants have them on)? */
  typingOn?: () => boolean;
  /**
   * A participant connected here started or stopped typing (told on changes only, at most
   * TYPING_RELAYS_PER_MINUTE times a minute per user): the user-level channel relays it.
   */
  onTyping?: (userId: string, typing: boolean) => void;
}

/** Typing changes relayed to the user-level channel per user and room per minute. */
export const TYPING_RELAYS_PER_MINUTE = 30;

export class RoomAwareness {
  readonly awareness: awarenessProtocol.Awareness;
  /** Client ids seen only in awareness (memory only, bounded). */
  private readonly announced = new AwarenessClients();
  /** Per user connected here: typing as last relayed, and when the relays of this minute began. */
  private readonly typing = new Map<string, { on: boolean; since: number; count: number }>();

  constructor(private readonly deps: RoomAwarenessDeps) {
    this.awareness = new awarenessProtocol.Awareness(deps.doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onUpdate);
  }

  /** The user a client id belongs to: its first writer, or who announced it in awareness. */
  ownerOf(client: number): string | undefined {
    return this.deps.writerOf(client) ?? this.announced.ownerOf(client);
  }

  /** May `userId` write document content with `client`? Not when someone else announced it. */
  mayWrite(client: number, userId: string): boolean {
    const by = this.announced.ownerOf(client);
    return by === undefined || by === userId;
  }

  /** `client` wrote document content and is bound durably now. */
  boundDurably(client: number): void {
    this.announced.forget(client);
  }

  /** The current states the joining peer may see. */
  welcome(peer: Peer): void {
    const visible = this.visibleClients(peer.userId, [...this.awareness.getStates().keys()]);
    if (visible.length > 0) peer.send(this.messageFor(peer.userId, visible));
  }

  /** Answer a query for every state (the peer sees those it may). */
  query(peer: Peer): void {
    peer.send(
      this.messageFor(
        peer.userId,
        this.visibleClients(peer.userId, [...this.awareness.getStates().keys()]),
      ),
    );
  }

  /** The peer left: its states go, its announced ids stay its own a while longer. */
  leave(peer: Peer): void {
    if (peer.awarenessClients.size === 0) return;
    if (![...this.deps.peers].some((p) => p !== peer && p.userId === peer.userId))
      this.relayTyping(peer.userId, false);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessClients], null);
    for (const c of peer.awarenessClients)
      if (this.announced.ownerOf(c) === peer.userId) this.announced.release(c);
  }

  /** States from another process (already sanitized there). */
  applyRemote(payload: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, payload, { source: 'bus' });
  }

  /**
   * Apply the peer's own awareness states, sanitized: only `typing` and `viewing` from the
   * client, and `user` stamped by the server. The stock client echoes everyone's states
   * back, so entries for client ids of other users are ignored, not punished.
   */
  handle(peer: Peer, update: Uint8Array): void {
    const dec = decoding.createDecoder(update);
    const count = decoding.readVarUint(dec);
    if (count > 64) throw new Error('too many awareness states');
    const entries: { client: number; clock: number; state: string }[] = [];
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(dec);
      const clock = decoding.readVarUint(dec);
      const raw = decoding.readVarString(dec);
      if (raw.length > Limits.maxAwarenessBytes) throw new Error('awareness state too large');
      const durable = this.deps.writerOf(client);
      if (durable !== undefined && durable !== peer.userId) continue;
      if (durable === undefined && !peer.awarenessClients.has(client)) {
        // A removal of an id this socket does not hold is the stock client's echo of what
        // the server sent it: no claim to the id.
        if (raw === 'null') continue;
        const by = this.announced.ownerOf(client);
        if (by !== undefined && by !== peer.userId) continue;
        if (by === undefined && this.awareness.getStates().has(client)) continue;
        // In memory only: awareness ids come and go with every page load (finding 18).
        if (peer.awarenessClients.size >= 4) continue;
        if (!this.announced.bind(client, peer.userId)) continue;
      }
      peer.awarenessClients.add(client);
      const state = JSON.parse(raw) as unknown;
      const clean =
        state === null || typeof state !== 'object'
          ? null
          : {
              user: { id: peer.userId, name: peer.displayName },
              // Typing off for either participant: nobody's typing goes out (or is seen).
              typing:
                (state as { typing?: unknown }).typing === true && (this.deps.typingOn?.() ?? true),
              viewing: (state as { viewing?: unknown }).viewing === true,
            };
      entries.push({ client, clock, state: JSON.stringify(clean) });
      this.relayTyping(peer.userId, clean?.typing ?? false);
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

  /** Tell `onTyping` about a change of `userId`'s typing, within the relay budget. */
  private relayTyping(userId: string, on: boolean): void {
    if (!this.deps.onTyping) return;
    const now = Date.now();
    const last = this.typing.get(userId) ?? { on: false, since: now, count: 0 };
    if (last.on === on) return;
    if (now - last.since >= 60_000) {
      last.since = now;
      last.count = 0;
    }
    // Over budget, a start is dropped; a stop always goes (nobody stays "typing…").
    if (on && last.count >= TYPING_RELAYS_PER_MINUTE) return;
    last.count++;
    last.on = on;
    this.typing.set(userId, last);
    this.deps.onTyping(userId, on);
  }

  /** The client ids whose owners `viewer` may see. */
  private visibleClients(viewer: string, clients: number[]): number[] {
    return clients.filter((c) => {
      const owner = this.ownerOf(c);
      return owner === undefined || this.deps.canSee(viewer, owner);
    });
  }

  /** True when one of `clients` belongs to someone whose presence `viewer` may not see. */
  private presenceHidden(viewer: string, clients: number[]): boolean {
    const may = this.deps.canSeePresence;
    if (!may) return false;
    return clients.some((c) => {
      const owner = this.ownerOf(c);
      return owner !== undefined && !may(viewer, owner);
    });
  }

  /**
   * The states of `clients` as `viewer` may see them: of someone whose presence is hidden
   * from them (privacy settings), only a "typing" state, without "here now"; any other
   * state reads as gone (an open conversation would say "online").
   */
  private messageFor(viewer: string, clients: number[]): Uint8Array {
    if (!this.presenceHidden(viewer, clients)) return this.message(clients);
    const may = this.deps.canSeePresence ?? (() => true);
    const states = new Map<number, unknown>();
    for (const c of clients) {
      const state = this.awareness.getStates().get(c) as
        { user?: unknown; typing?: unknown } | undefined;
      const owner = this.ownerOf(c);
      if (owner === undefined || may(viewer, owner)) {
        if (state !== undefined) states.set(c, state);
      } else if (state?.typing === true) {
        states.set(c, { user: state.user, typing: true, viewing: false });
      }
    }
    return frame(
      MessageType.awareness,
      awarenessProtocol.encodeAwarenessUpdate(
        this.awareness,
        clients,
        states as Map<number, { [key: string]: unknown }>,
      ),
    );
  }

  private message(clients: number[]): Uint8Array {
    return frame(
      MessageType.awareness,
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients),
    );
  }

  private readonly onUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const all = this.message(changed);
    for (const p of this.deps.peers) {
      // Hide states of people who may not be seen by this peer (blocked, pending request).
      const visible = this.visibleClients(p.userId, changed);
      if (visible.length === changed.length && !this.presenceHidden(p.userId, visible)) p.send(all);
      else if (visible.length > 0) p.send(this.messageFor(p.userId, visible));
    }
    if (!isOrigin(origin) || origin.source !== 'bus') {
      const payload = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      this.deps.bus.publish({ kind: 'awareness', doc: this.deps.name, payload });
    }
  };

  /** Who has this document open and visible on some device, on any process. */
  viewers(): Set<string> {
    const out = new Set<string>();
    for (const state of this.awareness.getStates().values()) {
      const s = state as { user?: { id?: unknown }; viewing?: unknown } | null;
      if (typeof s?.user?.id === 'string' && s.viewing === true) out.add(s.user.id);
    }
    return out;
  }

  destroy(): void {
    this.awareness.destroy();
  }
}
