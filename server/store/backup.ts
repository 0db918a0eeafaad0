/**
 * Online backup of an embedded deployment (safe while the server runs): the SQLite database
 * through SQLite's backup API, the session secret, and the attachment blobs (DATA_DIR/blobs).
 */
import Database from 'better-sqlite3';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
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
  mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const r = await db.backup(dest);
    chmodSync(dest, 0o600); // as private as the database it copies
    const copy = new Database(dest, { readonly: true });
    const check = copy.pragma('quick_check', { simple: true }) as string;
    copy.close();
    if (check !== 'ok') throw new Error(`the backup failed its integrity check: ${check}`);
    const secret = join(dataDir, 'session-secret');
    if (existsSync(secret)) {
      copyFileSync(secret, `${dest}.session-secret`);
      chmodSync(`${dest}.session-secret`, 0o600);
    }
    const { size } = statSync(dest);
    return { file: dest, bytes: size, pages: r.totalPages };
  } finally {
    db.close();
  }
}

export interface DataDirBackup {
  dir: string;
  database: BackupResult;
  /** Attachment files copied from DATA_DIR/blobs, and their bytes (0 when there is none). */
  blobs: number;
  blobBytes: number;
}

/**
 * Back up an embedded deployment into `destDir` (created; must be empty), laid out as a
 * DATA_DIR: `parley.db`, `session-secret`, `blobs/`. Restoring is copying them into an empty
 * DATA_DIR (docs/operations.md, "Restore").
 *
 * The database is copied first, then the blobs: an attachment is stored before the message
 * that refers to it, so every blob the copied database refers to is already on disk. Blobs
 * written after the database copy are extra, harmless; one deleted while the copy runs is
 * skipped (its message was being deleted for everyone).
 */
export async function backupDataDir(dataDir: string, destDir: string): Promise<DataDirBackup> {
  if (existsSync(destDir) && readdirSync(destDir).length > 0)
    throw new Error(`${destDir} is not empty; name a new directory`);
  mkdirSync(destDir, { recursive: true, mode: 0o700 });
  chmodSync(destDir, 0o700);
  const file = join(destDir, 'parley.db');
  const database = await backupDatabase(dataDir, file);
  // backupDatabase put the secret beside the file; in a DATA_DIR layout it is `session-secret`.
  const beside = `${file}.session-secret`;
  if (existsSync(beside)) {
    copyFileSync(beside, join(destDir, 'session-secret'));
    chmodSync(join(destDir, 'session-secret'), 0o600);
    rmSync(beside);
  }
  const blobsDir = join(dataDir, 'blobs');
  const counted = { files: 0, bytes: 0 };
  if (existsSync(blobsDir)) copyTree(blobsDir, join(destDir, 'blobs'), counted);
  return { dir: destDir, database, blobs: counted.files, blobBytes: counted.bytes };
}

/** Copy a directory tree; files that vanish while it runs are skipped. */
function copyTree(src: string, dest: string, counted: { files: number; bytes: number }): void {
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, entry.name);
    const to = join(dest, entry.name);
    if (entry.isDirectory()) copyTree(from, to, counted);
    else if (entry.isFile()) {
      try {
        copyFileSync(from, to);
        chmodSync(to, 0o600);
        counted.files++;
        counted.bytes += statSync(to).size;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
  }
}
