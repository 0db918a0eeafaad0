/**
 * Presence across the processes of a cluster. Each process counts its own connections
 * (LocalPresence, with its grace) and keeps the users it holds in a Redis set beside a
 * heartbeat key with a TTL; `isOnline` is answered from a local mirror of the union of
 * every process's set, kept current by `presence` signals and by a periodic refresh that
 * also reaps the sets of processes whose heartbeat expired (docs/architecture.md).
 */
import { randomBytes } from 'node:crypto';
import type { RedisClientType } from 'redis';
import { LocalPresence, type Presence } from '../presence';
import type { UserStore } from '../store/user-store';
import type { Signals } from './signals';

export interface RedisPresenceOptions {
  /** A connected client (commands only, no subscriptions); the caller closes it. */
  client: RedisClientType;
  /** Prefix of every key (REDIS_PREFIX). */
  prefix: string;
  users: UserStore;
  /** Carries `presence` signals: "recompute this user and push if it changed". */
  signals: Signals;
  /** How long after this process's last connection of a user closes it lets go (as LocalPresence). */
  graceMs: number;
  /** A process whose heartbeat is older than this is dead; beats and refreshes every third of it. */
  ttlMs: number;
  onError?: (what: string, error: unknown) => void;
}

export class RedisPresence implements Presence {
  private readonly instance = randomBytes(9).toString('base64url');
  private readonly local: LocalPresence;
  /** Users this process holds (connected here, or within the grace): its Redis set. */
  private readonly held = new Set<string>();
  /** Users found in some process's set at the last read. */
  private readonly remote = new Set<string>();
  /** Users last announced online to the listeners. */
  private readonly announced = new Set<string>();
  private readonly listeners = new Set<(userId: string, online: boolean) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: () => void = () => undefined;
  private ticking = false;
  private closed = false;

  private constructor(private readonly o: RedisPresenceOptions) {
    this.local = new LocalPresence(o.users, o.graceMs);
    this.local.onChange((userId, online) => this.localChanged(userId, online));
  }

  /** Register this process, read who is online now (silently: no stream is open yet), start beating. */
  static async start(options: RedisPresenceOptions): Promise<RedisPresence> {
    const p = new RedisPresence(options);
    await p.beat();
    await p.refresh(false);
    p.unsubscribe = options.signals.subscribe((s) => {
      if (s.kind === 'presence') void p.recompute(s.userId);
    });
    p.timer = setInterval(() => void p.tick(), Math.floor(options.ttlMs / 3));
    p.timer.unref();
    return p;
  }

  private key(what: 'set' | 'beat' | 'reap', instance = this.instance): string {
    const name = { set: 'presence', beat: 'instance', reap: 'presence-reap' }[what];
    return `${this.o.prefix}${name}:${instance}`;
  }

  private get registry(): string {
    return `${this.o.prefix}presence-instances`;
  }

  connected(userId: string): void {
    this.local.connected(userId);
  }

  disconnected(userId: string): void {
    this.local.disconnected(userId);
  }

  isOnline(userId: string): boolean {
    return this.local.isOnline(userId) || this.remote.has(userId);
  }

  count(userId: string): number {
    return this.local.count(userId);
  }

