/**
 * Group commit: the document writes queued during one event-loop turn are committed as one
 * batch (`Storage.commit`: one transaction, a savepoint per write, so one failing write
 * fails only itself), and their `done` callbacks — relay, acknowledge — run after the
 * commit. No disk round trip per message, and still "persist before relay".
 *
 * `minGapMs` spaces commits at least that far apart (config `commitGapMs`, 5 ms): a write
 * arriving when the last commit is older commits in the next turn, so a quiet server adds
 * no latency; under load the writes of the gap share one commit, and every commit
 * rewrites its pages into the WAL. Measured (`npm run bench -- ramp`, docs/benchmarks.md):
 * 690 → 588 µs of server CPU per message at 1,000 msg/s, 390 → 370 at 2,000, for 2–3 ms of
 * median latency. A client that waits for each ack before its next write (the history
 * bench's seeder) waits up to the gap per write.
 *
 * With an asynchronous storage (PostgreSQL) one batch is in flight at a time; what arrives
 * meanwhile forms the next batch, committed when the first has finished, so callbacks still
 * run in write order.
 */
import type { Logger } from '../logger';
import type { Awaitable, DocWrite, WriteResult } from './storage';

interface Job {
  write: DocWrite;
  done: (seq: number) => void;
  failed: (error: unknown) => void;
}

export class WriteBatcher {
  private jobs: Job[] = [];
  private scheduled = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastCommit = 0;
  /** The batch being committed by an asynchronous storage, if any. */
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly commit: (writes: readonly DocWrite[]) => Awaitable<WriteResult[]>,
    private readonly log: Logger,
    private readonly minGapMs = 0,
  ) {}

  /** Queue `write` for this turn's batch; `done` runs after it commits, `failed` if it did not. */
  add(write: DocWrite, done: (seq: number) => void, failed: (error: unknown) => void): void {
    this.jobs.push({ write, done, failed });
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    const wait = this.lastCommit + this.minGapMs - performance.now();
    if (wait <= 0) setImmediate(this.flushNow);
    else this.timer = setTimeout(this.flushNow, Math.ceil(wait));
  }

  private readonly flushNow = (): void => {
    void this.flush();
  };

  /** Commit everything queued now (also called at shutdown); resolves when it is durable. */
  async flush(): Promise<void> {
    this.scheduled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.inFlight) await this.inFlight;
    const jobs = this.jobs;
    this.jobs = [];
    if (jobs.length === 0) return;
    this.lastCommit = performance.now();
    let results: Awaitable<WriteResult[]>;
    try {
      results = this.commit(jobs.map((j) => j.write));
    } catch (error) {
      results = this.failAll(jobs, error);
    }
    if (!(results instanceof Promise)) {
      this.settle(jobs, results);
      return;
    }
    const batch = results.then(
      (r) => this.settle(jobs, r),
      (error: unknown) => this.settle(jobs, this.failAll(jobs, error)),
    );
    this.inFlight = batch.finally(() => {
      this.inFlight = null;
      if (this.jobs.length > 0) this.schedule();
    });
    await this.inFlight;
  }

  private failAll(jobs: Job[], error: unknown): WriteResult[] {
    this.log.error('batch commit failed', { jobs: jobs.length, error: String(error) });
    return jobs.map(() => ({ ok: false, error }));
  }

  private settle(jobs: Job[], results: WriteResult[]): void {
    jobs.forEach((job, i) => {
      const r = results[i] ?? { ok: false, error: new Error('no result') };
      try {
        if (r.ok) job.done(r.seq);
        else job.failed(r.error);
      } catch (e) {
        this.log.error('after-commit callback failed', { error: String(e) });
      }
    });
  }
}
