/** Online backup of the SQLite database (safe while the server runs: SQLite's backup API). */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
}

/**
 * Copy `DATA_DIR/parley.db` to `dest` page by page through SQLite's backup API, then
 * verify the copy with `PRAGMA quick_check`. The session secret is copied beside it.
 */
export async function backupDatabase(dataDir: string, dest: string): Promise<BackupResult> {
  const source = join(dataDir, 'parley.db');
  if (!existsSync(source)) throw new Error(`No database at ${source}`);
  mkdirSync(dirname(dest), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const r = await db.backup(dest);
    const copy = new Database(dest, { readonly: true });
    const check = copy.pragma('quick_check', { simple: true }) as string;
    copy.close();
    if (check !== 'ok') throw new Error(`the backup failed its integrity check: ${check}`);
    const secret = join(dataDir, 'session-secret');
    if (existsSync(secret)) copyFileSync(secret, `${dest}.session-secret`);
    const { size } = statSync(dest);
    return { file: dest, bytes: size, pages: r.totalPages };
  } finally {
    db.close();
  }
}
