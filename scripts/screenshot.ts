/**
 * The README's picture (docs/screenshot.png): two people, Maya Okafor and Daniel Weber, in a
 * natural conversation with a reply and a reaction, on the desktop layout in the dark theme.
 * Run after `npm run build`: `npx tsx scripts/screenshot.ts` (not part of `npm test`). It
 * starts its own server on 127.0.0.1 with a throwaway data directory and stops it after.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect as baseExpect, type Browser, type Page } from '@playwright/test';

const expect = baseExpect.configure({ timeout: 60_000 });

const port = String(41000 + Math.floor(Math.random() * 2000));
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'parley-shot-'));
const out = process.argv[2] ?? 'docs/screenshot.png';

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 960; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not start');
}

async function person(browser: Browser, name: string, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${base}/sign-up`);
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('a long screenshot password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  return page;
}

async function open(page: Page, name: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search people' }).fill(name);
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

async function say(page: Page, text: string, other: Page): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(message(other, text)).toBeVisible();
}

const message = (page: Page, text: string) =>
  page
    .getByRole('log', { name: 'Messages' })
    .locator('[data-message-id]')
    .filter({ hasText: text });

async function menu(page: Page, text: string, item: string): Promise<void> {
  const m = message(page, text).last();
  await m.hover();
  await m.getByRole('button', { name: 'Message options' }).click();
  await page
    .getByRole('menu', { name: 'Message options' })
    .getByRole('menuitem', { name: item })
    .click();
}

// Node itself (tsx as its loader), so that stopping this process stops the server.
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: port,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Throwaway accounts: a cheap hash.
    BCRYPT_COST: '4',
  },
});

try {
  await waitForServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const maya = await person(browser, 'Maya Okafor', 'maya@example.com');
  const daniel = await person(browser, 'Daniel Weber', 'daniel@example.com');
  await open(maya, 'Daniel Weber');
  await say(maya, 'Hi Daniel! Are we still on for the climbing gym on Saturday?', maya);
  await open(daniel, 'Maya Okafor');
  await daniel
    .getByRole('region', { name: 'Message request' })
    .getByRole('button', { name: 'Accept' })
    .click();
  await say(daniel, 'Yes! I booked the 10:00 slot for both of us 🧗', maya);
  await say(maya, 'Perfect. Shall I bring the spare shoes for Lena?', daniel);
  await say(daniel, 'Please do, she asked about them yesterday', maya);
  await menu(maya, 'I booked the 10:00 slot', 'Reply');
  await say(maya, 'Coffee at the bakery next door afterwards?', daniel);
  await menu(daniel, 'Coffee at the bakery', 'React');
  await daniel
    .getByRole('dialog', { name: 'React to this message' })
    .getByRole('button', { name: 'React with ❤️' })
    .click();
  await expect(
    message(maya, 'Coffee at the bakery').getByRole('button', { name: /❤️/ }),
  ).toBeVisible();
  await say(daniel, 'Always ☕ See you at 10', maya);
  await maya.getByRole('textbox', { name: 'Message' }).click();
  await maya.mouse.move(0, 0);
  await maya.waitForTimeout(500); // settle the typing indicator and transitions for the picture
  await maya.screenshot({ path: out });
  console.log(`wrote ${out}`);
  await browser.close();
} finally {
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
