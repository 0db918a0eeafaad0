/**
 * The conversation list (issue #14): pin, archive and "delete chat for me" are kept on the
 * server for you (a second device agrees), the other person keeps everything; typing shows
 * in your list entry and in the header; the list and the day divider say the same
 * "Yesterday".
 */
import type { Browser, Page } from '@playwright/test';
import { createActor, test, type Actor } from './fixtures/actors';
import { befriend, escapeRegExp, expect, headerPresence, listEntry } from './fixtures/pair';
import { LoginPage } from './pages/login-page';

/** The main conversation list's links (not the archived ones), top first. */
const mainList = (page: Page) =>
  page.getByRole('list', { name: 'Conversations' }).getByRole('link');

const startsWith = (name: string) => new RegExp(`^${escapeRegExp(name)}`);

/** Choose `item` in the menu of `name`'s list entry. */
async function entryMenu(page: Page, name: string, item: string): Promise<void> {
  await page.getByRole('button', { name: `Options for the chat with ${name}` }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** The same person on a second device: a new browser context, signed in. */
async function secondDevice(browser: Browser, actor: Actor): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  await page.goto('/');
  await new LoginPage(page).signIn(actor);
  return page;
}

test('a pinned chat stays on top, on a second device and after a reload; archive and unarchive', async ({
  alice,
  bob,
  browser,
}) => {
  const carol = await createActor(browser, 'Carol');
  try {
    await befriend(alice, bob);
    await carol.signUp();
    await alice.chat.openWith(carol.name);
    await alice.chat.waitUntilSynced();
    await alice.chat.send('hi Carol');
    // Newest activity first: Carol on top.
    await expect(mainList(alice.page).first()).toHaveAccessibleName(startsWith(carol.name));

    await entryMenu(alice.page, bob.name, 'Pin chat');
    await expect(mainList(alice.page).first()).toHaveAccessibleName(startsWith(bob.name));
    await expect(listEntry(alice.page, bob.name)).toHaveAccessibleName(/, pinned\b/);

    // Alice's other device agrees, and so does a reload there; Bob's list has no pin.
    const other = await secondDevice(browser, alice);
    await expect(mainList(other).first()).toHaveAccessibleName(startsWith(bob.name));
    await other.reload();
    await expect(mainList(other).first()).toHaveAccessibleName(startsWith(bob.name));
    await expect(listEntry(bob.page, alice.name)).not.toHaveAccessibleName(/pinned/);

    // A message in Carol's chat does not move it above the pin.
    await carol.chat.openWith(alice.name);
    await carol.chat.send('news from Carol');
    await expect(listEntry(alice.page, carol.name)).toHaveAccessibleName(/news from Carol/);
    await expect(mainList(alice.page).first()).toHaveAccessibleName(startsWith(bob.name));

    // Archive: the chat leaves the main list (on the other device too) for "Archived (1)".
    await entryMenu(alice.page, carol.name, 'Archive chat');
    await expect(mainList(alice.page)).toHaveCount(1);
    const archived = alice.page.getByRole('button', { name: /Archived \(1\)/ });
    await expect(archived).toBeVisible();
    await expect(other.getByRole('button', { name: /Archived \(1\)/ })).toBeVisible();
    await expect(mainList(other)).toHaveCount(1);
    await archived.click();
    const archivedList = alice.page.getByRole('list', { name: 'Archived chats' });
    await expect(archivedList.getByRole('link', { name: startsWith(carol.name) })).toBeVisible();
    // Carol's list is hers: nothing archived there.
    await expect(carol.page.getByRole('button', { name: /Archived/ })).toHaveCount(0);

    await entryMenu(alice.page, carol.name, 'Unarchive chat');
    await expect(mainList(alice.page)).toHaveCount(2);
    await expect(alice.page.getByRole('button', { name: /Archived/ })).toHaveCount(0);
    await other.context().close();
  } finally {
    await carol.context.close();
  }
});

test('delete chat for me: gone for me, Bob keeps everything, and it returns with only his new message', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  await bob.chat.send('a reply from Bob');
  await expect(alice.chat.message('a reply from Bob')).toBeVisible();

  await alice.page.getByRole('button', { name: 'Conversation options' }).click();
  await alice.page.getByRole('menuitem', { name: 'Delete chat' }).click();
  const dialog = alice.page.getByRole('dialog');
  await expect(dialog).toContainText(`Delete chat with ${bob.name}?`);
  await dialog.getByRole('button', { name: 'Delete chat' }).click();
  await expect(listEntry(alice.page, bob.name)).toHaveCount(0);
  await expect(alice.page).not.toHaveURL(/\/c\//);

  // Bob keeps everything, after a reload too.
  await bob.page.reload();
  await bob.chat.waitUntilSynced();
  await expect(bob.chat.message('hello')).toBeVisible();
  await expect(bob.chat.message('a reply from Bob')).toBeVisible();

  // Bob writes again: the chat comes back in Alice's list with only the new message.
  await bob.chat.send('are you still there?');
  await expect(listEntry(alice.page, bob.name)).toHaveAccessibleName(/are you still there\?/);
  await listEntry(alice.page, bob.name).click();
  await expect(alice.chat.message('are you still there?')).toBeVisible();
  await expect(alice.chat.log.locator('[data-message-id]')).toHaveCount(1);
  // And after a reload (this device's stored copy still holds the old messages).
  await alice.page.reload();
  await expect(alice.chat.message('are you still there?')).toBeVisible();
  await expect(alice.chat.log.locator('[data-message-id]')).toHaveCount(1);
});

test('typing shows in the list entry (chat not open) and in the header under the name', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  // Alice leaves the conversation: only her list is on screen.
  await alice.page.goto('/');
  await expect(listEntry(alice.page, bob.name)).toBeVisible();
  await expect(alice.chat.view).toHaveCount(0);

  await bob.chat.composer.pressSequentially('typing a long thought');
  await expect(listEntry(alice.page, bob.name)).toHaveAccessibleName(/typing…/);
  // It ends when Bob sends.
  await bob.chat.composer.press('Enter');
  await expect(listEntry(alice.page, bob.name)).toHaveAccessibleName(/typing a long thought/);

  await listEntry(alice.page, bob.name).click();
  await alice.chat.waitUntilSynced();
  await expect(headerPresence(alice.page)).not.toHaveText('typing…');
  await bob.chat.composer.pressSequentially('more');
  await expect(headerPresence(alice.page)).toHaveText('typing…');
  await bob.chat.composer.press('Enter');
  await expect(headerPresence(alice.page)).not.toHaveText('typing…');
});

test('the list and the day divider both say "Yesterday" for a message from yesterday', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  await bob.chat.send('sent yesterday');
  await expect(alice.chat.message('sent yesterday')).toBeVisible();
  // A day later on Alice's device.
  await alice.page.clock.setFixedTime(Date.now() + 24 * 60 * 60 * 1000);
  await alice.page.reload();
  await alice.chat.waitUntilSynced();
  await expect(listEntry(alice.page, bob.name).locator('.time')).toHaveText(/^(, )?Yesterday$/);
  await expect(alice.chat.log.getByText('Yesterday', { exact: true })).toBeVisible();
});
