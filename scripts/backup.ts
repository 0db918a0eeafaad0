// `npm run backup [-- <file>]`: copy the live database safely (the server may keep running).
// Default destination: $DATA_DIR/backups/parley-<UTC timestamp>.db
import { join, resolve } from 'node:path';
import { backupDatabase } from '../server/store/backup';

const dataDir = resolve(process.env.DATA_DIR || './data');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const dest = resolve(process.argv[2] ?? join(dataDir, 'backups', `parley-${stamp}.db`));

backupDatabase(dataDir, dest)
  .then((r) => {
    console.log(`Backed up ${r.pages} pages (${r.bytes} bytes) to ${r.file}`);
    console.log(`and ${r.blobs} attachment files to ${r.file}.blobs`);
    console.log(
      `Restore: stop the server, copy it to ${join(dataDir, 'parley.db')} (delete parley.db-wal and -shm) and ${r.file}.blobs to ${join(dataDir, 'blobs')}, start.`,
    );
  })
  .catch((e: unknown) => {
    console.error(`Backup failed: ${(e as Error).message}`);
    process.exit(1);
  });
