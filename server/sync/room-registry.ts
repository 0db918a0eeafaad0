/**
 * Open rooms by document name: loaded on first connection, unloaded (compacted) a moment
 * after the last peer leaves.
 */
import { Room, type RoomDeps } from './room';

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly unloads = new Map<Room, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly deps: RoomDeps,
    /**
     * How long an empty room stays loaded. Loading and compacting cost time in the size of
     * the document, so a socket opened and closed in a loop must not repeat them each time.
     */
    private readonly unloadDelayMs = 3000,
  ) {}

  /**
   * The loaded room for `doc`, loading it synchronously from the store when needed.
   * `epoch` is the document's, `liveEpoch` the conversation's (lower epochs are sealed).
   */
  getOrLoad(
    doc: string,
    conversationId: string,
    participants: readonly [string, string],
    epoch = 0,
    liveEpoch = epoch,
  ): Room {
    let room = this.rooms.get(doc);
    if (room) this.cancelUnload(room);
    else {
      room = new Room(doc, conversationId, participants, this.deps, epoch, liveEpoch);
      this.rooms.set(doc, room);
    }
    return room;
  }

  get(doc: string): Room | undefined {
    return this.rooms.get(doc);
  }

  /** Unload the room after `unloadDelayMs` if it still has no peers then. */
  release(room: Room): void {
    if (room.peers.size > 0 || this.rooms.get(room.name) !== room || this.unloads.has(room)) return;
    const timer = setTimeout(() => {
      this.unloads.delete(room);
      if (room.peers.size > 0 || this.rooms.get(room.name) !== room) return;
      this.rooms.delete(room.name);
      room.destroy();
    }, this.unloadDelayMs);
    timer.unref();
    this.unloads.set(room, timer);
  }

  private cancelUnload(room: Room): void {
    const timer = this.unloads.get(room);
    if (timer) clearTimeout(timer);
    this.unloads.delete(room);
  }

  get size(): number {
    return this.rooms.size;
  }

  /** Compact and drop every room (shutdown). */
  closeAll(): void {
    for (const timer of this.unloads.values()) clearTimeout(timer);
    this.unloads.clear();
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
  }
}
