/**
 * The layout on a phone (390×844: one pane at a time, with "Back") and a desktop
 * (1280×800: side by side), with screenshots in test-results/, no horizontal overflow,
 * and the theme switch. The desktop shot of a real conversation also goes to
 * docs/screenshot.png, which the README shows.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test } from './fixtures/actors';
import { befriend, expect, listEntry } from './fixtures/pair';

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
  // The README's picture: refreshed on request (UPDATE_SCREENSHOT=1), so a test run leaves the tree clean.
  if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(desktop, 'docs/screenshot.png');

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
  await alice.page.getByRole('link', { name: /Settings/ }).click();
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
