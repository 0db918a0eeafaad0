/** Two people chatting in real time through the real server, one browser context each. */
import { expect, test } from './fixtures/actors';

test('alice and bob sign up, find each other and chat both ways live', async ({ alice, bob }) => {
  await alice.signUp();
  await bob.signUp();

  await alice.chat.openWith(bob.name);
  await alice.chat.waitUntilSynced();
  await expect(alice.chat.log).toContainText('No messages yet');

  // Blank text is not sent; Shift+Enter makes a new line instead of sending.
  await alice.chat.composer.fill('   ');
  await alice.chat.composer.press('Enter');
  await expect(alice.chat.log.locator('[data-message-id]')).toHaveCount(0);

  await alice.chat.send('Hi Bob! 👋');
  await expect(alice.chat.message('Hi Bob! 👋')).toBeVisible();
  await alice.chat.expectState('Hi Bob! 👋', /^(Sent|Delivered|Read)$/);

  // Bob's list shows the new conversation without a reload, with one unread message.
  const entry = bob.page.getByRole('link', { name: new RegExp(`^${alice.name}`) });
  await expect(entry).toContainText('Hi Bob! 👋');
  await expect(entry).toContainText('1 unread');

  await bob.chat.openWith(alice.name);
  await expect(bob.chat.message('Hi Bob! 👋')).toBeVisible();
  // A message request: alice learns nothing of bob's reading until he accepts.
  await expect(entry).toContainText('request');
  await alice.chat.expectState('Hi Bob! 👋', /^(Sent|Delivered)$/);
  await bob.chat.acceptRequest();
  // Bob has it on screen: alice sees it read.
  await alice.chat.expectState('Hi Bob! 👋', 'Read');

  await bob.chat.composer.fill('Hey Alice');
  await bob.chat.composer.press('Shift+Enter');
  await bob.chat.composer.pressSequentially('how are you?');
  await bob.chat.composer.press('Enter');
  await expect(bob.chat.composer).toHaveValue('');
  await expect(alice.chat.message('how are you?')).toContainText('Hey Alice');
  await bob.chat.expectState('how are you?', 'Read');

  // And back again, both windows open: it appears live.
  await alice.chat.send('Great, thanks');
  await expect(bob.chat.message('Great, thanks')).toBeVisible();
  // Screen readers hear the new incoming message through a polite live region.
  await expect(
    bob.page.locator('[aria-live="polite"]', { hasText: `${alice.name}: Great, thanks` }),
  ).toHaveCount(1);

  // Own messages sit on the right, the other person's on the left.
  const mine = await alice.chat.message('Great, thanks').boundingBox();
  const theirs = await alice.chat.message('how are you?').boundingBox();
  expect(mine && theirs && mine.x > theirs.x).toBe(true);

  // The conversation list names the other person and shows the last message.
  await expect(alice.page.getByRole('link', { name: new RegExp(`^${bob.name}`) })).toContainText(
    'Great, thanks',
  );
});

test('a reload keeps the history', async ({ alice, bob }) => {
  await alice.signUp();
  await bob.signUp();
  await alice.chat.openWith(bob.name);
  await alice.chat.waitUntilSynced();
  await alice.chat.send('first message');
  await alice.chat.send('second message');
  await alice.chat.expectState('second message', /^(Sent|Delivered|Read)$/);

  const url = alice.page.url();
  await alice.page.reload();
  await expect(alice.page).toHaveURL(url);
  await expect(alice.chat.message('first message')).toBeVisible();
  await expect(alice.chat.message('second message')).toBeVisible();
  await alice.chat.waitUntilSynced();
  await alice.chat.expectState('second message', /^(Sent|Delivered|Read)$/);

  // Bob opens the conversation from his list, reads it, and alice (after a reload) sees "Read".
  await bob.page.reload();
  const entry = bob.page.getByRole('link', { name: new RegExp(`^${alice.name}`) });
  await expect(entry).toContainText('second message');
  await expect(entry).toContainText('2 unread');
  await entry.click();
  await expect(bob.chat.message('first message')).toBeVisible();
  await expect(bob.chat.message('second message')).toBeVisible();
  await bob.chat.acceptRequest();
  await alice.chat.expectState('second message', 'Read');

  await alice.page.reload();
  await alice.chat.expectState('second message', 'Read');
  await alice.chat.expectState('first message', 'Read');
});
