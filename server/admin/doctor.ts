/**
 * `doctor`: is this deployment healthy? Configuration (the settings each mode needs),
 * database integrity and migration state, free disk space in DATA_DIR, permissions of the
 * secret and database files, Redis in cluster mode. It prints what is wrong and how to fix
 * it, and exits non-zero when something is (warnings alone exit 0).
 *
 * Run it as the user Parley runs as, with Parley's environment:
 *   npm run doctor [-- --json] [-- --env-file /etc/parley/parley.env]
 * The admin CLI calls `doctorMain` for `npm run admin -- doctor`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config';
import {
  checkDisk,
  checkPermissions,
  checkPostgres,
  checkRedis,
  checkSqlite,
  type Finding,
} from './doctor-checks';

export type { Finding } from './doctor-checks';

export interface DoctorReport {
  ok: boolean;
  mode: 'embedded' | 'cluster' | 'unknown';
  findings: Finding[];
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The configuration as the server would load it, without creating anything. */
function checkConfig(env: NodeJS.ProcessEnv): { findings: Finding[]; config: Config | null } {
  const dataDir = resolve(env.DATA_DIR || './data');
  const findings: Finding[] = [];
  const dirExists = existsSync(dataDir);
  const clusterWanted = Boolean(env.DATABASE_URL || env.REDIS_URL);
  if (!dirExists && !clusterWanted)
    findings.push({
      check: 'configuration',
      severity: 'warning',
      message: `DATA_DIR ${dataDir} does not exist yet`,
      fix: 'it is created at the first start; if Parley already ran, set DATA_DIR to where its data is',
    });
  let config: Config;
  try {
    config = loadConfig(env, {
      // Never create DATA_DIR or the session secret here: validate a stand-in instead.
      ...(dirExists ? {} : { dataDir: tmpdir() }),
      ...(env.SESSION_SECRET || clusterWanted
        ? {}
        : { sessionSecret: 'doctor-stand-in-secret-of-32-chars!' }),
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    findings.push({
      check: 'configuration',
      severity: 'problem',
      message: e.message,
      fix: 'correct that setting in the environment Parley starts with (docs/operations.md, "Configuration")',
    });
    return { findings, config: null };
  }
  config = { ...config, dataDir };
  if (!env.SESSION_SECRET) {
    const file = join(dataDir, 'session-secret');
    if (!existsSync(file))
      findings.push({
        check: 'configuration',
        severity: 'warning',
        message: `no SESSION_SECRET and no ${file} yet`,
        fix: 'Parley generates one at the first start; keep it (and back it up): losing it signs everyone out',
      });
    else if (readFileSync(file, 'utf8').trim().length < 32)
      findings.push({
        check: 'configuration',
        severity: 'problem',
        message: `${file} holds a secret shorter than 32 characters`,
        fix: `delete ${file} (Parley generates a new one; everyone signs in again) or set SESSION_SECRET`,
      });
  }
  if (!config.cluster && !LOOPBACK.has(config.host) && config.publicOrigin === null)
    findings.push({
      check: 'configuration',
      severity: 'warning',
      message: `HOST ${config.host} serves a network but PUBLIC_ORIGIN is not set`,
      fix: 'set PUBLIC_ORIGIN=https://your.host and serve it through a TLS proxy (docs/operations.md, "Deployment")',
    });
  if (
    config.publicOrigin?.startsWith('http:') &&
    !/\/\/(localhost|127\.0\.0\.1)(:|$)/.test(config.publicOrigin)
  )
    findings.push({
      check: 'configuration',
      severity: 'warning',
      message: `PUBLIC_ORIGIN ${config.publicOrigin} is plain http`,
      fix: 'serve Parley over https: browsers run its offline support (the service worker) only there',
    });
  const mode = config.cluster ? 'cluster (PostgreSQL + Redis)' : `embedded (SQLite in ${dataDir})`;
  const metrics =
    config.metricsPort !== null || config.metricsToken !== null ? 'metrics served' : 'no metrics';
  findings.unshift({
    check: 'configuration',
    severity: 'ok',
    message: `${mode}; ${config.publicOrigin ?? `http://${config.host}:${config.port}`}; ${metrics}`,
  });
  return { findings, config };
}

export interface DoctorOptions {
  /** Files besides DATA_DIR's to check for permissions (the --env-file). */
  secretFiles?: readonly string[];
}

export async function runDoctor(
  env: NodeJS.ProcessEnv = process.env,
  opts: DoctorOptions = {},
): Promise<DoctorReport> {
  const { findings, config } = checkConfig(env);
  let mode: DoctorReport['mode'] = 'unknown';
  if (config) {
    mode = config.cluster ? 'cluster' : 'embedded';
    const dataDir = config.dataDir;
    if (config.cluster) {
      const [db, redis] = await Promise.all([
        checkPostgres(config.cluster.databaseUrl),
        checkRedis(config.cluster.redisUrl),
      ]);
      findings.push(...db, ...redis);
    } else if (existsSync(dataDir)) findings.push(...checkSqlite(dataDir));
    if (existsSync(dataDir)) {
      findings.push(...checkDisk(dataDir));
      findings.push(...checkPermissions(dataDir, opts.secretFiles));
    } else if (opts.secretFiles?.length)
      findings.push(...checkPermissions(tmpdir(), opts.secretFiles));
  } else if (opts.secretFiles?.length) {
    findings.push(...checkPermissions(resolve(env.DATA_DIR || './data'), opts.secretFiles));
  }
  return { ok: findings.every((f) => f.severity !== 'problem'), mode, findings };
}

/** The report for a person: one line per finding, the fix under each problem or warning. */
export function formatReport(report: DoctorReport): string {
  const label = { ok: 'ok     ', warning: 'WARNING', problem: 'PROBLEM' } as const;
  const lines = [`Parley doctor: ${report.mode} mode`];
  for (const f of report.findings) {
    lines.push(`  ${label[f.severity]}  ${f.check.padEnd(13)} ${f.message}`);
    if (f.fix) lines.push(`  ${' '.repeat(7)}  ${' '.repeat(13)} fix: ${f.fix}`);
  }
  const problems = report.findings.filter((f) => f.severity === 'problem').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  lines.push(
    problems === 0
      ? `All good${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.`
      : `${problems} problem${problems === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`,
  );
  return `${lines.join('\n')}\n`;
}

export const DOCTOR_HELP = `Usage: npm run doctor -- [--json] [--env-file <file>]
       npm run admin -- doctor [--json] [--env-file <file>]

Checks this deployment: configuration (the settings each mode needs), database integrity
(SQLite quick_check, or PostgreSQL's connection) and migration state, free disk space in
DATA_DIR, permissions of the session secret, the database files and the env file (not
readable by every user), and Redis in cluster mode. Prints what is wrong and how to fix it.

  --json             print {"ok", "mode", "findings": [{check, severity, message, fix}]}
  --env-file <file>  read settings from this file (e.g. systemd's EnvironmentFile) on top of
                     the environment, and check that it is not world-readable

Run it as the user Parley runs as (e.g. sudo -u parley). Exit codes: 0 healthy (warnings
allowed), 1 a problem was found, 64 usage.
`;

/** The command: parse `args`, run, print; resolves with the exit code. */
export async function doctorMain(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<number> {
  let json = false;
  let envFile: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--env-file' && args[i + 1]) envFile = resolve(args[++i]!);
    else if (a === '--help' || a === '-h') {
      out(DOCTOR_HELP);
      return 0;
    } else {
      out(`Unknown argument: ${a}\n\n${DOCTOR_HELP}`);
      return 64;
    }
  }
  let merged = env;
  if (envFile) {
    if (!existsSync(envFile) || !statSync(envFile).isFile()) {
      out(`No such file: ${envFile}\n`);
      return 64;
    }
    merged = { ...env, ...parseEnv(readFileSync(envFile, 'utf8')) };
  }
  const report = await runDoctor(merged, { secretFiles: envFile ? [envFile] : [] });
  out(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.ok ? 0 : 1;
}
