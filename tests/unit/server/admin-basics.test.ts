/** The small rules under the operator's features: durations, secrets, SMTP configuration. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DAY_MS,
  HOUR_MS,
  hashSecret,
  newSecret,
  parseDuration,
} from '../../../server/admin/secrets';
import { ConfigError, loadConfig } from '../../../server/config';

describe('parseDuration', () => {
  it('reads minutes, hours and days', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('12h')).toBe(12 * HOUR_MS);
    expect(parseDuration('7d')).toBe(7 * DAY_MS);
    expect(parseDuration('365d')).toBe(365 * DAY_MS);
  });

  it('refuses malformed values and values outside 1 minute – 365 days', () => {
    for (const bad of ['', '7', 'd', '0d', '-1d', '1.5d', '7 days', '366d', '1w', '07d'])
      expect(parseDuration(bad), bad).toBeNull();
  });
});

describe('secrets', () => {
  it('are 43 url-safe characters, different every time, stored as their SHA-256', () => {
    const a = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(a);
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(a)).toBe(hashSecret(a));
    expect(hashSecret(a)).not.toBe(a);
  });
});

describe('SMTP configuration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-smtp-config-'));
  const load = (env: Record<string, string>) =>
    loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40), ...env });

  it('is off without SMTP_URL and MAIL_FROM', () => {
    expect(load({}).smtp).toBeNull();
  });

  it('takes SMTP_URL and MAIL_FROM together', () => {
    expect(
      load({ SMTP_URL: 'smtp://u:p@mail.example.com:587', MAIL_FROM: 'Parley <p@example.com>' })
        .smtp,
    ).toEqual({ url: 'smtp://u:p@mail.example.com:587', from: 'Parley <p@example.com>' });
  });

  it('refuses one without the other, another scheme, or a sender without an address', () => {
    expect(() => load({ SMTP_URL: 'smtp://mail.example.com' })).toThrow(ConfigError);
    expect(() => load({ MAIL_FROM: 'p@example.com' })).toThrow(/SMTP_URL/);
    expect(() => load({ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'p@example.com' })).toThrow(
      /smtp:\/\//,
    );
    expect(() => load({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'Parley' })).toThrow(
      /MAIL_FROM/,
    );
  });
});
