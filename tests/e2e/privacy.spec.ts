/**
 * Privacy settings with two people (issue #14): read receipts off (reciprocal), last seen
 * "Nobody", typing indicators off; a message request read on opening (finding 5); others'
 * status unknown while you are offline (finding 7). Negative checks wait for a barrier
 * message that left after what must not arrive.
 */
import type { Page } from '@playwright/test';
import { test, type Actor } from './fixtures/actors';
import { befriend, expect, headerPresence, listEntry } from './fixtures/pair';
import { PrivacySettingsPage } from './pages/privacy-settings';

// Two people befriending, then settings and checks on both sides: more than one minute on
// a busy machine.
test.describe.configure({ timeout: 300_000 });

/** Open the conversation with `peer` from the list (the settings page leaves it). */
async function backTo(me: Actor, peer: Actor): Promise<void> {
  await listEntry(me.page, peer.name).click();
  await expect(me.page.getByRole('heading', { name: peer.name })).toBeVisible();
  await me.chat.waitUntilSynced();
}

/**
 * Record, in the page, whether `text` is ever on screen (every animation frame, through
 * shadow roots); the returned function stops and answers.
 */
async function watchFor(page: Page, text: string): Promise<() => Promise<boolean>> {
  await page.evaluate((t) => {
    const w = window as unknown as { __seen?: boolean; __watching?: boolean };
    w.__seen = false;
    w.__watching = true;
    const has = (root: ParentNode): boolean => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot && has(el.shadowRoot)) return true;
        for (const n of Array.from(el.childNodes))
          if (n.nodeType === Node.TEXT_NODE && n.textContent?.includes(t)) return true;
      }
      return false;
    };
    const tick = (): void => {
      if (!w.__watching) return;
      if (has(document)) w.__seen = true;
      requestAnimationFrame(tick);
    };
    tick();
  }, text);
  return () =>
    page.evaluate(() => {
      const w = window as unknown as { __seen?: boolean; __watching?: boolean };
      w.__watching = false;
      return w.__seen === true;
    });
}

test('read receipts off: alice sees "Delivered", never "Read", and bob does not see hers either', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  const privacy = new PrivacySettingsPage(bob.page);
  await privacy.open();
  await expect(privacy.readReceipts).toBeChecked();
  await privacy.set(privacy.readReceipts, false);
  await backTo(bob, alice);

  await alice.chat.send('did you read this?');
  await expect(bob.chat.message('did you read this?')).toBeVisible();
  await expect(listEntry(bob.page, alice.name)).not.toContainText('unread');
  await alice.chat.expectState('did you read this?', 'Delivered');
  // Barrier: bob answers after reading; his read would have reached alice before it.
  await bob.chat.send('maybe');
  await expect(alice.chat.message('maybe')).toBeVisible();
  await expect(alice.chat.stateOf('did you read this?')).toHaveAccessibleName('Delivered');

  // Reciprocal: alice reads bob's answer, and bob is not told.
  await bob.chat.expectState('maybe', 'Delivered');
  await alice.chat.send('barrier from alice');
  await expect(bob.chat.message('barrier from alice')).toBeVisible();
  await expect(bob.chat.stateOf('maybe')).toHaveAccessibleName('Delivered');
  // Bob's unread stays right on his side: nothing unread while he looks at it.
  await expect(listEntry(bob.page, alice.name)).not.toContainText('unread');
});

test('last seen "Nobody": alice sees no status for bob, and bob sees none for alice', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  await expect(headerPresence(alice.page)).toHaveText('online');
  await expect(headerPresence(bob.page)).toHaveText('online');
  const privacy = new PrivacySettingsPage(bob.page);
  await privacy.open();
  await privacy.set(privacy.lastSeen('Nobody'));
  // Alice: nothing at all — not "online", not "offline", no last seen — while bob is here.
  await expect(headerPresence(alice.page)).toHaveText('');
  await expect(listEntry(alice.page, bob.name)).not.toContainText('online');
  await expect(listEntry(alice.page, bob.name)).not.toContainText('offline');
  await expect(alice.page.locator('parley-conversation-list .avatar.online')).toHaveCount(0);
  // Bob hid his, so he does not see hers.
  await backTo(bob, alice);
  await expect(headerPresence(bob.page)).toHaveText('');
  // Back to everyone: both see each other again.
  await privacy.open();
  await privacy.set(privacy.lastSeen('Everyone'));
  await expect(headerPresence(alice.page)).toHaveText('online');
});

test('typing indicators off: bob never sees "is typing…", and alice never sees his', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  const privacy = new PrivacySettingsPage(bob.page);
  await privacy.open();
  await privacy.set(privacy.typing, false);
  await backTo(bob, alice);

  const stop = await watchFor(bob.page, `${alice.name} is typing…`);
  await alice.chat.composer.pressSequentially('typing slowly', { delay: 60 });
  await alice.chat.composer.press('Enter');
  // Barrier: the message left after every keystroke's typing state.
  await expect(bob.chat.message('typing slowly')).toBeVisible();
  expect(await stop(), 'bob saw alice typing').toBe(false);

  const stopAlice = await watchFor(alice.page, `${bob.name} is typing…`);
  await bob.chat.composer.pressSequentially('me neither', { delay: 60 });
  await bob.chat.composer.press('Enter');
  await expect(alice.chat.message('me neither')).toBeVisible();
  expect(await stopAlice(), 'alice saw bob typing').toBe(false);
});

test('a message request clears its unread badge when opened, and replying accepts it (finding 5)', async ({
  alice,
  bob,
}) => {
  await alice.signUp();
  await bob.signUp();
  await alice.chat.openWith(bob.name);
  await alice.chat.waitUntilSynced();
  await alice.chat.send('hello, we have not met');
  await expect(listEntry(bob.page, alice.name)).toContainText('1 unread');
  await expect(bob.page).toHaveTitle('(1) Parley');

  await listEntry(bob.page, alice.name).click();
  await expect(bob.chat.message('hello, we have not met')).toBeVisible();
  const request = bob.page.getByRole('region', { name: 'Message request' });
  await expect(request).toBeVisible();
  // Read: the badge and the title count go, on this device and after a reload.
  await expect(listEntry(bob.page, alice.name)).not.toContainText('unread');
  await expect(bob.page).toHaveTitle('Parley');
  await bob.page.reload();
  await expect(listEntry(bob.page, alice.name)).toContainText('request');
  await expect(listEntry(bob.page, alice.name)).not.toContainText('unread');

  // Replying accepts the request.
  await bob.chat.send('hi alice');
  await expect(request).toBeHidden();
  await expect(alice.chat.message('hi alice')).toBeVisible();
  await expect(listEntry(bob.page, alice.name)).not.toContainText('request');
});

test('while you are offline, nobody shows as online: their status is unknown (finding 7)', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  await expect(headerPresence(alice.page)).toHaveText('online');
  await expect(listEntry(alice.page, bob.name)).toContainText('online');

  await alice.context.setOffline(true);
  await expect(headerPresence(alice.page)).toHaveText('');
  await expect(listEntry(alice.page, bob.name)).not.toContainText('online');
  await expect(alice.page.locator('parley-conversation-list .avatar.online')).toHaveCount(0);

  await alice.context.setOffline(false);
  await expect(headerPresence(alice.page)).toHaveText('online');
  await expect(listEntry(alice.page, bob.name)).toContainText('online');
});
