/**
 * Structured logs through pino: one JSON line per event on stderr (or `destination`).
 * The rest of the server sees only `Logger` (four methods, a message and fields); the
 * request log (server/http/request-log.ts) uses the pino instance underneath.
 *
 * Secrets never reach a line: fields named like a password, a token, a cookie, a session
 * id or a message's text are replaced by "[redacted]" at any of the first three levels, and
 * the request log writes no bodies and no query values (docs/security.md, "Logs").
 */
import pino from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The pino logger underneath (absent in hand-made test loggers). */
  readonly pino?: pino.Logger;
}

/** Field names whose values are never written, at the top level or up to two levels down. */
const SECRET_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'inviteCode',
  'secret',
  'cookie',
  'authorization',
  'sid',
  'sessionId',
  'text',
  'body',
  // Web Push: a subscription's endpoint is a capability URL, its keys and the VAPID key secrets.
  'endpoint',
  'p256dh',
  'auth',
  'privateKey',
];

/** Request and response headers that carry credentials (the request log never writes them). */
const SECRET_HEADERS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
  ...SECRET_HEADERS,
];

export const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];

export function isLevel(value: string | undefined): value is Level {
  return value !== undefined && (LEVELS as readonly string[]).includes(value);
}

/**
 * A logger writing at `min` and above. `destination` defaults to stderr, written
 * synchronously so the last lines before an exit are not lost.
 */
export function createLogger(
  min: Level = 'info',
  destination: pino.DestinationStream = pino.destination({ dest: 2, sync: true }),
): Logger {
  const p = pino(
    {
      level: min,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  const write =
    (level: Level) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (fields) p[level](fields, msg);
      else p[level](msg);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    pino: p,
  };
}
