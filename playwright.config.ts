/**
 * End-to-end tests: the real server (serving the built client from dist/client) on a
 * free-ish port with a fresh data directory, driven through Debian's Chromium.
 * Run with `npm run test:e2e` (builds the client first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// Playwright evaluates this file again in every worker process: keep the port and the data
// directory in the environment so the workers (which inherit it) agree with the server.
process.env.E2E_PORT ??= String(20000 + Math.floor(Math.random() * 20000));
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'parley-e2e-'));

export const port = process.env.E2E_PORT;
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  use: {
    baseURL,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'npx tsx server/main.ts',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: port,
      HOST: '127.0.0.1',
      DATA_DIR: process.env.E2E_DATA_DIR,
      BCRYPT_COST: '4',
      REGISTER_MAX_PER_HOUR: '10000',
      // Small epochs, so that specs cross a sealed document (tests/e2e/epochs.spec.ts).
      EPOCH_MESSAGES: '30',
      LOG_LEVEL: 'warn',
      // Tests only: push subscriptions may point at the spec's push endpoint on 127.0.0.1
      // (tests/e2e/notifications.spec.ts).
      PUSH_ALLOW_PRIVATE_ENDPOINTS: '1',
    },
  },
});
