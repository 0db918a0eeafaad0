/**
 * Group commit: the writes queued during one event-loop turn are committed in one SQLite
 * transaction (each in its own savepoint, so one failing write fails only itself), and
 * their `done` callbacks — relay, acknowledge — run after the commit. No disk round trip
 * per message, and still "persist before relay".
 *
 * `minGapMs` (0 by default: every turn) spaces commits at least that far apart, so that
 * under load the writes of the gap share one commit. Measured (docs/benchmarks.md): 4 ms
 * saved little CPU at 2,000 msg/s (a batch of messages to different conversations dirties
 * as many pages as separate commits) and cost a serial sender 4 ms per message.
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

  constructor(
    db: Db,
    private readonly log: Logger,
    private readonly minGapMs = 0,
  ) {
    const one = db.transaction((job: Job) => job.write());
    this.commit = db.transaction((jobs: Job[]) =>
      jobs.map((job) => {
        try {
          one(job); // nested: a savepoint
          return null;
        } catch (error) {
          return error ?? new Error('write failed');
        }
      }),
    );
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
