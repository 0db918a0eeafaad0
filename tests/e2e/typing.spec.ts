/** "… is typing…": appears at the first keystroke, goes after a pause, on send or on clearing. */
import { test } from './fixtures/actors';
import { befriend, expect, since } from './fixtures/pair';

test('typing appears on the other side and disappears after a pause, a send or clearing', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  const indicator = bob.page.getByText(`${alice.name} is typing…`);
  await expect(indicator).toBeHidden();

  // Appears within half a second of the first keystroke.
  let start = Date.now();
  await alice.chat.composer.press('H');
  // Poll every 50 ms: web-first assertions back off to 1 s between tries, too coarse to measure.
  await expect.poll(() => indicator.isVisible(), { intervals: [50], timeout: 3_000 }).toBe(true);
  const appearMs = since(start);
  await alice.chat.composer.pressSequentially('ello');

  // Disappears within 3 s of the last keystroke.
  start = Date.now();
  await expect.poll(() => indicator.isVisible(), { intervals: [50], timeout: 6_000 }).toBe(false);
  const idleMs = since(start);

  // Sending clears it at once.
  await alice.chat.composer.pressSequentially(' again');
  await expect(indicator).toBeVisible();
  start = Date.now();
  await alice.chat.composer.press('Enter');
  await expect(indicator).toBeHidden({ timeout: 2_000 });
  const sendMs = since(start);
  await expect(bob.chat.message('Hello again')).toBeVisible();

  // So does clearing the draft.
  await alice.chat.composer.pressSequentially('never mind');
  await expect(indicator).toBeVisible();
  start = Date.now();
  await alice.chat.composer.fill('');
  await expect(indicator).toBeHidden({ timeout: 2_000 });
  const clearMs = since(start);

  // It sits in a polite live region.
  await alice.chat.composer.pressSequentially('x');
  await expect(bob.page.locator('[aria-live="polite"]', { has: indicator })).toHaveCount(1);

  console.log(
    `[measure] typing: shown ${appearMs} ms after the first keystroke; hidden ${idleMs} ms ` +
      `after the last keystroke, ${sendMs} ms after sending, ${clearMs} ms after clearing`,
  );
  expect(appearMs).toBeLessThan(1_500);
  expect(idleMs).toBeLessThan(3_500);
});