  onChange(fn: (userId: string, online: boolean) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Shutdown: write last seen for pending leavers, withdraw this process, let the others recompute. */
  async flush(): Promise<void> {
    if (this.closed) return;
    await this.local.flush();
    this.closed = true;
    // Users still connected here (sockets not closed first) leave now too: write their last seen.
    const now = Date.now();
    await Promise.all(
      [...this.held].filter((u) => this.local.count(u) > 0).map((u) => this.saveLastSeen(u, now)),
    );
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe();
    const { client } = this.o;
    try {
      await Promise.all([
        client.del([this.key('set'), this.key('beat')]),
        client.sRem(this.registry, this.instance),
      ]);
      for (const userId of this.held) this.o.signals.publish({ kind: 'presence', userId });
    } catch (e) {
      this.fail('withdrawing presence', e); // the others reap this process after the TTL
    }
  }

  /** This process started or stopped holding `userId`: update its set first, then tell everyone. */
  private localChanged(userId: string, online: boolean): void {
    if (this.closed) return;
    if (online) this.held.add(userId);
    else this.held.delete(userId);
    const { client } = this.o;
    const write = online
      ? client.sAdd(this.key('set'), userId)
      : client.sRem(this.key('set'), userId);
    // Publish after the write so every process (this one included) reads the new set.
    void write
      .catch((e: unknown) => this.fail('writing presence', e))
      .then(() => this.o.signals.publish({ kind: 'presence', userId }));
  }

  /** Is `userId` in any process's set? Then announce the answer if it changed. */
  private async recompute(userId: string): Promise<void> {
    if (this.closed) return;
    try {
      const { client } = this.o;
      const instances = await client.sMembers(this.registry);
      const hits = await Promise.all(
        instances.map((i) => client.sIsMember(this.key('set', i), userId)),
      );
      if (hits.some((h) => h === 1)) this.remote.add(userId);
      else this.remote.delete(userId);
    } catch (e) {
      // Redis unreachable: answer from what this process knows and the last mirror.
      this.fail('reading presence', e);
    }
    this.settle(userId, true);
  }

  private settle(userId: string, notify: boolean): void {
    if (this.closed) return;
    const online = this.isOnline(userId);
    if (online === this.announced.has(userId)) return;
    if (online) this.announced.add(userId);
    else this.announced.delete(userId);
    if (notify) for (const fn of [...this.listeners]) fn(userId, online);
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      await this.beat();
      await this.refresh(true);
    } catch (e) {
      this.fail('presence heartbeat', e);
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Refresh the heartbeat. If it had expired (Redis lost it, or this process was too slow),
   * another process may have reaped this one: re-register and rewrite the set. A set whose
   * size differs from what this process holds is rewritten too (a reap that raced a beat).
   */
  private async beat(): Promise<void> {
    const { client } = this.o;
    const previous = await client.set(this.key('beat'), String(Date.now()), {
      expiration: { type: 'PX', value: this.o.ttlMs },
      GET: true,
    });
    await client.sAdd(this.registry, this.instance);
    if (this.held.size === 0) return;
    const stored = await client.sCard(this.key('set'));
    if (previous !== null && stored === this.held.size) return;
    await client.sAdd(this.key('set'), [...this.held]);
    for (const userId of this.held) this.o.signals.publish({ kind: 'presence', userId });
  }

  /**
   * Reap dead processes, then rebuild the mirror from every remaining set and announce the
   * differences (a lost signal is corrected here, within a third of the TTL).
   */
  private async refresh(notify: boolean): Promise<void> {
    const { client } = this.o;
    const instances = await client.sMembers(this.registry);
    const beats = await Promise.all(instances.map((i) => client.exists(this.key('beat', i))));
    for (const [k, i] of instances.entries())
      if (beats[k] === 0 && i !== this.instance) await this.reap(i);
    // A dead set another process is reaping still counts until it is gone: its reaper
    // writes last seen before deleting it, so nobody pushes "offline" without it.
    const sets = await Promise.all(instances.map((i) => client.sMembers(this.key('set', i))));
    const union = new Set(sets.flat());
    const touched = new Set([...this.remote, ...union]);
    this.remote.clear();
    for (const u of union) this.remote.add(u);
    for (const u of touched) this.settle(u, notify);
  }

  /** One process (the first to take the lock) writes last seen for a dead process's users and drops its set. */
  private async reap(instance: string): Promise<void> {
    const { client } = this.o;
    const won = await client.set(this.key('reap', instance), this.instance, {
      condition: 'NX',
      expiration: { type: 'PX', value: this.o.ttlMs * 2 },
    });
    if (won !== 'OK') return;
    const users = await client.sMembers(this.key('set', instance));
    const now = Date.now();
    await Promise.all(users.map((u) => this.saveLastSeen(u, now)));
    await client.del(this.key('set', instance));
    await client.sRem(this.registry, instance);
    for (const userId of users) this.o.signals.publish({ kind: 'presence', userId });
  }

  /** Best effort, as in LocalPresence: a failed write loses the time, never the sign of life. */
  private async saveLastSeen(userId: string, at: number): Promise<void> {
    try {
      await this.o.users.setLastSeen(userId, at);
    } catch (e) {
      this.fail('writing last seen', e);
    }
  }

  private fail(what: string, error: unknown): void {
    this.o.onError?.(what, error);
  }
}
