/** The installable app: manifest, service worker, offline start, updates. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import config from '../../playwright.config';
import { expect, test } from './fixtures/actors';
import { connect, listEntry, waitForServiceWorker } from './helpers/local-first';

const swFile = join(process.cwd(), 'dist/client/sw.js');

test('Chromium finds the app installable and the service worker controls the page', async ({
  baseURL,
}) => {
  // Chromium never calls an incognito context installable: use a real profile.
  const profile = mkdtempSync(join(tmpdir(), 'parley-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: config.use?.launchOptions?.executablePath,
    args: config.use?.launchOptions?.args,
    baseURL,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    await expect
      .poll(async () => {
        const r = (await cdp.send('Page.getInstallabilityErrors')) as {
          installabilityErrors: { errorId: string }[];
        };
        return r.installabilityErrors.map((e) => e.errorId);
      })
      .toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[] };
    expect(manifest.errors).toEqual([]);
    // The app shell is precached; nothing from the API is.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
      return urls;
    });
    expect(cached.some((u) => u.includes('/index.html'))).toBe(true);
    expect(cached.filter((u) => u.includes('/api/'))).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a new version shows "A new version is available"; Reload keeps the draft', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  await waitForServiceWorker(alice.page);
  await alice.chat.composer.fill('half-written thought');

  const original = readFileSync(swFile, 'utf8');
  try {
    // Deploy a "new version": the same worker with another revision comment.
    writeFileSync(swFile, `${original}\n// revision ${Date.now()}\n`);
    await alice.page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = alice.page.getByRole('region', { name: 'Update' });
    await expect(prompt).toContainText('A new version is available');
    const reloaded = alice.page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
  } finally {
    writeFileSync(swFile, original);
  }
  await expect(alice.chat.composer).toHaveValue('half-written thought');
  await expect(alice.page.getByRole('region', { name: 'Update' })).toBeHidden();
  await alice.chat.send('half-written thought');
  await expect(bob.chat.message('half-written thought')).toHaveCount(1);
  // Sent: the draft is gone for good.
  await alice.page.reload();
  await expect(alice.chat.composer).toHaveValue('');
  await expect(listEntry(alice.page, bob.name)).toBeVisible();
});
