// `npm run migrate -- --to postgres://…`: copy a stopped embedded deployment's SQLite database
// into an empty PostgreSQL database for cluster mode, verified. Exit codes: 0 moved and
// verified, 1 refused (server running, target not empty, damaged file), 64 usage,
// 65 the copy did not verify (nothing committed), 69 PostgreSQL does not answer.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MoveError, moveToPostgres, type MoveSummary } from '../server/store/move-to-postgres';

const USAGE = `Usage: npm run migrate -- --to postgres://user@host/db [--data-dir DIR]

Copies a STOPPED Parley's SQLite database (DIR/parley.db; DIR defaults to $DATA_DIR or ./data)
into an EMPTY PostgreSQL database, then checks the copy. The SQLite file is left as it is
(keep it as the backup). A target with any Parley rows is refused.

  --to URL         the PostgreSQL database (postgres:// or postgresql://)
  --data-dir DIR   the embedded deployment's data directory
  -h, --help       this text`;

function usage(problem?: string): never {
  if (problem) console.error(`migrate: ${problem}\n`);
  (problem ? console.error : console.log)(USAGE);
  process.exit(problem ? 64 : 0);
}

let values: { to?: string; 'data-dir'?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      to: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (e) {
  usage((e as Error).message);
}
if (values.help) usage();
if (!values.to) usage('--to is required');
let target: URL;
try {
  target = new URL(values.to);
} catch {
  usage(`--to is not a URL: ${values.to}`);
}
if (target.protocol !== 'postgres:' && target.protocol !== 'postgresql:')
  usage(`--to must be a postgres:// URL, not ${target.protocol}//`);

const dataDir = resolve(values['data-dir'] ?? (process.env.DATA_DIR || './data'));
// Never print a password that came in the URL.
const shown = new URL(target);
if (shown.password) shown.password = '***';

console.log(`Moving ${dataDir}/parley.db to ${shown.toString()}`);
let lastPrint = 0;
moveToPostgres({
  dataDir,
  to: values.to,
  onProgress: (table, copied, total) => {
    const now = Date.now();
    if (copied < total && now - lastPrint < 1000) return;
    lastPrint = now;
    console.log(`  ${table}: ${copied}/${total}`);
  },
})
  .then((summary) => {
    printSummary(summary);
    console.log('Verified and committed. Start the cluster processes with DATABASE_URL set to it.');
  })
  .catch((e: unknown) => {
    if (e instanceof MoveError) {
      if (e.summary) printSummary(e.summary);
      console.error(`migrate: ${e.message}`);
      process.exit({ source: 1, target: 1, unavailable: 69, mismatch: 65 }[e.kind]);
    }
    console.error(`migrate failed (nothing was committed): ${(e as Error).message}`);
    process.exit(1);
  });

function printSummary(s: MoveSummary): void {
  console.log('table                 sqlite   postgres');
  for (const t of s.tables)
    console.log(
      `${t.name.padEnd(20)} ${String(t.sqlite).padStart(7)} ${String(t.postgres).padStart(10)}${t.sqlite === t.postgres ? '' : '   MISMATCH'}`,
    );
  console.log(
    `documents: ${s.documents}, state vectors equal: ${s.documents - s.mismatchedDocuments.length}` +
      (s.mismatchedDocuments.length ? `, different: ${s.mismatchedDocuments.join(', ')}` : ''),
  );
}
