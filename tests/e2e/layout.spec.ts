/**
 * The layout on a phone (390×844: one pane at a time, with "Back") and a desktop
 * (1280×800: side by side), with screenshots in test-results/, no horizontal overflow,
 * and the theme switch. On a phone: one compact header per screen,
 * touch targets of at least 44 px, the update bar clear of the composer, and the presence
 * dot on its avatar.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test } from './fixtures/actors';
import { befriend, expect, listEntry } from './fixtures/pair';
import { connect, waitForServiceWorker } from './helpers/local-first';
import { smallTargets } from './helpers/targets';

const swFile = join(process.cwd(), 'dist/client/sw.js');

const overflow = (page: Page) =>
  page.evaluate(() => {
    const el = document.scrollingElement ?? document.documentElement;
    return el.scrollWidth - window.innerWidth;
  });

test('phone and desktop layouts, with no horizontal overflow', async ({ alice, bob }, info) => {
  await befriend(alice, bob);
  await bob.chat.send('Hi! Did you see the plan for Saturday? https://example.com/plan');
  await alice.chat.send('Yes — looks great. Let’s meet at 10 at the station');
  await bob.chat.send(
    'Perfect. A very long word to check wrapping: Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen',
  );
  await alice.chat.expectState('Yes — looks great. Let’s meet at 10 at the station', 'Read');
  await bob.chat.composer.pressSequentially('See you');
  await expect(alice.page.getByText(`${bob.name} is typing…`)).toBeVisible();

  // Desktop: the list and the conversation side by side, in the default dark glass theme.
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await alice.page.setViewportSize({ width: 1280, height: 800 });
  const list = alice.page.getByRole('region', { name: 'Conversations and people' });
  await expect(list).toBeVisible();
  await expect(alice.chat.log).toBeVisible();
  await expect(alice.page.getByRole('button', { name: 'Back' })).toBeHidden();
  await expect.poll(() => overflow(alice.page)).toBeLessThanOrEqual(0);
  const desktop = info.outputPath('desktop-1280x800.png');
  await alice.page.screenshot({ path: desktop });
  mkdirSync('test-results', { recursive: true });
  copyFileSync(desktop, 'test-results/layout-desktop-1280x800.png');
  // The README's picture (real-looking names) comes from scripts/screenshot.ts, not from here.

  // Phone: one pane at a time, and "Back" returns to the list.
  await alice.page.setViewportSize({ width: 390, height: 844 });
  await expect(alice.chat.log).toBeVisible();
  await expect(list).toBeHidden();
  await expect.poll(() => overflow(alice.page)).toBeLessThanOrEqual(0);
  const phoneChat = info.outputPath('phone-390x844-conversation.png');
  await alice.page.screenshot({ path: phoneChat });
  copyFileSync(phoneChat, 'test-results/layout-phone-390x844-conversation.png');
  await alice.page.getByRole('button', { name: 'Back' }).click();
  await expect(list).toBeVisible();
  await expect(alice.chat.log).toBeHidden();
  await expect(listEntry(alice.page, bob.name)).toBeVisible();
  await expect.poll(() => overflow(alice.page)).toBeLessThanOrEqual(0);
  const phoneList = info.outputPath('phone-390x844-list.png');
  await alice.page.screenshot({ path: phoneList });
  copyFileSync(phoneList, 'test-results/layout-phone-390x844-list.png');

  // 360 px wide is the narrowest phone we support.
  await alice.page.setViewportSize({ width: 360, height: 740 });
  await listEntry(alice.page, bob.name).click();
  await expect(alice.chat.log).toBeVisible();
  await expect.poll(() => overflow(alice.page)).toBeLessThanOrEqual(0);
});

test('the theme switch overrides the system theme and is remembered', async ({ alice }) => {
  await alice.signUp();
  const html = alice.page.locator('html');
  await alice.page.getByRole('link', { name: /settings/i }).click();
  const theme = {
    selectOption: (value: 'system' | 'dark' | 'light') =>
      alice.page
        .getByRole('radio', {
          name: { system: 'Same as the system', dark: 'Dark', light: 'Light' }[value],
        })
        .check(),
  };
  // No choice made: the system's preference decides (dark glass unless it asks for light).
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).not.toHaveAttribute('data-theme', /.*/);
  expect(
    await alice.page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--bg').trim(),
    ),
  ).toBe('#0a0e1a');
  await theme.selectOption('light');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const bg = await alice.page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--bg').trim(),
  );
  expect(bg).toBe('#eef1f8');
  await alice.page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await expect(alice.page.getByRole('radio', { name: 'Light' })).toBeChecked();
  await theme.selectOption('system');
  await expect(html).not.toHaveAttribute('data-theme', /.*/);

  // With a light system preference and no choice, the light tokens apply.
  await alice.page.emulateMedia({ colorScheme: 'light' });
  await expect
    .poll(() =>
      alice.page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--bg').trim(),
      ),
    )
    .toBe('#eef1f8');
  await theme.selectOption('dark');
  await expect
    .poll(() =>
      alice.page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--bg').trim(),
      ),
    )
    .toBe('#0a0e1a');
});

