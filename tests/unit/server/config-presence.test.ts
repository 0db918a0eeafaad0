/** PRESENCE_TTL_MS: cluster mode's presence heartbeat TTL, validated at start-up. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const cluster = (extra: Record<string, string>) =>
  loadConfig(
    {
      DATABASE_URL: 'postgres://p@127.0.0.1/parley',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PUBLIC_ORIGIN: 'https://chat.example.com',
      ...extra,
    },
    { dataDir, sessionSecret: 'x'.repeat(32) },
  );

describe('PRESENCE_TTL_MS', () => {
  it('defaults to 15 s and takes a value in 3000–60000 ms', () => {
    expect(cluster({}).cluster?.presenceTtlMs).toBe(15_000);
    expect(cluster({ PRESENCE_TTL_MS: '3000' }).cluster?.presenceTtlMs).toBe(3000);
  });

  it('refuses values outside 3000–60000 ms or not whole numbers, naming the setting', () => {
    for (const bad of ['2999', '60001', '5.5', 'soon'])
      expect(() => cluster({ PRESENCE_TTL_MS: bad })).toThrow(
        new ConfigError(`PRESENCE_TTL_MS must be an integer 3000–60000, got "${bad}"`),
      );
  });
});
