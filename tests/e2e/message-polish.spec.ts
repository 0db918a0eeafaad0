/**
 * Message list polish (issue #14, findings 3, 4, 6, 8): groups of messages with one time,
 * "Jump to latest" with the unread count, read vs delivered, the newest message kept in
 * view when a phone keyboard opens, right-to-left text, and a device whose clock is wrong.
 */
import type { Locator, Page } from '@playwright/test';
import { test, type Actor } from './fixtures/actors';
import { befriend, expect, listEntry } from './fixtures/pair';

// Two people sign up and befriend in every test: slow on a busy machine.
test.describe.configure({ timeout: 300_000 });

/** How many message times in the log are painted (a hidden time is 1 px or less wide). */
const paintedTimes = (log: Locator): Promise<number> =>
  log
    .locator('time')
    .evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().width > 2).length);

const timePainted = (message: Locator): Promise<boolean> =>
  message.locator('time').evaluate((e) => e.getBoundingClientRect().width > 2);

/** True when `message` lies entirely inside the visible part of `log`. */
async function inside(log: Locator, message: Locator): Promise<boolean> {
  const [l, m] = await Promise.all([log.boundingBox(), message.boundingBox()]);
  if (!l || !m) return false;
  return m.y >= l.y - 1 && m.y + m.height <= l.y + l.height + 1;
}

/** Send `count` numbered messages, waiting for each to reach the server. */
async function sendMany(who: Actor, prefix: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) await who.chat.send(`${prefix} ${i}`);
  await who.chat.expectState(`${prefix} ${count}`, /^(Sent|Delivered|Read)$/);
}

test('messages in a row form one group with one time, the others’ times on hover', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  await alice.chat.send('one');
  await alice.chat.send('two');
  await alice.chat.send('three');
  await bob.chat.send('four');
  await expect(alice.chat.message('four')).toBeVisible();
  await expect(bob.chat.message('three')).toBeVisible();

  // hello, one, two, three (alice, within minutes) and four (bob): two groups, two times.
  for (const who of [alice, bob]) {
    await expect.poll(() => paintedTimes(who.chat.log)).toBe(2);
    expect(await timePainted(who.chat.message('three'))).toBe(true);
    expect(await timePainted(who.chat.message('one'))).toBe(false);
    // The others' times are still there for screen readers, and show on hover.
    await expect(who.chat.message('one').locator('time')).toHaveText(/^\d\d:\d\d$/);
  }
  await bob.chat.message('one').locator('.bubble').hover();
  await expect.poll(() => timePainted(bob.chat.message('one'))).toBe(true);
});

test('on a phone: the newest message stays in view when the keyboard opens, and Jump to latest says how many are unread', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  await bob.page.setViewportSize({ width: 390, height: 844 });
  await sendMany(alice, 'line', 14);
  const last = bob.chat.message('line 14');
  await expect(last).toBeVisible();
  await expect.poll(() => inside(bob.chat.log, last)).toBe(true);

  // A phone keyboard opens: the window shrinks to 390×500.
  await bob.page.setViewportSize({ width: 390, height: 500 });
  await expect.poll(() => inside(bob.chat.log, last)).toBe(true);
  const jump = bob.page.getByRole('button', { name: /^Jump to latest message/ });
  await expect(jump).toHaveCount(0);

  // Scrolled up: the button is there, with no unread messages yet.
  await bob.chat.log.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(bob.page.getByRole('button', { name: 'Jump to latest message' })).toBeVisible();
  await sendMany(alice, 'later', 3);
  await expect(
    bob.page.getByRole('button', { name: 'Jump to latest message, 3 unread' }),
  ).toBeVisible();
  expect(await inside(bob.chat.log, bob.chat.message('later 3'))).toBe(false);

  // Bob's device has them but he has not seen them: delivered (two outline ticks), while
  // what he saw is read (a filled disc, another colour).
  await alice.chat.expectState('later 3', 'Delivered');
  await alice.chat.expectState('line 14', 'Read');
  const read = alice.chat.stateOf('line 14');
  const delivered = alice.chat.stateOf('later 3');
  await expect(read.locator('circle')).toHaveCount(1);
  await expect(delivered.locator('circle')).toHaveCount(0);
  const colourOf = (l: Locator) =>
    l.evaluate((el) => {
      const disc = el.querySelector('circle');
      return disc ? getComputedStyle(disc).fill : getComputedStyle(el).color;
    });
  expect(await colourOf(read)).not.toBe(await colourOf(delivered));

  await bob.page.getByRole('button', { name: 'Jump to latest message, 3 unread' }).click();
  const newest = bob.chat.message('later 3');
  await expect.poll(() => inside(bob.chat.log, newest)).toBe(true);
  await expect(newest).toBeFocused();
  await expect(jump).toHaveCount(0);
  await alice.chat.expectState('later 3', 'Read');
});

