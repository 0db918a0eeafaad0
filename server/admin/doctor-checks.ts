/**
 * The checks `doctor` runs (server/admin/doctor.ts composes and prints them). Each returns
 * findings: what was looked at, whether it is fine, and when not, how to fix it. Nothing
 * here changes the deployment: databases are opened read-only, nothing is created.
 */
import { constants, existsSync, readdirSync, statSync, statfsSync } from 'node:fs';
import { accessSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createClient } from 'redis';
import { SQLITE_SCHEMA_VERSION } from '../store/migrations';
import { PG_SCHEMA_VERSION } from '../store/pg/migrations';

export type Severity = 'ok' | 'warning' | 'problem';

export interface Finding {
  /** Which check: configuration, database, disk, permissions, redis. */
  check: string;
  severity: Severity;
  message: string;
  /** What to do about it (absent when all is well). */
  fix?: string;
}

const ok = (check: string, message: string): Finding => ({ check, severity: 'ok', message });
const problem = (check: string, message: string, fix: string): Finding => ({
  check,
  severity: 'problem',
  message,
  fix,
});
const warning = (check: string, message: string, fix: string): Finding => ({
  check,
  severity: 'warning',
  message,
  fix,
});

const mode = (m: number): string => (m & 0o777).toString(8).padStart(3, '0');

/** The database file and its companions, the session secret and backups must not be world-readable. */
export function checkPermissions(dataDir: string, extraFiles: readonly string[] = []): Finding[] {
  const findings: Finding[] = [];
  const files = [
    join(dataDir, 'session-secret'),
    join(dataDir, 'parley.db'),
    join(dataDir, 'parley.db-wal'),
    join(dataDir, 'parley.db-shm'),
    ...extraFiles,
  ];
  const backups = join(dataDir, 'backups');
  if (existsSync(backups))
    for (const entry of readdirSync(backups, { withFileTypes: true }))
      if (entry.isFile()) files.push(join(backups, entry.name));
  let checked = 0;
  for (const file of files) {
    if (!existsSync(file)) continue;
    checked++;
    const st = statSync(file);
    if (st.mode & 0o004)
      findings.push(
        problem(
          'permissions',
          `${file} is readable by every user of this machine (mode ${mode(st.mode)})`,
          `chmod 600 ${file}  (and keep it owned by the user Parley runs as)`,
        ),
      );
    else if (st.mode & 0o002)
      findings.push(
        problem(
          'permissions',
          `${file} is writable by every user of this machine (mode ${mode(st.mode)})`,
          `chmod 600 ${file}`,
        ),
      );
  }
  for (const dir of [dataDir, backups]) {
    if (!existsSync(dir)) continue;
    const st = statSync(dir);
    if (st.mode & 0o005)
      findings.push(
        warning(
          'permissions',
          `${dir} can be listed or entered by every user of this machine (mode ${mode(st.mode)})`,
          `chmod 700 ${dir}`,
        ),
      );
  }
  if (findings.length === 0)
    findings.push(
      ok('permissions', `secrets and database files are private (${checked} files checked)`),
    );
  return findings;
}

/** Free space where DATA_DIR lives: below 1 GiB or 5 % is a problem, below 5 GiB or 10 % a warning. */
export function checkDisk(dataDir: string): Finding[] {
  let st;
  try {
    st = statfsSync(dataDir);
  } catch (e) {
    return [
      problem(
        'disk',
        `cannot read free space of ${dataDir}: ${(e as Error).message}`,
        'check that DATA_DIR exists',
      ),
    ];
  }
  const free = st.bavail * st.bsize;
  const total = st.blocks * st.bsize;
  const pct = total > 0 ? (free / total) * 100 : 0;
  const gib = (n: number): string => `${(n / 2 ** 30).toFixed(1)} GiB`;
  const text = `${gib(free)} free of ${gib(total)} (${pct.toFixed(0)} %) at ${dataDir}`;
  if (free < 2 ** 30 || pct < 5)
    return [
      problem(
        'disk',
        text,
        'free space now: a full disk stops every write (messages are refused); move old backups elsewhere',
      ),
    ];
  if (free < 5 * 2 ** 30 || pct < 10)
    return [warning('disk', text, 'plan more space: the database and attachments only grow')];
  return [ok('disk', text)];
}