test('phone: one header in a conversation, 44 px targets, no stray presence dot', async ({
  alice,
  bob,
}) => {
  test.setTimeout(300_000);
  await befriend(alice, bob);
  await bob.chat.send('Lunch tomorrow?');
  const page = alice.page;
  await expect(alice.chat.message('Lunch tomorrow?')).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });

  // A conversation: its own header (Back, name) and no app header stacked above it.
  await expect(page.getByRole('heading', { name: bob.name, level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Back' })).toBeVisible();
  await expect(page.getByRole('banner')).toBeHidden();
  const logTop = (await alice.chat.log.boundingBox())?.y ?? Infinity;
  expect(logTop, 'the messages start right under one compact header').toBeLessThan(110);
  expect.soft(await smallTargets(page), 'targets under 44 px in a conversation').toEqual([]);

  // The list: the app header (your avatar leads to settings) and the list, 44 px targets.
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.getByRole('link', { name: /settings/i })).toBeVisible();
  expect.soft(await smallTargets(page), 'targets under 44 px in the list').toEqual([]);

  // People search with an online person: the dot sits on the avatar, nowhere else.
  await page.getByRole('searchbox', { name: 'Search people' }).fill(bob.name);
  const result = page.getByRole('button', { name: bob.name, exact: true });
  await expect(result).toBeVisible();
  await expect(page.getByText('online', { exact: true })).toBeVisible();
  const strayDots = await page.evaluate(() => {
    const search = document
      .querySelector('parley-app-shell')
      ?.shadowRoot?.querySelector('parley-people-search')?.shadowRoot;
    // The field, and the results (their own element, loaded on the first keystroke).
    const results = search?.querySelector('parley-people-results')?.shadowRoot;
    const stray: string[] = [];
    for (const el of [search, results].flatMap((root) => [
      ...(root?.querySelectorAll('*') ?? []),
    ])) {
      const after = getComputedStyle(el, '::after');
      if (after.content === 'none' || after.position !== 'absolute') continue;
      // Its box is placed against the nearest positioned ancestor: it must be inside the result.
      let box: Element | null = el;
      while (box && getComputedStyle(box).position === 'static') box = box.parentElement;
      if (!box || !box.closest('li, .field')) stray.push(`${el.tagName}.${el.className}`);
    }
    return stray;
  });
  expect(strayDots, 'dots placed against the window instead of their avatar').toEqual([]);
  expect.soft(await smallTargets(page), 'targets under 44 px in people search').toEqual([]);
  await page.getByRole('searchbox', { name: 'Search people' }).fill('');

  // People and settings.
  await page.getByRole('link', { name: /^Contacts/ }).click();
  await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
  expect.soft(await smallTargets(page), 'targets under 44 px on the people page').toEqual([]);
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  expect.soft(await smallTargets(page), 'targets under 44 px in settings').toEqual([]);
});

test('phone: the update bar does not cover the composer', async ({ alice, bob }) => {
  test.setTimeout(300_000);
  await connect(alice, bob);
  const page = alice.page;
  await page.setViewportSize({ width: 390, height: 844 });
  await waitForServiceWorker(page);
  const original = readFileSync(swFile, 'utf8');
  try {
    // A "new version": the same worker with another revision comment.
    writeFileSync(swFile, `${original}\n// revision ${Date.now()}\n`);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = page.getByRole('region', { name: 'Update' });
    await expect(prompt).toContainText('A new version is available');
    const bar = await prompt.boundingBox();
    const composer = await alice.chat.composer.boundingBox();
    const back = await page.getByRole('button', { name: 'Back' }).boundingBox();
    expect(bar && composer && back).toBeTruthy();
    if (!bar || !composer || !back) return;
    const overlaps = (a: typeof bar, b: typeof bar) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(overlaps(bar, composer), 'the update bar over the composer').toBe(false);
    expect(overlaps(bar, back), 'the update bar over the header').toBe(false);
    expect(composer.y + composer.height).toBeLessThanOrEqual(844);
    await alice.chat.send('still reachable');
    await expect(bob.chat.message('still reachable')).toBeVisible();
  } finally {
    writeFileSync(swFile, original);
  }
});