test('right-to-left text is laid out right to left everywhere it appears', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  const hebrew = 'שלום, מה שלומך?';
  await alice.chat.composer.fill(hebrew);
  const direction = (l: Locator) => l.evaluate((el) => getComputedStyle(el).direction);
  await expect(alice.chat.composer).toHaveAttribute('dir', 'auto');
  expect(await direction(alice.chat.composer)).toBe('rtl');
  await alice.chat.composer.press('Enter');
  const text = bob.chat.message(hebrew).locator('.text');
  await expect(text).toHaveAttribute('dir', 'auto');
  expect(await direction(text)).toBe('rtl');
  // Laid out from the right: the text's first character is at its right edge.
  const starts = await text.evaluate((el) => {
    const range = document.createRange();
    const node = document.createTreeWalker(el, NodeFilter.SHOW_TEXT).nextNode() ?? el;
    range.setStart(node, 0);
    range.setEnd(node, 1);
    const first = range.getBoundingClientRect();
    return { first: first.right, box: el.getBoundingClientRect().right };
  });
  expect(Math.abs(starts.first - starts.box)).toBeLessThan(4);
  // The list preview too.
  const preview = listEntry(bob.page, alice.name).locator('.preview');
  await expect(preview).toHaveAttribute('dir', 'auto');
  expect(await direction(preview)).toBe('rtl');
});

/** Make `page`'s clock run `shiftMs` off from the real time (from its next navigation on). */
async function skewClock(page: Page, shiftMs: number): Promise<void> {
  await page.addInitScript((shift: number) => {
    const RealDate = Date;
    class SkewedDate extends RealDate {
      constructor(...args: ConstructorParameters<DateConstructor> | []) {
        if (args.length === 0) super(RealDate.now() + shift);
        else super(...args);
      }
      static override now(): number {
        return RealDate.now() + shift;
      }
    }
    globalThis.Date = SkewedDate as DateConstructor;
  }, shiftMs);
}

test('a device whose clock is two days behind: its message comes after the earlier ones, under Today, and is the list preview', async ({
  alice,
  bob,
}) => {
  await skewClock(bob.page, -2 * 86_400_000);
  await befriend(alice, bob);
  expect(await bob.page.evaluate(() => Date.now())).toBeLessThan(Date.now() - 86_400_000);
  await alice.chat.send('are you coming today?');
  await expect(bob.chat.message('are you coming today?')).toBeVisible();
  await bob.chat.send('on my way');

  await expect(alice.chat.message('on my way')).toBeVisible();
  const texts = await alice.chat.log.locator('[data-message-id] .text').allTextContents();
  expect(texts.slice(-2)).toEqual(['are you coming today?', 'on my way']);
  // One day divider, "Today", above all of them; none for another day.
  await expect(alice.chat.log.locator('.day')).toHaveText(['Today']);
  // Its time is today's (never two days ago).
  const shown = await alice.chat.message('on my way').locator('time').getAttribute('datetime');
  expect(Math.abs(Date.parse(shown ?? '') - Date.now())).toBeLessThan(10 * 60_000);

  // The conversation list shows it as the last message.
  await alice.page.goto('/');
  await expect(listEntry(alice.page, bob.name)).toContainText('on my way');
});
