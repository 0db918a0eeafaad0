/** Local-first behaviour: writing offline, history from the device, reconnecting. */
import { expect, test } from './fixtures/actors';

test('a message written offline stays pending, then is sent once when the network returns', async ({
  alice,
  bob,
}) => {
  await alice.signUp();
  await bob.signUp();
  await alice.chat.openWith(bob.name);
  await alice.chat.waitUntilSynced();
  await bob.chat.openWith(alice.name);
  await bob.chat.acceptRequest();
  await bob.chat.waitUntilSynced();

  await alice.context.setOffline(true);
  await expect(alice.page.getByRole('status')).toHaveText(
    'Offline — messages are kept on this device',
  );
  await alice.chat.send('written on the train');
  await alice.chat.expectState('written on the train', 'Pending');
  // Leave the page while still offline (there is no service worker yet, so this
  // navigation fails): the pending message must survive on the device.
  await alice.page.reload().catch(() => undefined);

  await alice.context.setOffline(false);
  await alice.page.goto('/');
  await alice.page.getByRole('link', { name: new RegExp(`^${bob.name}`) }).click();
  await alice.chat.waitUntilSynced();
  await expect(alice.page.getByRole('status')).toHaveText('Online');
  await expect(bob.chat.message('written on the train')).toBeVisible();
  await alice.chat.expectState('written on the train', 'Read');
  await expect(bob.chat.message('written on the train')).toHaveCount(1);
  await expect(alice.chat.message('written on the train')).toHaveCount(1);
});

test('bob sees alice’s message after reconnecting', async ({ alice, bob }) => {
  await alice.signUp();
  await bob.signUp();
  await alice.chat.openWith(bob.name);
  await bob.chat.openWith(alice.name);
  await bob.chat.acceptRequest();
  await bob.chat.waitUntilSynced();

  await bob.context.setOffline(true);
  await expect(bob.page.getByRole('status')).toHaveText(
    'Offline — messages are kept on this device',
  );
  await alice.chat.send('are you there?');
  await alice.chat.expectState('are you there?', 'Sent');

  await bob.context.setOffline(false);
  await expect(bob.chat.message('are you there?')).toBeVisible();
  await expect(bob.page.getByRole('status')).toHaveText('Online');
  await alice.chat.expectState('are you there?', 'Read');
});
