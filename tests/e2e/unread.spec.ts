/** Unread counts: per conversation and in the title, live on every device, cleared on reading. */
import { test } from './fixtures/actors';
import { befriend, expect, listEntry } from './fixtures/pair';

test('the unread badge and title count go up live and clear when bob reads', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  await bob.page.goto('/');
  // A second device of bob's (another page of the same account).
  const other = await bob.context.newPage();
  await other.goto('/');
  await expect(bob.page).toHaveTitle('Parley');

  await alice.chat.send('one');
  await expect(listEntry(bob.page, alice.name)).toContainText('1 unread');
  await alice.chat.send('two');
  await alice.chat.send('three');
  for (const page of [bob.page, other]) {
    await expect(listEntry(page, alice.name)).toContainText('3 unread');
    await expect(page).toHaveTitle('(3) Parley');
  }

  // Opening it shows the "New messages" divider before the first unread one, and reads it.
  await listEntry(bob.page, alice.name).click();
  await expect(bob.chat.message('three')).toBeVisible();
  const divider = bob.chat.log.getByText('New messages', { exact: true });
  await expect(divider).toBeVisible();
  const dividerBox = await divider.boundingBox();
  const oneBox = await bob.chat.message('one').boundingBox();
  const helloBox = await bob.chat.message('hello').boundingBox();
  expect(dividerBox && oneBox && helloBox).toBeTruthy();
  if (dividerBox && oneBox && helloBox) {
    expect(dividerBox.y).toBeGreaterThan(helloBox.y);
    expect(dividerBox.y).toBeLessThan(oneBox.y);
  }
  await alice.chat.expectState('three', 'Read');
  await expect(bob.page).toHaveTitle('Parley');
  // The other device clears too, without a reload.
  await expect(listEntry(other, alice.name)).not.toContainText('unread');
  await expect(other).toHaveTitle('Parley');
  await other.close();
});
