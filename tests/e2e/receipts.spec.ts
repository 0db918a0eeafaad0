/**
 * Message states: pending → sent → delivered → read, and "read" only from a page that is
 * visible and focused. Playwright normally pretends every page has the focus; for bob's
 * reading page we turn that emulation off (CDP), so `document.hasFocus()` and the
 * focus/blur events are Chromium's real ones: opening another page takes the focus away.
 */
import { test } from './fixtures/actors';
import { befriend, expect, listEntry } from './fixtures/pair';

test('a message goes pending → sent → delivered → read, and a background tab does not read it', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  const conversationUrl = bob.page.url();
  // Bob leaves: nothing of his is open.
  await bob.page.close();

  // Written offline: pending (clock), only on alice's device.
  await alice.context.setOffline(true);
  await alice.chat.send('did you get this?');
  await alice.chat.expectState('did you get this?', 'Pending');
  // Back online: the server stores it (✓), bob has no device online (not delivered).
  await alice.context.setOffline(false);
  await alice.chat.expectState('did you get this?', 'Sent');

  // Bob opens the conversation in a page that does not have the focus. (A document load
  // turns the focus emulation back on, so switch it off after loading and navigate
  // within the app afterwards, as the app's own links do.)
  const reader = await bob.context.newPage();
  await reader.goto('/');
  await expect(reader.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const cdp = await bob.context.newCDPSession(reader);
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
  const front = await bob.context.newPage();
  await front.goto('/');
  await front.bringToFront();
  await expect.poll(() => reader.evaluate(() => document.hasFocus())).toBe(false);
  await reader.evaluate((url) => {
    history.pushState(null, '', new URL(url).pathname);
    dispatchEvent(new PopStateEvent('popstate'));
  }, conversationUrl);
  await expect(
    reader.getByRole('log', { name: 'Messages' }).getByText('did you get this?'),
  ).toBeVisible();
  await expect(reader.locator('section[data-sync-state="synced"]')).toBeVisible();

  // His device has it (✓✓), but nobody looked at it.
  await alice.chat.expectState('did you get this?', 'Delivered');
  await front.reload();
  await expect(listEntry(front, alice.name)).toContainText('1 unread');
  await expect(alice.chat.stateOf('did you get this?')).toHaveAccessibleName('Delivered');

  // Bob switches to the page: now it is read (✓✓ in the accent colour).
  await reader.bringToFront();
  await alice.chat.expectState('did you get this?', 'Read');
  await expect(alice.chat.stateOf('did you get this?')).toHaveAttribute('data-state', 'read');
  await expect(listEntry(front, alice.name)).not.toContainText('unread');
  await front.close();
  await reader.close();
});
