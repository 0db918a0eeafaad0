/**
 * Group commit: the writes queued during one event-loop turn are committed in one SQLite
 * transaction (each in its own savepoint, so one failing write fails only itself), and
 * their `done` callbacks — relay, acknowledge — run after the commit. No disk round trip
 * per message, and still "persist before relay".
 *
 * `minGapMs` spaces commits at least that far apart (config `commitGapMs`, 5 ms): a write
 * arriving when the last commit is older commits in the next turn, so a quiet server adds
 * no latency; under load the writes of the gap share one commit, and every commit
 * rewrites its pages into the WAL. Measured (`npm run bench -- ramp`, docs/benchmarks.md):
 * 690 → 588 µs of server CPU per message at 1,000 msg/s, 390 → 370 at 2,000, for 2–3 ms of
 * median latency. A client that waits for each ack before its next write (the history
 * bench's seeder) waits up to the gap per write.
 */
import type { Db } from './database';
import type { Logger } from '../logger';

interface Job {
  write: () => void;
  done: () => void;
  failed: (error: unknown) => void;
}

export class WriteBatcher {
  private jobs: Job[] = [];
  private scheduled = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastCommit = 0;
  private readonly commit: (jobs: Job[]) => unknown[];
  private readonly hooks: (() => void)[] = [];

  constructor(
    db: Db,
    private readonly log: Logger,
    private readonly minGapMs = 0,
  ) {
    const one = db.transaction((job: Job) => job.write());
    this.commit = db.transaction((jobs: Job[]) => {
      const errors = jobs.map((job) => {
        try {
          one(job); // nested: a savepoint
          return null;
        } catch (error) {
          return error ?? new Error('write failed');
        }
      });
      for (const hook of this.hooks) hook();
      return errors;
    });
  }

  /**
   * Run `hook` in every batch's transaction after its writes: for totals the writes only
   * accumulate (one statement per batch instead of one per write). If it throws, the
   * whole batch fails.
   */
  beforeCommit(hook: () => void): void {
    this.hooks.push(hook);
  }

  /** Queue `write` for this turn's transaction; `done` runs after it commits, `failed` if it did not. */
  add(write: () => void, done: () => void, failed: (error: unknown) => void): void {
    this.jobs.push({ write, done, failed });
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastCommit + this.minGapMs - performance.now();
    if (wait <= 0) setImmediate(this.flushNow);
    else this.timer = setTimeout(this.flushNow, Math.ceil(wait));
  }

  private readonly flushNow = (): void => this.flush();

  /** Commit everything queued now (also called at shutdown). */
  flush(): void {
    this.scheduled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const jobs = this.jobs;
    this.jobs = [];
    if (jobs.length === 0) return;
    this.lastCommit = performance.now();
    let errors: unknown[];
    try {
      errors = this.commit(jobs);
    } catch (error) {
      this.log.error('batch commit failed', { jobs: jobs.length, error: String(error) });
      errors = jobs.map(() => error);
    }
    jobs.forEach((job, i) => {
      const error = errors[i];
      try {
        if (error) job.failed(error);
        else job.done();
      } catch (e) {
        this.log.error('after-commit callback failed', { error: String(e) });
      }
    });
  }
}
