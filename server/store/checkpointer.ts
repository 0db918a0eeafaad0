/**
 * Moves WAL checkpoints off the commit path: the main connection stops checkpointing
 * (`wal_autocheckpoint = 0`) and a worker thread with its own connection runs a PASSIVE
 * checkpoint every second, so no message commit pays for copying the WAL into the database.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database';
import type { Logger } from '../logger';

// Eval workers are CommonJS; the module path of better-sqlite3 is passed in.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 2000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage(String(e)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export class Checkpointer {
  private worker: Worker | null = null;

  constructor(
    private readonly db: Db,
    file: string,
    log: Logger,
    intervalMs = 1000,
  ) {
    if (file === ':memory:') return;
    try {
      const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
      this.worker = new Worker(WORKER, {
        eval: true,
        workerData: { file, modulePath, intervalMs },
      });
      this.worker.on('message', (m: string) => log.warn('checkpoint failed', { error: m }));
      this.worker.on('error', (e) => {
        log.warn('checkpoint worker stopped; checkpointing on commits again', { error: String(e) });
        this.worker = null;
        db.pragma('wal_autocheckpoint = 1000');
      });
      this.worker.unref();
      db.pragma('wal_autocheckpoint = 0');
    } catch (e) {
      log.warn('no checkpoint worker; checkpointing on commits', { error: String(e) });
    }
  }

  /** Stop the worker and fold the whole WAL into the database (shutdown). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) {
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.postMessage('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    }
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
