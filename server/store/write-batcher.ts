/**
 * Group commit: the writes queued during one event-loop turn are committed in one SQLite
 * transaction (each in its own savepoint, so one failing write fails only itself), and
 * their `done` callbacks — relay, acknowledge — run after the commit. No disk round trip
 * per message, and still "persist before relay".
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
  private readonly commit: (jobs: Job[]) => unknown[];

  constructor(
    db: Db,
    private readonly log: Logger,
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
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commit everything queued now (also called at shutdown). */
  flush(): void {
    this.scheduled = false;
    const jobs = this.jobs;
    this.jobs = [];
    if (jobs.length === 0) return;
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
