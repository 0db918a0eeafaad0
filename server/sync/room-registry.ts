/**
 * Open rooms by document name: loaded from the storage on first connection (once, however
 * many sockets ask at the same time), unloaded (compacted) a little after the last leaves.
 */
import { Room, loadSees, type RoomDeps, type RoomLoad } from './room';

/** How long an empty room stays loaded: socket churn (reloads, reconnects) reuses it. */
const UNLOAD_AFTER_MS = 3000;

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloadTimers = new Map<Room, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: RoomDeps) {}

  /**
   * The loaded room for `doc`, loading it from the storage when needed.
   * `epoch` is the document's, `liveEpoch` the conversation's (lower epochs are sealed).
   */
  async getOrLoad(
    doc: string,
    conversationId: string,
    participants: readonly [string, string],
    epoch = 0,
    liveEpoch = epoch,
  ): Promise<Room> {
    const open = this.rooms.get(doc);
    if (open && !open.failed) {
      this.keep(open);
      return open;
    }
    if (open) {
      // A write failed there (the database was unreachable): its memory holds changes that
      // are not stored. Drop it and read the document again; clients resend what is missing.
      this.rooms.delete(doc);
      this.keep(open);
      open.destroy();
    }
    let pending = this.loading.get(doc);
    if (!pending) {
      pending = this.load(doc, conversationId, participants, epoch, liveEpoch).finally(() =>
        this.loading.delete(doc),
      );
      this.loading.set(doc, pending);
    }
    const room = await pending;
    this.keep(room);
    return room;
  }

  private async load(
    doc: string,
    conversationId: string,
    participants: readonly [string, string],
    epoch: number,
    liveEpoch: number,
  ): Promise<Room> {
    const { store, conversations } = this.deps;
    const [updates, clients, received, messages, sees] = await Promise.all([
      store.loadUpdates(doc),
      store.loadClients(doc),
      conversations.received(doc),
      conversations.messageFactsNow ? null : conversations.messageFactsOf(conversationId),
      loadSees(participants, this.deps),
    ]);
    const loaded: RoomLoad = { updates, clients, received, messages, sees };
    const room = new Room(doc, conversationId, participants, this.deps, loaded, epoch, liveEpoch);
    this.rooms.set(doc, room);
    return room;
  }

  private keep(room: Room): void {
    const timer = this.unloadTimers.get(room);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(room);
    }
  }

  get(doc: string): Room | undefined {
    return this.rooms.get(doc);
  }

  /** The room has no peers left: unload it soon, unless someone joins meanwhile. */
  release(room: Room): void {
    if (room.peers.size > 0 || this.rooms.get(room.name) !== room) return;
    if (this.unloadTimers.has(room)) return;
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room);
      if (room.peers.size > 0 || this.rooms.get(room.name) !== room) return;
      this.rooms.delete(room.name);
      room.destroy();
    }, UNLOAD_AFTER_MS);
    timer.unref();
    this.unloadTimers.set(room, timer);
  }

  /** Every loaded room (policy refreshes). */
  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  get size(): number {
    return this.rooms.size;
  }

  /** Compact and drop every room (shutdown). */
  closeAll(): void {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
  }
}
