/**
 * The keyboard: Enter on a conversation's entry opens it with focus in the composer; "Back"
 * on a phone returns focus to that entry; Up/Down, Home/End move through the conversation
 * list, the people search results (Down from the field enters them, Up from the first
 * returns) and the message search results.
 */
import { createActor, test } from './fixtures/actors';
import { befriend, expect, listEntry } from './fixtures/pair';

test('Enter opens a conversation into the composer; Back on a phone returns to its entry', async ({
  browser,
  alice,
  bob,
}) => {
  test.setTimeout(420_000);
  const carol = await createActor(browser, 'Carol');
  try {
    await befriend(alice, bob);
    await carol.signUp();
    await carol.chat.openWith(alice.name);
    await carol.chat.send('hi from carol');
    const page = alice.page;
    await expect(listEntry(page, carol.name)).toBeVisible();
    await page.goto('/');
    await expect(listEntry(page, bob.name)).toBeVisible();

    // Desktop: Enter on bob's entry, focus lands in the composer.
    await listEntry(page, bob.name).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: bob.name, level: 1 })).toBeVisible();
    await expect(alice.chat.composer).toBeFocused();

    // Phone: the list alone; Enter opens, Back returns focus to the same entry.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(listEntry(page, bob.name)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(alice.chat.composer).toBeFocused();
    await page.getByRole('button', { name: 'Back' }).focus();
    await page.keyboard.press('Enter');
    await expect(listEntry(page, bob.name)).toBeFocused();

    // Arrow keys through the list (newest first: carol's, then bob's), Home and End.
    const entries = page.getByRole('list', { name: 'Conversations' }).getByRole('link');
    await expect(entries).toHaveCount(2);
    const first = entries.nth(0);
    const second = entries.nth(1);
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await expect(second).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(first).toBeFocused();
    await page.keyboard.press('End');
    await expect(second).toBeFocused();
    await page.keyboard.press('Home');
    await expect(first).toBeFocused();
    // One Tab stop for the list: Tab leaves it rather than visiting every entry.
    await page.keyboard.press('Tab');
    await expect(second).not.toBeFocused();
    await expect(first).not.toBeFocused();
  } finally {
    await carol.context.close();
  }
});

test('arrow keys through people search and message search results', async ({ alice, bob }) => {
  test.setTimeout(420_000);
  await befriend(alice, bob);
  await alice.chat.send('picnic on the hill');
  await alice.chat.send('picnic by the lake');
  const page = alice.page;

  // People search: Down from the field to the first result, Up back to the field.
  const search = page.getByRole('searchbox', { name: 'Search people' });
  await search.fill(bob.name);
  const result = page.getByRole('button', { name: bob.name, exact: true });
  await expect(result).toBeVisible();
  await search.press('ArrowDown');
  await expect(result).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(search).toBeFocused();
  await search.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: bob.name, level: 1 })).toBeVisible();
  await expect(alice.chat.composer).toBeFocused();

  // Message search: Down enters the results, Down/Up/End/Home move.
  const messages = page.getByRole('searchbox', { name: /Search messages/ });
  await messages.fill('picnic');
  const found = page.getByRole('list', { name: 'Messages found' }).getByRole('link');
  await expect(found).toHaveCount(2);
  await messages.press('ArrowDown');
  await expect(found.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(found.nth(1)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(found.nth(0)).toBeFocused();
  await page.keyboard.press('End');
  await expect(found.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(found.nth(0)).toBeFocused();
});
