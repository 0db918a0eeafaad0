/**
 * Long conversations: the e2e server seals a live document at 30 messages (EPOCH_MESSAGES in
 * playwright.config.ts). Writing goes on seamlessly across the seal; a new device sees the
 * newest messages first, loads older history by scrolling up, and keeps it for offline
 * reading.
 */
import type { Page } from '@playwright/test';
import { createActor, expect, test } from './fixtures/actors';
import { connect, listEntry, waitForServiceWorker } from './helpers/local-first';

const EPOCH = 30;

/** The message whose text is exactly `text` in the open conversation. */
const message = (page: Page, text: string) =>
  page
    .getByRole('log', { name: 'Messages' })
    .locator('[data-message-id] .text')
    .filter({ hasText: new RegExp(`^${text}$`) });

test('a conversation longer than one document: seamless writing, scroll-back, offline history', async ({
  browser,
  alice,
  bob,
}) => {
  test.setTimeout(120_000);
  await connect(alice, bob);
  // Both write past the seal; every message arrives once, in order, on both sides.
  const last = EPOCH + 5;
  for (let i = 1; i <= last; i++) {
    const who = i % 3 === 0 ? bob : alice;
    await who.chat.send(`message ${i}`);
  }
  for (const who of [alice, bob]) {
    await expect(message(who.page, `message ${last}`)).toBeVisible();
    await expect(message(who.page, 'message 1')).toHaveCount(1);
    await expect(message(who.page, `message ${EPOCH + 1}`)).toHaveCount(1);
  }
  // Both stayed at the bottom: the newest message is on screen, no "New messages" button.
  for (const who of [alice, bob]) {
    await expect(message(who.page, `message ${last}`)).toBeInViewport();
    await expect(who.page.getByRole('button', { name: /New messages/ })).toHaveCount(0);
  }
  await alice.chat.expectState(`message ${last - 1}`, 'Read');

  // Bob on a new device: the live document has the newest messages; older ones come
  // from the server when he scrolls up.
  const phone = await createActor(browser, 'Phone');
  try {
    await phone.page.goto('/');
    await phone.login.signIn({ email: bob.email, password: bob.password });
    await listEntry(phone.page, alice.name).click();
    const log = phone.page.getByRole('log', { name: 'Messages' });
    await expect(message(phone.page, `message ${last}`)).toBeVisible();
    await waitForServiceWorker(phone.page);
    await log.evaluate((el) => (el.scrollTop = 0));
    await expect(message(phone.page, 'message 1')).toHaveCount(1);
    await expect(message(phone.page, 'message 2')).toHaveCount(1);
    // Sealed history is read-only: Bob's old message can be replied to, but not deleted,
    // edited or reacted to, and its menu says why; his messages in the live document can.
    const row = (text: string) =>
      log.locator('[data-message-id]').filter({
        has: phone.page.locator('.text').filter({ hasText: new RegExp(`^${text}$`) }),
      });
    await expect(row('message 3')).toHaveCount(1);
    await row('message 3').getByRole('button', { name: 'Message options' }).click();
    const menu = phone.page.getByRole('menu', { name: 'Message options' });
    await expect(menu.getByRole('menuitem', { name: 'Reply' })).toBeVisible();
    await expect(menu).toHaveAccessibleDescription(/can no longer be edited/);
    for (const item of ['Delete for everyone', 'Edit', 'React'])
      await expect(menu.getByRole('menuitem', { name: item })).toHaveCount(0);
    await phone.page.keyboard.press('Escape');
    await row(`message ${EPOCH + 3}`)
      .getByRole('button', { name: 'Message options' })
      .click();
    await expect(menu.getByRole('menuitem', { name: 'Delete for everyone' })).toBeVisible();
    await phone.page.keyboard.press('Escape');

    // Offline, the history this device has seen stays readable, the sealed part included.
    await phone.context.setOffline(true);
    await phone.page.reload();
    await expect(message(phone.page, `message ${last}`)).toBeVisible();
    await log.evaluate((el) => (el.scrollTop = 0));
    await expect(message(phone.page, 'message 1')).toHaveCount(1);
    expect(phone.errors).toEqual([]);
  } finally {
    await phone.context.close();
  }
});
