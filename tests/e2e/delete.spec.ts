/** Delete for everyone: from the message's menu, confirmed, gone on both sides live. */
import { test } from './fixtures/actors';
import { befriend, expect } from './fixtures/pair';

test('alice deletes her message for everyone and it vanishes on both sides', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  await alice.chat.send('a message I regret');
  await alice.chat.send('and one I keep');
  await expect(bob.chat.message('a message I regret')).toBeVisible();

  // Only the author may delete: bob's menu of alice's message has no "Delete for everyone".
  await bob.chat
    .message('a message I regret')
    .getByRole('button', { name: 'Message options' })
    .click();
  await expect(bob.page.getByRole('menuitem', { name: 'Reply' })).toBeVisible();
  await expect(bob.page.getByRole('menuitem', { name: 'Delete for everyone' })).toHaveCount(0);
  await bob.page.keyboard.press('Escape');
  await expect(bob.page.getByRole('menu')).toHaveCount(0);
  const regret = alice.chat.message('a message I regret');

  // Cancel first: nothing happens.
  await regret.getByRole('button', { name: 'Message options' }).click();
  await alice.page.getByRole('menuitem', { name: 'Delete for everyone' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'Delete this message for everyone?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(regret).toBeVisible();

  // The menu works from the keyboard too.
  await regret.getByRole('button', { name: 'Message options' }).focus();
  await alice.page.keyboard.press('Enter');
  await expect(alice.page.getByRole('menuitem', { name: 'Reply' })).toBeFocused();
  await alice.page.keyboard.press('End');
  await expect(alice.page.getByRole('menuitem', { name: 'Delete for everyone' })).toBeFocused();
  await alice.page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog).toBeHidden();

  for (const chat of [alice.chat, bob.chat]) {
    await expect(chat.log.getByText('a message I regret')).toHaveCount(0);
    await expect(chat.log.getByText('Message deleted')).toBeVisible();
    await expect(chat.message('and one I keep')).toBeVisible();
  }

  // After a reload the message is simply gone.
  await alice.page.reload();
  await expect(alice.chat.message('and one I keep')).toBeVisible();
  await expect(alice.chat.log.getByText('a message I regret')).toHaveCount(0);
});
