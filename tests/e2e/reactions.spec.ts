/**
 * Reactions: bob reacts from the message's menu (the six common emoji, or any from the
 * full list); both see chips with counts and who reacted; tapping a chip adds your
 * reaction or takes it back.
 */
import { test } from './fixtures/actors';
import { befriend, expect } from './fixtures/pair';
import { chooseFromMenu, messageExactly } from './helpers/rich-messages';

test('bob reacts and un-reacts, alice sees the counts and the names', async ({ alice, bob }) => {
  await befriend(alice, bob);
  await alice.chat.send('lunch at noon?');
  await expect(messageExactly(bob.page, 'lunch at noon?')).toBeVisible();

  await chooseFromMenu(bob, 'lunch at noon?', 'React');
  const picker = bob.page.getByRole('dialog', { name: 'React to this message' });
  await expect(picker.getByRole('button', { name: 'React with 👍' })).toBeFocused();
  await picker.getByRole('button', { name: 'React with 👍' }).click();
  await expect(picker).toBeHidden();

  const onAlice = messageExactly(alice.page, 'lunch at noon?');
  const onBob = messageExactly(bob.page, 'lunch at noon?');
  await expect(
    onAlice.getByRole('button', { name: `1 reaction: 👍 by ${bob.name}` }),
  ).toBeVisible();
  await expect(onBob.getByRole('button', { name: '1 reaction: 👍 by You' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  // Alice adds hers by tapping the chip: two, in the order they came.
  await onAlice.getByRole('button', { name: /👍/ }).click();
  await expect(
    onBob.getByRole('button', { name: `2 reactions: 👍 by You and ${alice.name}` }),
  ).toBeVisible();
  await expect(
    onAlice.getByRole('button', { name: `2 reactions: 👍 by ${bob.name} and You` }),
  ).toHaveAttribute('aria-pressed', 'true');

  // Bob takes his back.
  await onBob.getByRole('button', { name: /👍/ }).click();
  await expect(onAlice.getByRole('button', { name: '1 reaction: 👍 by You' })).toBeVisible();
  await expect(
    onBob.getByRole('button', { name: `1 reaction: 👍 by ${alice.name}` }),
  ).toHaveAttribute('aria-pressed', 'false');

  // Any emoji from the full list, found by name.
  await chooseFromMenu(bob, 'lunch at noon?', 'React');
  await picker.getByRole('button', { name: 'More emoji' }).click();
  await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('pizza');
  await picker.getByRole('button', { name: '🍕 slice of pizza' }).click();
  await expect(
    onAlice.getByRole('button', { name: `1 reaction: 🍕 by ${bob.name}` }),
  ).toBeVisible();
  await expect(onAlice.getByRole('button', { name: '1 reaction: 👍 by You' })).toBeVisible();
});
