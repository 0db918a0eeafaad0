/** Opens the SQLite file: WAL, integrity check, migrations. */
import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';
import { migrate } from './migrations';

export type Db = Database.Database;

export class DatabaseDamagedError extends Error {}

/** Open (creating if needed) the database at `file`; ':memory:' works for tests. */
export function openDatabase(file: string): Db {
  try {
    return open(file);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw new DatabaseDamagedError(
        `The database at ${file} is damaged (${(e as Error).message}). Restore it from a backup (see docs/operations.md).`,
      );
    }
    throw e;
  }
}

function open(file: string): Db {
  const created = file !== ':memory:' && !existsSync(file);
  const db = new Database(file);
  // Private from the start: messages, sessions and password hashes are in it. SQLite gives
  // the -wal and -shm files the database file's mode, so this comes before WAL mode.
  if (created) chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a process crash (kill -9); only power loss
  // can drop the last transactions. No fsync per message.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 32 MB of page cache (the default is 2 MB): history pages and the per-message statements
  // find their index and table pages in memory instead of reading them from the file.
  db.pragma('cache_size = -32768');
  const check = db.pragma('quick_check', { simple: true }) as string;
  if (check !== 'ok') {
    db.close();
    throw new DatabaseDamagedError(
      `The database at ${file} is damaged (quick_check: ${check}). Restore it from a backup (see docs/operations.md).`,
    );
  }
  migrate(db);
  return db;
}
