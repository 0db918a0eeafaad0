/** A tiny structured logger: one JSON line per event on stderr. */

export type Level = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(min: Level = 'info'): Logger {
  const write = (level: Level, msg: string, fields?: Record<string, unknown>): void => {
    if (order[level] < order[min]) return;
    process.stderr.write(
      `${JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields })}\n`,
    );
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
