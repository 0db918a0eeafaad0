/**
 * Admin signals in embedded mode: the admin CLI is a separate process from the server, with
 * no Redis between them, so it writes each signal into the `admin_signals` table of the
 * shared SQLite file and the server polls it every second (one indexed read: cheap), then
 * acts on it as on any signal (close a disabled user's sockets and streams, refresh
 * summaries). Rows older than an hour are removed by the poller.
 */
import type { Db } from '../store/database';
import { parseSignal, type Signal, type Signals } from '../cluster/signals';
import type { Logger } from '../logger';

/** Queue `signal` for the running server (the CLI's side). */
export function writeAdminSignal(db: Db, signal: Signal): void {
  db.prepare('INSERT INTO admin_signals (signal, at) VALUES (?, ?)').run(
    JSON.stringify(signal),
    Date.now(),
  );
}

/** The server's side: delivers every signal written after it started, once. */
export class AdminSignalPoller {
  private last: number;
  private readonly timer: NodeJS.Timeout;
  private readonly read;
  private readonly prune;
  private polls = 0;

  constructor(
    db: Db,
    private readonly signals: Signals,
    private readonly log: Logger,
    everyMs = 1000,
  ) {
    this.read = db.prepare<[number], { seq: number; signal: string }>(
      'SELECT seq, signal FROM admin_signals WHERE seq > ? ORDER BY seq LIMIT 1000',
    );
    this.prune = db.prepare<[number]>('DELETE FROM admin_signals WHERE at < ?');
    const top = db.prepare('SELECT max(seq) AS seq FROM admin_signals').get() as {
      seq: number | null;
    };
    this.last = top.seq ?? 0;
    this.timer = setInterval(() => this.poll(), everyMs);
    this.timer.unref();
  }

  /** Deliver what arrived since the last poll (also called by tests). */
  poll(): void {
    try {
      for (const row of this.read.all(this.last)) {
        this.last = row.seq;
        let raw: unknown;
        try {
          raw = JSON.parse(row.signal);
        } catch {
          continue;
        }
        const signal = parseSignal(raw);
        if (signal) this.signals.publish(signal);
      }
      if (++this.polls % 600 === 0) this.prune.run(Date.now() - 3600_000);
    } catch (e) {
      this.log.warn('reading admin signals failed', { error: String(e) });
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
