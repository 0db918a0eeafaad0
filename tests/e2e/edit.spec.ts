/**
 * Edit: the author fixes a message from its menu (or with E on the focused message); the
 * composer shows "Editing your message" and Escape cancels, giving the draft back; the
 * other person sees the new text and "edited". Only the author's menu offers Edit.
 */
import { test } from './fixtures/actors';
import { befriend, expect } from './fixtures/pair';
import { chooseFromMenu, composerContext, messageExactly } from './helpers/rich-messages';

test('alice edits her message and bob sees the new text, marked edited', async ({ alice, bob }) => {
  await befriend(alice, bob);
  await alice.chat.send('see you at 5');
  await expect(messageExactly(bob.page, 'see you at 5')).toBeVisible();

  // Bob cannot edit alice's message: his menu has no Edit.
  await messageExactly(bob.page, 'see you at 5').hover();
  await messageExactly(bob.page, 'see you at 5')
    .getByRole('button', { name: 'Message options' })
    .click();
  const bobMenu = bob.page.getByRole('menu', { name: 'Message options' });
  await expect(bobMenu.getByRole('menuitem', { name: 'Reply' })).toBeVisible();
  await expect(bobMenu.getByRole('menuitem', { name: 'Edit' })).toHaveCount(0);
  await bob.page.keyboard.press('Escape');

  // A half-written draft survives an edit that is cancelled with Escape.
  await alice.chat.composer.fill('half-written');
  await messageExactly(alice.page, 'see you at 5').focus();
  await alice.page.keyboard.press('e');
  const editing = composerContext(alice.page, 'Editing your message');
  await expect(editing).toBeVisible();
  await expect(alice.chat.composer).toHaveValue('see you at 5');
  await expect(alice.chat.composer).toBeFocused();
  await alice.chat.composer.press('Escape');
  await expect(editing).toBeHidden();
  await expect(alice.chat.composer).toHaveValue('half-written');

  // From the menu: the composer holds the text; saving replaces it on both sides.
  await chooseFromMenu(alice, 'see you at 5', 'Edit');
  await expect(editing).toBeVisible();
  await expect(alice.page.getByRole('button', { name: 'Save' })).toBeVisible();
  await alice.chat.composer.fill('see you at 6');
  await alice.chat.composer.press('Enter');
  await expect(editing).toBeHidden();
  await expect(alice.chat.composer).toHaveValue('half-written');

  for (const who of [alice, bob]) {
    const edited = messageExactly(who.page, 'see you at 6');
    await expect(edited).toBeVisible();
    await expect(edited).toContainText('edited');
    await expect(who.chat.log.getByText('see you at 5')).toHaveCount(0);
  }
  // The edit is in the document: it is still there after a reload.
  await bob.page.reload();
  await expect(messageExactly(bob.page, 'see you at 6')).toContainText('edited');
});
