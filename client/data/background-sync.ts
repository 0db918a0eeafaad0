/**
 * Brings every conversation with new activity onto this device while the app is open
 * and online, so that a message that arrived while you looked at another conversation
 * (or at none) can be read later offline. The conversation list says which conversations
 * changed (`activity`, kept live by the server's event stream); each one newer than what
 * was last synced here is opened through the repo (IndexedDB, then the socket), kept
 * until the server's sync step arrives, and released — at most `concurrency` at a time,
 * so a long list never means one socket per conversation.
 *
 * What was synced is remembered per user (`parley:<userId>:synced`), so a reload does not
 * resync everything; the key goes with the user's other data on sign-out.
 */
import type { ConversationSummary } from '../../shared/api';
import type { ConversationRepo } from './conversation-repo';
import type { Subscribable } from './store';

export interface BackgroundSyncOptions {
  userId: string;
  /** The conversation list (`Inbox`). */
  inbox: Subscribable<{ conversations: readonly ConversationSummary[] }>;
  repo: Pick<ConversationRepo, 'open'>;
  /** How many conversations sync at once; 2 by default. */
  concurrency?: number;
  /** Give up on one conversation after this long (it is retried later); 30 s by default. */
  timeoutMs?: number;
  storage?: Storage | null;
  window?: Window | null;
}

export const syncedKey = (userId: string): string => `parley:${userId}:synced`;

interface Job {
  id: string;
  doc: string;
  activity: number;
}

export class BackgroundSync {
  private readonly storage: Storage | null;
  private readonly win: Window | null;
  /** Conversation id -> the activity the device is known to hold. */
  private readonly synced: Map<string, number>;
  private readonly queue = new Map<string, Job>();
  private readonly running = new Map<string, Job>();
  private unsubscribe: (() => void) | null = null;
  private stopped = true;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: BackgroundSyncOptions) {
    this.storage =
      opts.storage !== undefined
        ? opts.storage
        : typeof localStorage === 'undefined'
          ? null
          : localStorage;
    this.win =
      opts.window !== undefined ? opts.window : typeof window === 'undefined' ? null : window;
    this.synced = this.readMarks();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.opts.inbox.subscribe(() => this.scan());
    this.win?.addEventListener('online', this.pump);
    this.scan();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.win?.removeEventListener('online', this.pump);
    this.queue.clear();
  }

  /** Resolves when nothing is queued or running (tests). */
  idle(): Promise<void> {
    if (this.queue.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Queue every conversation whose activity is newer than what this device holds. */
  private scan(): void {
    if (this.stopped) return;
    for (const c of this.opts.inbox.snapshot.conversations) {
      if (c.activity <= (this.synced.get(c.id) ?? -1)) continue;
      const running = this.running.get(c.id);
      if (running && running.activity >= c.activity) continue;
      this.queue.set(c.id, { id: c.id, doc: c.doc, activity: c.activity });
    }
    this.pump();
  }

  private readonly pump = (): void => {
    if (this.stopped) return;
    const online = this.win?.navigator.onLine ?? true;
    const limit = this.opts.concurrency ?? 2;
    while (online && this.running.size < limit) {
      const next = [...this.queue.values()].find((j) => !this.running.has(j.id));
      if (!next) break;
      this.queue.delete(next.id);
      this.running.set(next.id, next);
      void this.run(next).finally(() => {
        this.running.delete(next.id);
        this.pump();
        if (this.queue.size === 0 && this.running.size === 0) {
          for (const fn of this.idleWaiters.splice(0)) fn();
        }
      });
    }
  };

  /** Open the conversation until the server's sync step has arrived, then release it. */
  private async run(job: Job): Promise<void> {
    const handle = this.opts.repo.open({ id: job.id, doc: job.doc });
    const conversation = handle.conversation;
    try {
      const ok = await new Promise<boolean>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | null = null;
        const check = (): void => {
          const { status } = conversation.snapshot;
          if (status === 'synced' || status === 'forbidden' || status === 'unauthenticated') {
            finish(status === 'synced');
          } else if (status === 'offline' || this.stopped) {
            finish(false);
          }
        };
        const unsubscribe = conversation.subscribe(check);
        const finish = (result: boolean): void => {
          unsubscribe();
          if (timer) clearTimeout(timer);
          resolve(result);
        };
        timer = setTimeout(() => finish(false), this.opts.timeoutMs ?? 30_000);
        check();
      });
      if (ok && !this.stopped) {
        this.synced.set(job.id, Math.max(job.activity, this.synced.get(job.id) ?? -1));
        this.writeMarks();
      }
    } finally {
      handle.release();
    }
  }

  private readMarks(): Map<string, number> {
    try {
      const raw = this.storage?.getItem(syncedKey(this.opts.userId));
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      if (typeof parsed !== 'object' || parsed === null) return new Map();
      return new Map(
        Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number'),
      );
    } catch {
      return new Map();
    }
  }

  private writeMarks(): void {
    try {
      this.storage?.setItem(
        syncedKey(this.opts.userId),
        JSON.stringify(Object.fromEntries(this.synced)),
      );
    } catch {
      // Full or disabled storage: we only resync more than needed after a reload.
    }
  }
}
