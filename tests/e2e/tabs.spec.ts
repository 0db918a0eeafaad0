/** Two tabs of one person stay consistent, online and offline, and never double-send. */
import { expect, test } from './fixtures/actors';
import { connect, messageTexts } from './helpers/local-first';
import { ConversationPage } from './pages/conversation-page';

test('a message sent in one tab appears in the other, offline too, and reaches bob once', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  const second = await alice.context.newPage();
  await second.goto(alice.page.url());
  const tab2 = new ConversationPage(second);
  await tab2.waitUntilSynced();

  await alice.chat.send('from tab one');
  await expect(tab2.message('from tab one')).toBeVisible();

  await alice.context.setOffline(true);
  await tab2.send('from tab two, offline');
  await expect(alice.chat.message('from tab two, offline')).toBeVisible();
  await alice.chat.expectState('from tab two, offline', 'Pending');
  await alice.chat.send('from tab one, offline');
  await expect(tab2.message('from tab one, offline')).toBeVisible();

  await alice.context.setOffline(false);
  await expect(bob.chat.message('from tab one, offline')).toBeVisible();
  await expect(bob.chat.message('from tab two, offline')).toBeVisible();
  await alice.chat.expectState('from tab two, offline', /^(Sent|Delivered|Read)$/);
  await tab2.expectState('from tab one, offline', /^(Sent|Delivered|Read)$/);
  const expected = ['from tab one', 'from tab two, offline', 'from tab one, offline'];
  await expect.poll(() => messageTexts(bob.page)).toEqual(expected);
  expect(await messageTexts(alice.page)).toEqual(expected);
  expect(await messageTexts(second)).toEqual(expected);
  // And still once after bob reloads from the server and his device.
  await bob.page.reload();
  await expect.poll(() => messageTexts(bob.page)).toEqual(expected);
});
