/**
 * Local-first with the service worker: starting and reading offline, and messages
 * written offline going out once, in order, with their original time.
 */
import { expect, test } from './fixtures/actors';
import { connect, listEntry, messageTexts, waitForServiceWorker } from './helpers/local-first';

const OFFLINE = 'Offline — messages are kept on this device';

test('offline, a cold start shows the conversation list and a conversation’s history', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  await bob.chat.send('the history, one');
  await bob.chat.send('the history, two');
  await expect(alice.chat.message('the history, two')).toBeVisible();
  await waitForServiceWorker(alice.page);
  // Bob writes while alice looks elsewhere: her list shows it unread.
  await alice.page.goto('/');
  await bob.chat.send('unread one');
  await expect(listEntry(alice.page, bob.name)).toContainText('1 unread');
  // Background sync brought it onto her device (bob sees it delivered, not read).
  await bob.chat.expectState('unread one', 'Delivered');

  await alice.context.setOffline(true);
  // A cold start: a new tab, no network, only the service worker and IndexedDB.
  await alice.page.close();
  const page = await alice.context.newPage();
  const started = Date.now();
  await page.goto('/');
  const entry = listEntry(page, bob.name);
  await expect(entry).toContainText('unread one');
  const wallMs = Date.now() - started;
  const pageMs = await page.evaluate(() => Math.round(performance.now()));
  console.log(
    `offline cold start: conversation list after ${pageMs} ms (page clock), ${wallMs} ms (test clock)`,
  );
  await expect(entry).toContainText('1 unread');
  await expect(page.getByRole('status')).toHaveText(OFFLINE);
  // How fast is the bench's business (`npm run bench -- client`); here: that it works offline.

  await entry.click();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(
    log.locator('[data-message-id]').filter({ hasText: 'the history, one' }),
  ).toBeVisible();
  await expect(log.locator('[data-message-id]').filter({ hasText: 'unread one' })).toBeVisible();
  // Reloading a conversation's own address works offline too.
  await page.reload();
  await expect(
    log.locator('[data-message-id]').filter({ hasText: 'the history, two' }),
  ).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(OFFLINE);
});

test('a message written offline survives a reload offline and is delivered exactly once', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  await waitForServiceWorker(alice.page);
  await alice.context.setOffline(true);
  await expect(alice.page.getByRole('status')).toHaveText(OFFLINE);
  await alice.chat.send('queued one');
  await alice.chat.send('queued two');
  await alice.chat.expectState('queued one', 'Pending');
  await alice.chat.expectState('queued two', 'Pending');
  const writtenAt = await alice.chat.message('queued one').locator('time').getAttribute('datetime');

  // Close the app and open it again, still offline.
  await alice.page.reload();
  await alice.chat.expectState('queued one', 'Pending');
  await alice.chat.expectState('queued two', 'Pending');
  await expect(bob.chat.message('queued one')).toHaveCount(0);

  await alice.context.setOffline(false);
  await alice.chat.expectState('queued two', /^(Sent|Delivered|Read)$/);
  await alice.chat.expectState('queued one', /^(Sent|Delivered|Read)$/);
  await expect(bob.chat.message('queued two')).toBeVisible();
  await expect(bob.chat.message('queued one')).toHaveCount(1);
  await expect(bob.chat.message('queued two')).toHaveCount(1);
  expect(await messageTexts(bob.page)).toEqual(['queued one', 'queued two']);
  // The original time, not the time it went out.
  await expect(bob.chat.message('queued one').locator('time')).toHaveAttribute(
    'datetime',
    writtenAt ?? '',
  );
  // Once more after a reload on both sides: still exactly once.
  await bob.page.reload();
  await expect(bob.chat.message('queued two')).toBeVisible();
  expect(await messageTexts(bob.page)).toEqual(['queued one', 'queued two']);
});

test('both people write offline; online, both see the same conversation in the same order', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  await alice.chat.send('before');
  await expect(bob.chat.message('before')).toBeVisible();

  await alice.context.setOffline(true);
  await bob.context.setOffline(true);
  await expect(alice.page.getByRole('status')).toHaveText(OFFLINE);
  await expect(bob.page.getByRole('status')).toHaveText(OFFLINE);
  await alice.chat.send('alice offline 1');
  await bob.chat.send('bob offline 1');
  await alice.chat.send('alice offline 2');
  await bob.chat.send('bob offline 2');

  await alice.context.setOffline(false);
  await bob.context.setOffline(false);
  for (const actor of [alice, bob]) {
    for (const text of ['alice offline 2', 'bob offline 2'])
      await expect(actor.chat.message(text)).toBeVisible();
  }
  await expect.poll(() => messageTexts(alice.page)).toHaveLength(5);
  await expect.poll(() => messageTexts(bob.page)).toHaveLength(5);
  const onAlice = await messageTexts(alice.page);
  expect(await messageTexts(bob.page)).toEqual(onAlice);
  // Each person's own messages stay in the order written.
  expect(onAlice.filter((t) => t.startsWith('alice'))).toEqual([
    'alice offline 1',
    'alice offline 2',
  ]);
  expect(onAlice.filter((t) => t.startsWith('bob'))).toEqual(['bob offline 1', 'bob offline 2']);
});

test('a pending message deleted offline is never sent', async ({ alice, bob }) => {
  await connect(alice, bob);
  await alice.context.setOffline(true);
  await expect(alice.page.getByRole('status')).toHaveText(OFFLINE);
  await alice.chat.send('keep me');
  await alice.chat.send('take it back');
  await alice.chat.expectState('take it back', 'Pending');
  await alice.chat.message('take it back').getByRole('button', { name: 'Message options' }).click();
  await alice.page.getByRole('menuitem', { name: 'Delete for everyone' }).click();
  await alice.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(alice.chat.message('take it back')).toHaveCount(0);

  await alice.context.setOffline(false);
  await alice.chat.expectState('keep me', /^(Sent|Delivered|Read)$/);
  await expect(bob.chat.message('keep me')).toBeVisible();
  expect(await messageTexts(bob.page)).toEqual(['keep me']);
  // Not on the server either: its history never had it.
  const id = new URL(alice.page.url()).pathname.split('/').pop() ?? '';
  const history = await alice.page.request.get(`/api/conversations/${id}/messages`);
  expect(JSON.stringify(await history.json())).not.toContain('take it back');
});
