/** Online backup of the SQLite database (safe while the server runs: SQLite's backup API). */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  /** Attachment blobs copied to `${file}.blobs` (embedded mode's DATA_DIR/blobs). */
  blobs: number;
}

/**
 * Copy the attachment blobs (immutable, named by their SHA-256) into `dest`: a hard link
 * where the filesystem allows, a copy elsewhere. Taken after the database copy, so every
 * row the copy holds finds its bytes (blobs are stored before their rows).
 */
function backupBlobs(source: string, dest: string): number {
  if (!existsSync(source)) return 0;
  let n = 0;
  for (const sub of readdirSync(source)) {
    if (!/^[0-9a-f]{2}$/.test(sub)) continue;
    mkdirSync(join(dest, sub), { recursive: true });
    for (const name of readdirSync(join(source, sub))) {
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      const from = join(source, sub, name);
      const to = join(dest, sub, name);
      if (existsSync(to)) continue;
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
      n++;
    }
  }
  return n;
}

/**
 * Copy `DATA_DIR/parley.db` to `dest` page by page through SQLite's backup API, then
 * verify the copy with `PRAGMA quick_check`. The session secret is copied beside it, and the
 * attachment blobs into `${dest}.blobs/`.
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
    const blobs = backupBlobs(join(dataDir, 'blobs'), `${dest}.blobs`);
    const { size } = statSync(dest);
    return { file: dest, bytes: size, pages: r.totalPages, blobs };
  } finally {
    db.close();
  }
}
