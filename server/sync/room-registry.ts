/** Open rooms by document name: loaded on first connection, unloaded (compacted) after the last leaves. */
import { Room, type RoomDeps } from './room';

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();

  constructor(private readonly deps: RoomDeps) {}

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
    if (!room) {
      room = new Room(doc, conversationId, participants, this.deps, epoch, liveEpoch);
      this.rooms.set(doc, room);
    }
    return room;
  }

  get(doc: string): Room | undefined {
    return this.rooms.get(doc);
  }

  /** Unload the room when it has no peers left. */
  release(room: Room): void {
    if (room.peers.size > 0 || this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    room.destroy();
  }

  get size(): number {
    return this.rooms.size;
  }

  /** Compact and drop every room (shutdown). */
  closeAll(): void {
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
  }
}
