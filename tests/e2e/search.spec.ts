/**
 * Message search in the browser: a word from an older message is found (highlighted) and
 * opens the conversation with that message in view; offline, the search finds what is on
 * the device.
 */
import { expect, test } from './fixtures/actors';
import { connect } from './helpers/local-first';
import type { Page } from '@playwright/test';

const searchBox = (page: Page) => page.getByRole('searchbox', { name: 'Search messages' });
const results = (page: Page) =>
  page.getByRole('list', { name: 'Messages found' }).getByRole('link');

test('bob finds a word from an older message, sees it highlighted and opens the conversation at it', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  const older = 'Remember: the spare key is under the blue flowerpot';
  await alice.chat.send(older);
  // Enough newer messages that the older one scrolls out of view (fewer than an epoch).
  for (let i = 1; i <= 20; i++) await alice.chat.send(`filler message number ${i}`);
  await expect(bob.chat.message('filler message number 20')).toBeInViewport();
  await expect(bob.chat.message(older)).not.toBeInViewport();

  // From the start page, the keyboard: type, arrow down to the result.
  await bob.page.goto('/');
  await searchBox(bob.page).fill('FLOWER');
  await expect(results(bob.page)).toHaveCount(1);
  const hit = results(bob.page).first();
  await expect(hit).toContainText(alice.name);
  await expect(hit).toContainText('the spare key is under the blue flowerpot');
  await expect(hit.locator('mark')).toHaveText(['flowerpot']);
  await searchBox(bob.page).press('ArrowDown');
  await expect(hit).toBeFocused();

  await hit.click();
  await expect(bob.page).toHaveURL(/\/c\/c_[A-Za-z0-9_-]{20}\?m=[A-Za-z0-9_-]+$/);
  await expect(bob.page.getByRole('heading', { name: alice.name })).toBeVisible();
  await expect(bob.chat.message(older)).toBeInViewport();

  // Another word finds nothing; the list says so.
  await searchBox(bob.page).fill('zeppelin');
  await expect(bob.page.getByRole('status').filter({ hasText: 'No messages found' })).toHaveText(
    'No messages found for “zeppelin”.',
  );
});

test('offline, the search finds a message on the device', async ({ alice, bob }) => {
  await connect(alice, bob);
  await bob.chat.send('the picnic is at noon by the lake');
  await expect(alice.chat.message('the picnic is at noon by the lake')).toBeVisible();

  await alice.context.setOffline(true);
  const box = searchBox(alice.page);
  // The message reaches IndexedDB shortly after it is shown: search again until it is there.
  await expect(async () => {
    await box.fill('');
    await box.fill('lake noon');
    await expect(results(alice.page)).toHaveCount(1, { timeout: 2000 });
  }).toPass();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Offline:' })).toHaveText(
    'Offline: these are the messages on this device.',
  );
  const hit = results(alice.page).first();
  await expect(hit.locator('mark')).toHaveText(['noon', 'lake']);
  await hit.click();
  await expect(alice.chat.message('the picnic is at noon by the lake')).toBeInViewport();
});
