/**
 * One answer to "are we connected?" for the connection indicator, from the browser's
 * online flag, the open conversations' sync status and whether the API answers.
 */
import type { SyncStatus } from './conversation-sync';
import { SnapshotStore } from './store';

export type Connectivity = 'online' | 'connecting' | 'offline';

export class ConnectivityStore extends SnapshotStore<Connectivity> {
  private statuses: readonly SyncStatus[] = [];
  private http: boolean | null = null;
  private readonly win: Window | null;

  constructor(win: Window | null = typeof window === 'undefined' ? null : window) {
    super('connecting');
    this.win = win;
    win?.addEventListener('online', this.update);
    win?.addEventListener('offline', this.update);
  }

  /** The sync status of every open conversation. */
  setConversationStatuses(statuses: Iterable<SyncStatus>): void {
    this.statuses = [...statuses];
    this.update();
  }

  /** Whether the last HTTP request got an answer from the server. */
  reportHttp(reachable: boolean): void {
    this.http = reachable;
    this.update();
  }

  private readonly update = (): void => {
    this.set(this.compute());
  };

  private compute(): Connectivity {
    if (this.win && !this.win.navigator.onLine) return 'offline';
    // Sockets that the server closed for good say nothing about the network.
    const live = this.statuses.filter((s) => s !== 'unauthenticated' && s !== 'forbidden');
    if (live.length > 0) {
      if (live.includes('synced')) return 'online';
      if (live.includes('connecting') || live.includes('loading-local')) return 'connecting';
      return 'offline';
    }
    if (this.http === null) return 'connecting';
    return this.http ? 'online' : 'offline';
  }

  dispose(): void {
    this.win?.removeEventListener('online', this.update);
    this.win?.removeEventListener('offline', this.update);
  }
}
