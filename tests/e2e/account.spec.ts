/**
 * Your account (issue #14), two people: sign-out with unsent messages (warned, and a
 * sign-out made offline really ends the session), changing the password, signing out
 * another device, exporting your data, deleting your account.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/actors';
import { LoginPage } from './pages/login-page';
import { connect, listEntry, waitForServiceWorker } from './helpers/local-first';

const OFFLINE = 'Offline — messages are kept on this device';

const devicesList = (page: Page) => page.getByRole('list', { name: 'Devices' });

test('sign-out warns about unsent messages; made offline, it ends the session on the server once online', async ({
  alice,
  bob,
  request,
}) => {
  await connect(alice, bob);
  await waitForServiceWorker(alice.page);
  const cookie = (await alice.context.cookies()).find((c) => c.name === 'parley_session');
  expect(cookie).toBeDefined();
  const me = () =>
    request.get('/api/me', { headers: { Cookie: `parley_session=${cookie!.value}` } });

  await alice.context.setOffline(true);
  await expect(alice.page.getByRole('status')).toHaveText(OFFLINE);
  await alice.chat.send('unsent one');
  await alice.chat.send('unsent two');
  await alice.chat.expectState('unsent two', 'Pending');

  await alice.page.getByRole('button', { name: 'Sign out' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'Sign out?' });
  await expect(dialog).toContainText('2 messages have not been sent yet');
  await dialog.getByRole('button', { name: 'Send them first' }).click();
  await expect(dialog).toBeHidden();
  await alice.chat.expectState('unsent one', 'Pending');

  await alice.page.getByRole('button', { name: 'Sign out' }).click();
  await dialog.getByRole('button', { name: 'Sign out anyway' }).click();
  await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // The server has not heard of it yet: the old cookie still works (from elsewhere).
  expect((await me()).status()).toBe(200);
  // Reloading, or opening /sign-in, offline: still signed out.
  await alice.page.reload();
  await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await alice.page.goto('/sign-in');
  await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  // Back online: the device revokes the session, and reloading does not sign back in.
  await alice.context.setOffline(false);
  await expect.poll(async () => (await me()).status(), { timeout: 20_000 }).toBe(401);
  await alice.page.reload();
  await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(alice.page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('change the password (errors at their fields), then sign in with the new one', async ({
  alice,
}) => {
  await alice.signUp();
  await alice.page.goto('/settings');
  const page = alice.page;
  const current = page.getByLabel('Current password', { exact: true });
  const next = page.getByLabel('New password', { exact: true });
  const confirm = page.getByLabel('Confirm new password', { exact: true });
  await next.fill('short');
  await confirm.fill('different');
  await page.getByRole('button', { name: 'Change password' }).click();
  // Every mistake at once, each at its field.
  await expect(current).toHaveAccessibleDescription('Enter your current password.');
  await expect(next).toHaveAccessibleDescription(/Password must be at least \d+ characters\./);
  await expect(confirm).toHaveAccessibleDescription('The two new passwords do not match.');
  await expect(current).toBeFocused();

  await current.fill('not my password');
  await next.fill('a brand new password');
  await confirm.fill('a brand new password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(current).toHaveAccessibleDescription('The current password is wrong.');

  await current.fill(alice.password);
  await next.fill('a brand new password');
  await confirm.fill('a brand new password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out of this device' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('E-mail').fill(alice.email);
  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong e-mail or password.');
  await alice.login.signIn({ email: alice.email, password: 'a brand new password' });
});

test('devices: alice signed in twice signs the other device out from settings; it lands on sign-in', async ({
  alice,
  browser,
}) => {
  await alice.signUp();
  const laptop = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const other = await laptop.newPage();
  await other.goto('/');
  await new LoginPage(other).signIn({ email: alice.email, password: alice.password });

  await alice.page.goto('/settings');
  const devices = devicesList(alice.page).getByRole('listitem');
  await expect(devices).toHaveCount(2);
  const mine = devices.filter({ hasText: 'This device' });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText('Chrome on Linux');
  await expect(mine).toContainText('127.0.0.x');
  await expect(mine).toContainText('Active just now');
  await devices
    .filter({ hasNotText: 'This device' })
    .getByRole('button', { name: 'Sign out' })
    .click();
  await expect(devices).toHaveCount(1);
  // The other device learns it at once (its live connections close) and shows sign-in.
  await expect(other.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(other.getByText('Your session ended. Sign in again.')).toBeVisible();
  // And "sign out everywhere else" appears only while there is someone else.
  await expect(alice.page.getByRole('button', { name: 'Sign out everywhere else' })).toHaveCount(0);
  await laptop.close();
});

test('export downloads JSON and a readable HTML page with the conversation’s messages', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  await alice.chat.send('for the <b>record</b>');
  await bob.chat.send('noted, alice');
  await expect(alice.chat.message('noted, alice')).toBeVisible();
  await alice.page.goto('/settings');

  const [json] = await Promise.all([
    alice.page.waitForEvent('download'),
    alice.page.getByRole('link', { name: 'Download as JSON' }).click(),
  ]);
  expect(json.suggestedFilename()).toMatch(/^parley-export-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(readFileSync(await json.path(), 'utf8')) as {
    profile: { displayName: string };
    conversations: {
      with: { displayName: string };
      messages: { text: string; from: { displayName: string } }[];
    }[];
  };
  expect(data.profile.displayName).toBe(alice.name);
  expect(data.conversations).toHaveLength(1);
  expect(data.conversations[0]!.with.displayName).toBe(bob.name);
  expect(data.conversations[0]!.messages.map((m) => [m.from.displayName, m.text])).toEqual([
    [alice.name, 'for the <b>record</b>'],
    [bob.name, 'noted, alice'],
  ]);

  const [page] = await Promise.all([
    alice.page.waitForEvent('download'),
    alice.page.getByRole('link', { name: 'Download as a web page (HTML)' }).click(),
  ]);
  expect(page.suggestedFilename()).toMatch(/\.html$/);
  const htmlText = readFileSync(await page.path(), 'utf8');
  // Open the file as a page: the messages read as text, and nothing in it runs.
  const viewer = await alice.context.newPage();
  await viewer.setContent(htmlText);
  await expect(
    viewer.getByRole('heading', { name: `Conversation with ${bob.name}` }),
  ).toBeVisible();
  await expect(viewer.getByText('for the <b>record</b>')).toBeVisible();
  await expect(viewer.getByText('noted, alice')).toBeVisible();
  await viewer.close();
});

test('delete account: a wrong password is refused; then bob sees "Deleted account" and the text is gone', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  await alice.chat.send('words of alice to erase');
  await bob.chat.send('words of bob stay');
  await expect(bob.chat.message('words of alice to erase')).toBeVisible();
  await expect(alice.chat.message('words of bob stay')).toBeVisible();

  await alice.page.goto('/settings');
  await alice.page.getByRole('button', { name: 'Delete account…' }).click();
  const password = alice.page.getByLabel('Your password');
  await expect(password).toBeFocused();
  await password.fill('not the password');
  await alice.page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(password).toHaveAccessibleDescription('The password is wrong.');
  await password.fill(alice.password);
  await alice.page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  // Bob's copy: the name is "Deleted account", alice's words are gone, his stay.
  await expect(bob.chat.message('words of alice to erase')).toHaveCount(0);
  await expect(bob.chat.message('words of bob stay')).toBeVisible();
  await expect(listEntry(bob.page, 'Deleted account')).toBeVisible();
  await bob.page.reload();
  await expect(bob.chat.message('words of bob stay')).toBeVisible();
  await expect(bob.chat.message('words of alice to erase')).toHaveCount(0);
  await expect(bob.page.getByRole('heading', { name: 'Deleted account' })).toBeVisible();

  // The account cannot sign in any more.
  await alice.page.getByLabel('E-mail').fill(alice.email);
  await alice.page.getByLabel('Password').fill(alice.password);
  await alice.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alice.page.getByRole('alert')).toHaveText('Wrong e-mail or password.');
});
