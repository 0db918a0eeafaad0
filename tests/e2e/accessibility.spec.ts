/**
 * axe-core on every main screen, in both themes (dark and light) at desktop (1280×800) and
 * phone (390×844) sizes, with zero violations and no rule turned off: sign-in, sign-up,
 * forgot password, the conversation list, a conversation with a reply and a reaction, the
 * people page, settings, the notifications dialog, the confirm dialog and the emoji picker.
 */
import { test } from './fixtures/actors';
import { befriend, expect, listEntry } from './fixtures/pair';
import { expectAccessible, inEveryLook, LOOKS } from './helpers/axe';
import { chooseFromMenu, messageExactly } from './helpers/rich-messages';

// Each screen is checked four times (two themes, two sizes) and one axe run takes seconds on
// a busy machine: the tests get the time for it.
test('signed out: sign-in, sign-up and forgot password', async ({ alice }) => {
  test.setTimeout(300_000);
  const page = alice.page;
  await page.goto('/sign-in');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await inEveryLook(page, 'sign-in');
  // An error shown on the form is checked too.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'sign-in with an error');

  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('button', { name: 'Create account' })).toBeVisible();
  await inEveryLook(page, 'sign-up');

  await page.goto('/forgot');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await inEveryLook(page, 'forgot password');
});

test('signed in: the list, a conversation, people search, people and settings', async ({
  alice,
  bob,
}) => {
  test.setTimeout(600_000);
  await befriend(alice, bob);
  const page = alice.page;
  await bob.chat.send('Are we still on for Saturday?');
  await expect(messageExactly(page, 'Are we still on for Saturday?')).toBeVisible();
  await chooseFromMenu(alice, 'Are we still on for Saturday?', 'Reply');
  await alice.chat.send('Yes, 10 at the station');
  await chooseFromMenu(bob, 'Yes, 10 at the station', 'React');
  await bob.page
    .getByRole('dialog', { name: 'React to this message' })
    .getByRole('button', { name: 'React with 👍' })
    .click();
  await expect(
    messageExactly(page, 'Yes, 10 at the station').getByRole('button', { name: /👍/ }),
  ).toBeVisible();
  await alice.chat.expectState('Yes, 10 at the station', 'Read');

  // The conversation (on a phone: the conversation pane alone).
  await inEveryLook(page, 'conversation');

  // The conversation list (home; on a phone: the list pane alone).
  await page.goto('/');
  await expect(listEntry(page, bob.name)).toBeVisible();
  await inEveryLook(page, 'conversation list');

  // Search results in the list.
  await page.getByRole('searchbox', { name: 'Search people' }).fill(bob.name);
  await expect(page.getByRole('button', { name: bob.name, exact: true })).toBeVisible();
  await inEveryLook(page, 'people search results');
  await page.getByRole('searchbox', { name: 'Search people' }).fill('');

  // People.
  await page.goto('/people');
  await expect(page.getByRole('list', { name: 'Contacts' })).toBeVisible();
  await inEveryLook(page, 'people');

  // Settings.
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await inEveryLook(page, 'settings');
});

test('signed in: the notifications dialog, the confirm dialog and the emoji picker', async ({
  alice,
  bob,
}) => {
  test.setTimeout(600_000);
  await befriend(alice, bob);
  const page = alice.page;
  await bob.chat.send('Are we still on for Saturday?');
  await expect(messageExactly(page, 'Are we still on for Saturday?')).toBeVisible();

  // The notifications dialog.
  await page.goto('/');
  await expect(listEntry(page, bob.name)).toBeVisible();
  await inEveryLook(page, 'notifications dialog', async () => {
    if (await page.getByRole('dialog', { name: 'Notifications' }).isVisible()) return;
    await page.getByRole('button', { name: 'Notifications' }).click();
    await expect(page.getByRole('dialog', { name: 'Notifications' })).toBeVisible();
  });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Notifications' })).toBeHidden();

  // The confirm dialog (blocking asks first) and the emoji picker, in the conversation.
  await listEntry(page, bob.name).click();
  await alice.chat.waitUntilSynced();
  for (const look of LOOKS) {
    await inEveryLook(
      page,
      'confirm dialog',
      async () => {
        await page.getByRole('button', { name: 'Conversation options' }).click();
        await page.getByRole('menuitem', { name: 'Block' }).click();
        await expect(page.getByRole('dialog', { name: `Block ${bob.name}?` })).toBeVisible();
      },
      [look],
    );
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('dialog', { name: `Block ${bob.name}?` })).toBeHidden();

    await inEveryLook(
      page,
      'emoji picker',
      async () => {
        await chooseFromMenu(alice, 'Are we still on for Saturday?', 'React');
        const picker = page.getByRole('dialog', { name: 'React to this message' });
        await picker.getByRole('button', { name: 'More emoji' }).click();
        await expect(picker.getByRole('searchbox', { name: 'Search emoji' })).toBeVisible();
      },
      [look],
    );
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'React to this message' })).toBeHidden();
  }
});
