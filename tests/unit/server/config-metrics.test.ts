import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';

const dir = mkdtempSync(join(tmpdir(), 'parley-cfg-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = (extra: Record<string, string>) => ({
  DATA_DIR: dir,
  SESSION_SECRET: 's'.repeat(40),
  ...extra,
});

describe('metrics settings', () => {
  it('serve nothing unless METRICS_PORT or METRICS_TOKEN is set', () => {
    const c = loadConfig(env({}));
    expect(c.metricsPort).toBeNull();
    expect(c.metricsToken).toBeNull();
  });

  it('read METRICS_PORT and METRICS_TOKEN', () => {
    const c = loadConfig(env({ METRICS_PORT: '9464', METRICS_TOKEN: 'a'.repeat(24) }));
    expect(c.metricsPort).toBe(9464);
    expect(c.metricsToken).toBe('a'.repeat(24));
  });

  it('refuse a bad port or a short or spaced token, naming the setting', () => {
    expect(() => loadConfig(env({ METRICS_PORT: 'nine' }))).toThrow(
      new ConfigError('METRICS_PORT must be an integer 0–65535, got "nine"'),
    );
    expect(() => loadConfig(env({ METRICS_TOKEN: 'short' }))).toThrow(/METRICS_TOKEN must be/);
    expect(() => loadConfig(env({ METRICS_TOKEN: 'has a space in it, long enough' }))).toThrow(
      /METRICS_TOKEN must be/,
    );
  });
});