/** The SQLite file: present, writable, `quick_check` ok, schema at the code's version. */
export function checkSqlite(dataDir: string): Finding[] {
  const file = join(dataDir, 'parley.db');
  if (!existsSync(file))
    return [
      warning(
        'database',
        `no database at ${file} yet`,
        'it is created at the first start; if Parley already ran, DATA_DIR points to the wrong place',
      ),
    ];
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    return [
      problem(
        'database',
        `${file} is not readable and writable by this user`,
        'run doctor (and Parley) as the user that owns DATA_DIR, e.g. sudo -u parley',
      ),
    ];
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: true }) as string;
    const version = db.pragma('user_version', { simple: true }) as number;
    const findings: Finding[] = [];
    if (check !== 'ok')
      findings.push(
        problem(
          'database',
          `${file} is damaged (quick_check: ${check})`,
          'stop Parley and restore the latest backup (docs/operations.md, "Restore")',
        ),
      );
    else findings.push(ok('database', `${file}: quick_check ok`));
    findings.push(schemaFinding('SQLite', version, SQLITE_SCHEMA_VERSION));
    return findings;
  } catch (e) {
    return [
      problem(
        'database',
        `${file} cannot be opened: ${(e as Error).message}`,
        'if the file is damaged, stop Parley and restore the latest backup (docs/operations.md, "Restore")',
      ),
    ];
  } finally {
    db?.close();
  }
}

function schemaFinding(what: string, version: number, expected: number): Finding {
  if (version === expected)
    return ok('migrations', `${what} schema at version ${version}, as this code expects`);
  if (version < expected)
    return problem(
      'migrations',
      `${what} schema at version ${version}; this code expects ${expected} (${expected - version} migration${expected - version === 1 ? '' : 's'} not applied)`,
      'back up, then (re)start Parley of this version: it applies the missing migrations at start. A server still running older code is the usual cause',
    );
  return problem(
    'migrations',
    `${what} schema at version ${version} is newer than this code (${expected}): it was upgraded by a newer Parley`,
    'run the newer Parley, or restore the backup taken before the upgrade (migrations are forward only)',
  );
}

/** PostgreSQL answers and its schema is at the code's version. */
export async function checkPostgres(url: string): Promise<Finding[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  const shown = url.replace(/:[^:@/]*@/, ':***@');
  try {
    await client.connect();
  } catch (e) {
    return [
      problem(
        'database',
        `PostgreSQL at ${shown} does not answer: ${(e as Error).message}`,
        'start PostgreSQL or correct DATABASE_URL (user, password, host, database)',
      ),
    ];
  }
  try {
    const found = await client.query<{ t: string | null }>(
      "SELECT to_regclass('public.schema_migrations')::text AS t",
    );
    let version = 0;
    if (found.rows[0]?.t) {
      const r = await client.query<{ v: number | null }>(
        'SELECT max(version) AS v FROM schema_migrations',
      );
      version = r.rows[0]?.v ?? 0;
    }
    return [
      ok('database', `PostgreSQL at ${shown} answers`),
      schemaFinding('PostgreSQL', version, PG_SCHEMA_VERSION),
    ];
  } catch (e) {
    return [
      problem(
        'database',
        `PostgreSQL at ${shown} answered, but reading the schema failed: ${(e as Error).message}`,
        "check that DATABASE_URL names Parley's database and its user may read it",
      ),
    ];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Redis answers a PING. */
export async function checkRedis(url: string): Promise<Finding[]> {
  const client = createClient({
    url,
    socket: { connectTimeout: 3000, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  const shown = url.replace(/:[^:@/]*@/, ':***@');
  try {
    await client.connect();
    await client.ping();
    return [ok('redis', `Redis at ${shown} answers`)];
  } catch (e) {
    return [
      problem(
        'redis',
        `Redis at ${shown} does not answer: ${(e as Error).message}`,
        'start Redis or correct REDIS_URL; cluster processes cannot share rooms, presence or sign-in limits without it',
      ),
    ];
  } finally {
    if (client.isOpen) await client.quit().catch(() => undefined);
  }
}
