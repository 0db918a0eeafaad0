/** Configuration from the environment, validated once, with single-machine defaults. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';

export interface Config {
  port: number;
  host: string;
  /** Directory for the SQLite file and the generated session secret. */
  dataDir: string;
  /** At least 32 characters; iron-session seals cookies with it. */
  sessionSecret: string;
  /**
   * The origin browsers use (PUBLIC_ORIGIN). WebSocket upgrades and state-changing
   * requests from other origins are refused. When null, http://localhost:<port> and
   * http://127.0.0.1:<port> of the bound port are allowed (a single machine).
   */
  publicOrigin: string | null;
  /** True when the public origin is https: cookies get `Secure`, responses HSTS. */
  secure: boolean;
  /** Directory of the built client to serve, or null to serve none (API-only tests). */
  staticDir: string | null;
  /** bcrypt cost; 12 in production, lower in tests. */
  bcryptCost: number;
  /** Compact a document's log when it holds more than this many updates. */
  compactAfter: number;
  /** Sign-in throttling: failures allowed per window, per account and per address. */
  loginMaxFailures: number;
  /** How long after a user's last connection closes they are shown offline (ms). */
  presenceGraceMs: number;
  /** Registrations allowed per address per hour. */
  registerMaxPerHour: number;
  /**
   * A live document holding this many messages is sealed and the next epoch's document
   * becomes the live one (EPOCH_MESSAGES; docs/architecture.md, "Epochs").
   */
  epochMessages: number;
  /** Group commits at least this many ms apart under load (COMMIT_GAP_MS, 0–50; 0: every turn). */
  commitGapMs: number;
  /**
   * Which proxies' X-Forwarded-For to believe (TRUST_PROXY), as Express's `trust proxy`:
   * false (none), a hop count, or a comma-separated list of `loopback`, `linklocal`,
   * `uniquelocal`, addresses and CIDR ranges. Default: `loopback` with an https
   * PUBLIC_ORIGIN (the documented proxy setup), otherwise none.
   */
  trustProxy: TrustProxy;
  /**
   * Bytes of document updates one user may store (USER_QUOTA_MB, default 1024 MB); an update
   * past it is refused with close 4413 (docs/security.md, "Resource limits").
   */
  userQuotaBytes: number;
  /**
   * Cluster mode (docs/operations.md, "Cluster"): PostgreSQL for everything durable
   * (DATABASE_URL) and Redis for what crosses processes (REDIS_URL, keys and channels under
   * REDIS_PREFIX, default `parley:`). Null in embedded mode (SQLite in DATA_DIR).
   * `presenceTtlMs` (PRESENCE_TTL_MS, 3000–60000, default 15000): a process whose presence
   * heartbeat is this old counts as dead and its users go offline (docs/architecture.md).
   */
  /**
   * Web Push (docs/operations.md, "Notifications"): VAPID keys from VAPID_PUBLIC_KEY and
   * VAPID_PRIVATE_KEY, or generated once and kept in the database; VAPID_SUBJECT (a mailto:
   * or https: contact for push services). PUSH_ALLOW_PRIVATE_ENDPOINTS=1 (tests only) lets a
   * subscription point at http:// and private or loopback addresses.
   */
  push: {
    subject: string;
    keys: { publicKey: string; privateKey: string } | null;
    allowPrivateEndpoints: boolean;
  };
  cluster: {
    databaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
    presenceTtlMs: number;
  } | null;
}

export type TrustProxy = false | number | string;

export class ConfigError extends Error {}

function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`PORT must be an integer 0–65535, got "${raw}"`);
  return n;
}

function parseOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `PUBLIC_ORIGIN must be an origin like https://chat.example.com, got "${raw}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_ORIGIN must use http or https, got "${raw}"`);
  }
  return url.origin;
}

/** Read the secret from the environment, or from `DATA_DIR/session-secret`, creating it once. */
function loadSecret(raw: string | undefined, dataDir: string): string {
  if (raw !== undefined && raw !== '') {
    if (raw.length < 32) throw new ConfigError('SESSION_SECRET must be at least 32 characters');
    return raw;
  }
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
    throw new ConfigError(
      `${file} holds a secret shorter than 32 characters; delete it to generate a new one`,
    );
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function intFromEnv(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`expected a positive integer, got "${raw}"`);
  return n;
}

function gapFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 5;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 50)
    throw new ConfigError(`COMMIT_GAP_MS must be an integer 0–50, got "${raw}"`);
  return n;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY: "false"/"none", a hop count, or names/addresses/CIDRs (never "true": it trusts any client's header). */
export function parseTrustProxy(raw: string | undefined, secure: boolean): TrustProxy {
  if (raw === undefined || raw.trim() === '') return secure ? 'loopback' : false;
  const value = raw.trim();
  if (value === 'false' || value === 'none') return false;
  if (/^[0-9]+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 10)
      throw new ConfigError(`TRUST_PROXY hop count must be 1–10, got "${raw}"`);
    return hops;
  }
  const parts = value.split(',').map((p) => p.trim());
  for (const part of parts) {
    const [addr = '', bits, extra] = part.split('/');
    const ok =
      PROXY_NAMES.has(part) ||
      (isIP(addr) !== 0 &&
        extra === undefined &&
        (bits === undefined ||
          (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (isIP(addr) === 4 ? 32 : 128))));
    if (!ok)
      throw new ConfigError(
        `TRUST_PROXY must be "false", a hop count, or a list of loopback/linklocal/uniquelocal, addresses and CIDR ranges; got "${part}"`,
      );
  }
  return parts.join(',');
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Config> = {},
): Config {
  const port = overrides.port ?? parsePort(env.PORT, 8080);
  const host = overrides.host ?? (env.HOST || '127.0.0.1');
  const dataDir = resolve(overrides.dataDir ?? (env.DATA_DIR || './data'));
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    throw new ConfigError(`DATA_DIR ${dataDir} cannot be created: ${(e as Error).message}`);
  }
  const cluster = overrides.cluster !== undefined ? overrides.cluster : parseCluster(env);
  if (cluster && overrides.sessionSecret === undefined && !env.SESSION_SECRET) {
    // A secret generated into one machine's DATA_DIR would differ on every process: a
    // cookie sealed by one would be refused by the others.
    throw new ConfigError(
      'cluster mode (DATABASE_URL) needs SESSION_SECRET: the same secret of at least 32 characters on every process',
    );
  }
  const sessionSecret = overrides.sessionSecret ?? loadSecret(env.SESSION_SECRET, dataDir);
  const publicOrigin =
    overrides.publicOrigin !== undefined
      ? overrides.publicOrigin
      : env.PUBLIC_ORIGIN
        ? parseOrigin(env.PUBLIC_ORIGIN)
        : null;
  if (cluster && publicOrigin === null) {
    throw new ConfigError(
      'cluster mode (DATABASE_URL) needs PUBLIC_ORIGIN: the origin browsers use through the balancer, the same on every process',
    );
  }
  const secure = publicOrigin?.startsWith('https:') ?? false;
  const cost = env.BCRYPT_COST ? Number(env.BCRYPT_COST) : 12;
  if (!Number.isInteger(cost) || cost < 4 || cost > 15)
    throw new ConfigError('BCRYPT_COST must be 4–15');
  return {
    port,
    host,
    dataDir,
    sessionSecret,
    publicOrigin,
    secure: overrides.secure ?? secure,
    staticDir: overrides.staticDir !== undefined ? overrides.staticDir : resolve('dist/client'),
    bcryptCost: overrides.bcryptCost ?? cost,
    compactAfter: overrides.compactAfter ?? 500,
    loginMaxFailures: overrides.loginMaxFailures ?? 5,
    presenceGraceMs: overrides.presenceGraceMs ?? 5000,
    registerMaxPerHour: overrides.registerMaxPerHour ?? intFromEnv(env.REGISTER_MAX_PER_HOUR, 20),
    epochMessages: overrides.epochMessages ?? intFromEnv(env.EPOCH_MESSAGES, 10_000),
    commitGapMs: overrides.commitGapMs ?? gapFromEnv(env.COMMIT_GAP_MS),
    trustProxy:
      overrides.trustProxy ?? parseTrustProxy(env.TRUST_PROXY, overrides.secure ?? secure),
    userQuotaBytes: overrides.userQuotaBytes ?? intFromEnv(env.USER_QUOTA_MB, 1024) * 1024 * 1024,
    push: overrides.push ?? parsePush(env, publicOrigin),
    cluster,
  };
}

/** DATABASE_URL and REDIS_URL come together (cluster mode) or not at all (embedded). */
function parseCluster(env: NodeJS.ProcessEnv): Config['cluster'] {
  const db = env.DATABASE_URL ?? '';
  const redis = env.REDIS_URL ?? '';
  if (db === '' && redis === '') return null;
  if (db === '' || redis === '')
    throw new ConfigError(
      'cluster mode needs both DATABASE_URL (postgres://…) and REDIS_URL (redis://…); set neither for embedded mode',
    );
  const url = (raw: string, name: string, protocols: string[]): string => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new ConfigError(`${name} must be a URL, got "${raw.replace(/:[^:@/]*@/, ':***@')}"`);
    }
    if (!protocols.includes(u.protocol))
      throw new ConfigError(`${name} must start with ${protocols.join(' or ')}`);
    return raw;
  };
  const prefix = env.REDIS_PREFIX || 'parley:';
  if (!/^[A-Za-z0-9:_-]{1,64}$/.test(prefix))
    throw new ConfigError('REDIS_PREFIX may hold letters, digits, ":", "_" and "-" (1–64)');
  const ttl = env.PRESENCE_TTL_MS ? Number(env.PRESENCE_TTL_MS) : 15_000;
  // Below 3 s a busy event loop could miss beats and be reaped alive; above 60 s a crashed
  // process's users stay "online" for too long.
  if (!Number.isInteger(ttl) || ttl < 3000 || ttl > 60_000)
    throw new ConfigError(
      `PRESENCE_TTL_MS must be an integer 3000–60000, got "${env.PRESENCE_TTL_MS}"`,
    );
  return {
    databaseUrl: url(db, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(redis, 'REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: prefix,
    presenceTtlMs: ttl,
  };
}

function parsePush(env: NodeJS.ProcessEnv, publicOrigin: string | null): Config['push'] {
  const subject =
    env.VAPID_SUBJECT ||
    (publicOrigin?.startsWith('https:') ? publicOrigin : 'mailto:parley@localhost');
  if (!/^(mailto:|https:)/.test(subject))
    throw new ConfigError('VAPID_SUBJECT must be a mailto: or https: address');
  const pub = env.VAPID_PUBLIC_KEY ?? '';
  const priv = env.VAPID_PRIVATE_KEY ?? '';
  if ((pub === '') !== (priv === ''))
    throw new ConfigError('set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither');
  return {
    subject,
    keys: pub ? { publicKey: pub, privateKey: priv } : null,
    allowPrivateEndpoints: env.PUSH_ALLOW_PRIVATE_ENDPOINTS === '1',
  };
}
