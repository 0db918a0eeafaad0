/**
 * Who is online, as last heard: from the user-level event stream's `presence` events
 * and from every directory entry the API returns (conversation list, contacts, search).
 * Whichever arrived last wins, so a view can overlay this on any `DirectoryUser` it holds.
 */
import type { DirectoryUser } from '../../shared/api';
import { SnapshotStore } from './store';

export interface PresenceInfo {
  online: boolean;
  /** Epoch ms of the last disconnect, or null when never seen or hidden. */
  lastSeen: number | null;
}

export class Presence extends SnapshotStore<ReadonlyMap<string, PresenceInfo>> {
  /** False while this device is offline: then nobody's status is known (finding 7). */
  private reachable = true;

  constructor() {
    super(new Map());
  }

  /**
   * Whether this device reaches the server. Offline, `resolve` shows everyone as unknown
   * (not online, no last seen) rather than as they were when the connection went.
   */
  setReachable(reachable: boolean): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    this.set(new Map(this.snapshot));
  }

  /** Record what the server said about one person. */
  apply(userId: string, info: PresenceInfo): void {
    this.merge([[userId, info]]);
  }

  /** Record the presence carried by directory entries fetched from the API. */
  learn(users: Iterable<DirectoryUser>): void {
    const entries: [string, PresenceInfo][] = [];
    for (const u of users) entries.push([u.id, { online: u.online, lastSeen: u.lastSeen }]);
    this.merge(entries);
  }

  /** `user` with the freshest presence known for them; unknown (neither) while offline. */
  resolve<T extends DirectoryUser>(user: T): T {
    if (!this.reachable)
      return user.online || user.lastSeen !== null ? { ...user, online: false, lastSeen: null } : user;
    const info = this.snapshot.get(user.id);
    if (!info || (info.online === user.online && info.lastSeen === user.lastSeen)) return user;
    return { ...user, online: info.online, lastSeen: info.lastSeen };
  }

  private merge(entries: [string, PresenceInfo][]): void {
    let next: Map<string, PresenceInfo> | null = null;
    for (const [id, info] of entries) {
      const known = (next ?? this.snapshot).get(id);
      if (known && known.online === info.online && known.lastSeen === info.lastSeen) continue;
      next ??= new Map(this.snapshot);
      next.set(id, { online: info.online, lastSeen: info.lastSeen });
    }
    if (next) this.set(next);
  }
}
