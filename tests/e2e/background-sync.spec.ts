/** Every conversation with new activity reaches the device, not just the open one. */
import { createActor, expect, test } from './fixtures/actors';
import { connect, listEntry } from './helpers/local-first';

test('a message received while another conversation was open is readable offline later', async ({
  alice,
  bob,
  browser,
}) => {
  const carol = await createActor(browser, 'Carol');
  try {
    await connect(alice, bob);
    await carol.signUp();
    // Bob moves to a conversation with carol; only that one is on screen.
    await bob.chat.openWith(carol.name);
    await bob.page.reload();
    await bob.chat.waitUntilSynced();

    await alice.chat.send('sent while you were with carol');
    // Bob's device holds it without him opening the conversation: alice sees "Delivered"
    // (his device reported it), not "Read".
    await alice.chat.expectState('sent while you were with carol', 'Delivered');
    await expect(listEntry(bob.page, alice.name)).toContainText('sent while you were with carol');

    await bob.context.setOffline(true);
    await expect(bob.page.getByRole('status')).toHaveText(
      'Offline — messages are kept on this device',
    );
    await listEntry(bob.page, alice.name).click();
    await expect(bob.chat.message('sent while you were with carol')).toBeVisible();
  } finally {
    await carol.context.close();
  }
  expect(carol.errors).toEqual([]);
});
