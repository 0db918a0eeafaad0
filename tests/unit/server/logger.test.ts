import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger';
import { safeUrl } from '../../../server/http/request-log';

/** A logger whose lines land in an array. */
function capture(level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const log = createLogger(level, { write: (s: string) => void lines.push(s) });
  return { log, lines, text: () => lines.join('') };
}

describe('logger', () => {
  it('writes one JSON line per event with level, time and message', () => {
    const { log, lines } = capture();
    log.info('listening', { url: 'http://127.0.0.1:1' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'listening',
      url: 'http://127.0.0.1:1',
    });
  });

  it('drops events below its level', () => {
    const { log, lines } = capture('info');
    log.debug('noise');
    log.warn('kept');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['kept']);
  });

  it('redacts secret fields at the top level and two levels down', () => {
    const { log, text } = capture();
    log.warn('careless', {
      password: 'pw-top-1234',
      text: 'message-text-5678',
      sid: 'session-id-9012',
      user: { newPassword: 'pw-nested-3456', name: 'Ann' },
      req: { headers: { cookie: 'parley=cookie-7890', authorization: 'Bearer tok-1111' } },
      outer: { inner: { token: 'tok-deep-2222' } },
    });
    const out = text();
    for (const secret of [
      'pw-top-1234',
      'message-text-5678',
      'session-id-9012',
      'pw-nested-3456',
      'cookie-7890',
      'tok-1111',
      'tok-deep-2222',
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain('"name":"Ann"');
    expect(out.match(/\[redacted\]/g)?.length).toBe(7);
  });

  it('request URLs keep the path and the query names, never the values', () => {
    expect(safeUrl('/api/users?q=ann&limit=5')).toBe('/api/users?q=[redacted]&limit=[redacted]');
    expect(safeUrl('/reset?token=abc')).toBe('/reset?token=[redacted]');
    expect(safeUrl('/api/me')).toBe('/api/me');
  });
});
