/** Presence: online while any page of the app is open, then "last seen", live everywhere. */
import { test } from './fixtures/actors';
import { befriend, expect, headerPresence, listEntry, since } from './fixtures/pair';

test('the online dot goes off when bob closes every page, shows last seen, and comes back', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  await expect(headerPresence(alice.page)).toHaveText('online');
  await expect(listEntry(alice.page, bob.name)).toContainText('online');

  // A second page of bob's: closing one of two pages must not make him look offline.
  const second = await bob.context.newPage();
  await second.goto('/');
  await expect(second.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await bob.page.close();
  const closedAt = Date.now();
  await second.close();
  const allClosedAt = Date.now();

  // The server waits a grace period (5 s) before calling someone offline.
  await expect(headerPresence(alice.page)).toHaveText(/^last seen just now$/, {
    timeout: 20_000,
  });
  const offlineMs = since(allClosedAt);
  expect(since(closedAt)).toBeGreaterThan(0);
  await expect(listEntry(alice.page, bob.name)).toContainText('last seen just now');
  // Search results say it too.
  await alice.page.getByRole('searchbox', { name: 'Search people' }).fill(bob.name);
  const result = alice.page.getByRole('button', { name: bob.name, exact: true });
  await expect(result).toHaveAccessibleDescription('last seen just now');
  await alice.page.getByRole('searchbox', { name: 'Search people' }).fill('');

  // Bob comes back: alice sees him online again without reloading.
  const back = await bob.context.newPage();
  const openedAt = Date.now();
  await back.goto('/');
  await expect(headerPresence(alice.page)).toHaveText('online');
  const onlineMs = since(openedAt);
  await expect(listEntry(alice.page, bob.name)).toContainText('online');
  console.log(
    `[measure] presence: offline shown ${offlineMs} ms after bob's last page closed; ` +
      `online shown ${onlineMs} ms after bob opened a page`,
  );
  await back.close();
});
