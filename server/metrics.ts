/**
 * Prometheus metrics (prom-client), one registry per app (tests run several apps in one
 * process). Gauges of what is open are read when scraped; counters and histograms are fed
 * by the room (refusals, gap repairs), the commit path and the Redis bus. Served by
 * server/http/metrics-route.ts (docs/operations.md, "Metrics").
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the gauges read at scrape time. */
export interface MetricSources {
  sockets: () => number;
  rooms: () => number;
  streams: () => number;
}

/** What a room reports (server/sync/room.ts): every refused update, every row repaired. */
export interface RoomObserver {
  refused(reason: 'invalid' | 'client-id' | 'quota'): void;
  /** Rows applied from the log that the bus never delivered (cluster gap repair). */
  repaired(rows: number): void;
}

export class Metrics implements RoomObserver {
  readonly registry = new Registry();
  private readonly accepted: Counter;
  private readonly refusedCount: Counter<'reason'>;
  private readonly commitSeconds: Histogram;
  private readonly busLag: Histogram;
  private readonly repairs: Counter;
  private readonly busGaps: Counter;

  constructor(sources: MetricSources, opts: { cluster: boolean; defaults?: boolean }) {
    const registers = [this.registry];
    if (opts.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: '' });
    new Gauge({
      name: 'parley_websocket_connections',
      help: 'Open WebSocket connections (sync sockets) on this process',
      registers,
      collect() {
        this.set(sources.sockets());
      },
    });
    new Gauge({
      name: 'parley_rooms_loaded',
      help: 'Conversation documents loaded in memory on this process',
      registers,
      collect() {
        this.set(sources.rooms());
      },
    });
    new Gauge({
      name: 'parley_event_streams',
      help: 'Open event streams (/api/events) on this process',
      registers,
      collect() {
        this.set(sources.streams());
      },
    });
    this.accepted = new Counter({
      name: 'parley_messages_accepted_total',
      help: 'New messages stored (accepted updates that added messages), by this process',
      registers,
    });
    this.refusedCount = new Counter({
      name: 'parley_updates_refused_total',
      help: 'Document updates refused: invalid (4400), client-id (a client id of another user), quota (4413)',
      labelNames: ['reason'],
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'parley_commit_seconds',
      help: 'Time to commit one batch of document writes (log, projection) to the database',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.busLag = new Histogram({
      name: 'parley_bus_lag_seconds',
      help: 'Cluster mode: time from another process publishing an update to its arrival here (includes clock differences between machines)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: opts.cluster ? registers : [],
    });
    this.repairs = new Counter({
      name: 'parley_gap_repaired_rows_total',
      help: 'Cluster mode: stored updates a room applied from the log because the bus did not deliver them',
      registers: opts.cluster ? registers : [],
    });
    this.busGaps = new Counter({
      name: 'parley_bus_gaps_total',
      help: 'Cluster mode: Redis reconnects after which every room resynced from the log',
      registers: opts.cluster ? registers : [],
    });
  }

  messagesAccepted(n: number): void {
    if (n > 0) this.accepted.inc(n);
  }

  refused(reason: 'invalid' | 'client-id' | 'quota'): void {
    this.refusedCount.inc({ reason });
  }

  repaired(rows: number): void {
    if (rows > 0) this.repairs.inc(rows);
  }

  busGap(): void {
    this.busGaps.inc();
  }

  busDelivered(lagMs: number): void {
    this.busLag.observe(Math.max(0, lagMs) / 1000);
  }

  /** Time a commit: resolves or returns as `commit` does, observing how long it took. */
  timeCommit<T>(commit: () => T | Promise<T>): T | Promise<T> {
    const end = this.commitSeconds.startTimer();
    let result: T | Promise<T>;
    try {
      result = commit();
    } catch (e) {
      end();
      throw e;
    }
    if (result instanceof Promise) return result.finally(() => end());
    end();
    return result;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
