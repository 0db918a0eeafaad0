// `npm run backup [-- <directory>]`: back up an embedded deployment while it runs — the
// database (SQLite's online backup, verified), the session secret and the attachments
// (DATA_DIR/blobs) — into a new directory laid out as a DATA_DIR.
// Default destination: $DATA_DIR/backups/parley-<UTC timestamp>/
import { join, resolve } from 'node:path';
import { backupDataDir } from '../server/store/backup';

const dataDir = resolve(process.env.DATA_DIR || './data');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const arg = process.argv[2];
if (arg === '--help' || arg === '-h') {
  console.log(
    'Usage: npm run backup [-- <new directory>]\n' +
      'Backs up DATA_DIR (the database, session-secret and blobs/) while Parley runs.\n' +
      'Default: $DATA_DIR/backups/parley-<UTC time>/. Restore: docs/operations.md, "Restore".',
  );
  process.exit(0);
}
if (arg?.endsWith('.db')) {
  console.error(
    'Backup failed: a backup is a directory now (database, session secret and attachments); name a new directory, e.g. /mnt/usb/parley-2026-01-31',
  );
  process.exit(64);
}
const dest = resolve(arg ?? join(dataDir, 'backups', `parley-${stamp}`));

backupDataDir(dataDir, dest)
  .then((r) => {
    console.log(
      `Backed up ${r.database.pages} database pages (${r.database.bytes} bytes) and ${r.blobs} attachment files (${r.blobBytes} bytes) to ${r.dir}`,
    );
    console.log(
      `Restore: stop Parley, move DATA_DIR's parley.db* and blobs/ away, copy ${r.dir}/* into DATA_DIR (cp -a ${r.dir}/. "$DATA_DIR"/), start.`,
    );
  })
  .catch((e: unknown) => {
    console.error(`Backup failed: ${(e as Error).message}`);
    process.exit(1);
  });
