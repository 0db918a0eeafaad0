/**
 * Reply: from a message's menu or with R on the focused message; the composer shows what
 * you reply to (Escape cancels); the reply carries a quote of the original ("Message
 * deleted" once it is gone) and activating the quote scrolls back to the original,
 * loading older history on a device that does not have it yet, and focuses it.
 */
import { createActor, test } from './fixtures/actors';
import { befriend, expect } from './fixtures/pair';
import { listEntry } from './helpers/local-first';
import { chooseFromMenu, composerContext, messageExactly } from './helpers/rich-messages';

/** Messages after the original: past the e2e server's 30-message epoch (a sealed document). */
const FILLERS = 34;

test('bob replies to an old message and alice jumps back to the original', async ({
  browser,
  alice,
  bob,
}) => {
  test.setTimeout(120_000);
  await befriend(alice, bob);
  await alice.chat.send('the original question');
  await alice.chat.send('a typo I will delete');
  await expect(messageExactly(bob.page, 'a typo I will delete')).toBeVisible();

  // R on the focused message replies; Escape cancels; R again, and send.
  await messageExactly(bob.page, 'a typo I will delete').focus();
  await bob.page.keyboard.press('r');
  const replying = composerContext(bob.page, `Replying to ${alice.name}`);
  await expect(replying).toContainText('a typo I will delete');
  await expect(bob.chat.composer).toBeFocused();
  await bob.chat.composer.press('Escape');
  await expect(replying).toBeHidden();
  await messageExactly(bob.page, 'a typo I will delete').focus();
  await bob.page.keyboard.press('r');
  await bob.chat.send('replying to the typo');
  await expect(replying).toBeHidden();
  const typoQuote = messageExactly(bob.page, 'replying to the typo').getByRole('button', {
    name: `Go to the original message: ${alice.name}: a typo I will delete`,
  });
  await expect(typoQuote).toBeVisible();

  // The original is deleted for everyone: the quote says so.
  await chooseFromMenu(alice, 'a typo I will delete', 'Delete for everyone');
  await alice.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(
    messageExactly(bob.page, 'replying to the typo').getByRole('button', {
      name: `Go to the original message: ${alice.name}: Message deleted`,
    }),
  ).toBeVisible();

  for (let i = 1; i <= FILLERS; i++) await alice.chat.send(`filler ${i}`);
  await expect(messageExactly(bob.page, `filler ${FILLERS}`)).toBeVisible();

  // Bob replies to the old question from its menu.
  await chooseFromMenu(bob, 'the original question', 'Reply');
  await expect(replying).toContainText('the original question');
  await bob.chat.send('the answer');
  await expect(replying).toBeHidden();

  // Alice, at the bottom, activates the quote: the original scrolls into view, focused.
  const original = messageExactly(alice.page, 'the original question');
  const quote = messageExactly(alice.page, 'the answer').getByRole('button', {
    name: 'Go to the original message: You: the original question',
  });
  await expect(quote).toBeVisible();
  await expect(original).not.toBeInViewport();
  await quote.click();
  await expect(original).toBeInViewport();
  await expect(original).toBeFocused();

  // On a new device the original is in a sealed document not loaded yet: the quote loads it.
  const phone = await createActor(browser, 'Phone');
  try {
    await phone.page.goto('/');
    await phone.login.signIn({ email: alice.email, password: alice.password });
    await listEntry(phone.page, bob.name).click();
    const answer = messageExactly(phone.page, 'the answer');
    await expect(answer).toBeVisible();
    await answer.getByRole('button', { name: /^Go to the original message/ }).click();
    const there = messageExactly(phone.page, 'the original question');
    await expect(there).toBeInViewport();
    await expect(there).toBeFocused();
    expect(phone.errors).toEqual([]);
  } finally {
    await phone.context.close();
  }
});

test('on a touch screen, swiping a message sideways replies to it', async ({ alice, bob }) => {
  await befriend(alice, bob);
  await alice.chat.send('swipe me');
  const text = messageExactly(bob.page, 'swipe me').locator('.text');
  await expect(text).toBeVisible();
  const box = await text.boundingBox();
  if (!box) throw new Error('no box');
  const at = (dx: number) => ({
    pointerType: 'touch',
    isPrimary: true,
    pointerId: 7,
    clientX: box.x + 10 + dx,
    clientY: box.y + box.height / 2,
  });
  // A touch drag of 70 px to the right (Playwright's touchscreen only taps).
  await text.dispatchEvent('pointerdown', at(0));
  for (const dx of [20, 40, 70]) await text.dispatchEvent('pointermove', at(dx));
  await text.dispatchEvent('pointerup', at(70));
  const replying = composerContext(bob.page, `Replying to ${alice.name}`);
  await expect(replying).toContainText('swipe me');
  await bob.chat.send('swiped');
  await expect(
    messageExactly(alice.page, 'swiped').getByRole('button', {
      name: 'Go to the original message: You: swipe me',
    }),
  ).toBeVisible();
});
