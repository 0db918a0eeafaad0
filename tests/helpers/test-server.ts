/** Start a real Parley server on 127.0.0.1:0 with a temporary data directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/logger';

export interface TestServer {
  app: App;
  dataDir: string;
  origin: string;
  wsUrl: string;
  /** Stop the server (the data directory stays until `cleanup`). */
  stop(): Promise<void>;
  /** Start a new server on the same data directory. */
  restart(): Promise<TestServer>;
  cleanup(): void;
}

export async function startTestServer(
  overrides: Partial<Config> = {},
  dataDir?: string,
): Promise<TestServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'parley-test-'));
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      staticDir: null,
      bcryptCost: 4,
      registerMaxPerHour: 10_000,
      presenceGraceMs: 200,
      sessionSecret: 'x'.repeat(40),
      ...overrides,
    },
  );
  const app = await createApp({
    config,
    log: createLogger((process.env.TEST_LOG as 'debug' | undefined) ?? 'error'),
  });
  const origin = `http://127.0.0.1:${app.port}`;
  return {
    app,
    dataDir: dir,
    origin,
    wsUrl: `ws://127.0.0.1:${app.port}/sync`,
    stop: () => app.close(),
    restart: async () => {
      await app.close();
      return startTestServer(overrides, dir);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
