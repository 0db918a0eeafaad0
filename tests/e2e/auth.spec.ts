/** Accounts: errors from the server, signing out, and coming back to a conversation link. */
import { expect, test } from './fixtures/actors';

test('a taken e-mail and a short password show their messages at their fields', async ({
  alice,
  bob,
}) => {
  await alice.signUp();
  const page = bob.page;
  await page.goto('/sign-up');
  await page.getByLabel('Display name').fill(bob.name);
  await page.getByLabel('E-mail').fill(bob.email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
    /Password must be at least 10 characters\./,
  );

  await page.getByLabel('E-mail').fill(alice.email);
  await page.getByLabel('Password').fill(bob.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('E-mail')).toHaveAccessibleDescription(
    'An account with this e-mail already exists. Sign in instead.',
  );
  await expect(page.getByLabel('E-mail')).toBeFocused();

  await page.getByRole('link', { name: 'Sign in instead' }).click();
  await page.getByLabel('E-mail').fill(alice.email);
  await page.getByLabel('Password').fill('wrong password!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong e-mail or password.');
});

test('a signed-out visit to a conversation link signs in and opens it', async ({ alice, bob }) => {
  await alice.signUp();
  await bob.signUp();
  await alice.chat.openWith(bob.name);
  await alice.chat.send('see you later');
  await alice.chat.expectState('see you later', /^(Sent|Delivered|Read)$/);
  const link = new URL(alice.page.url()).pathname;

  await alice.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // Nothing of alice's is left on the device.
  const leftovers = await alice.page.evaluate(async () => {
    const dbs = await indexedDB.databases();
    return [
      ...dbs.map((d) => d.name ?? ''),
      ...Object.keys(localStorage).filter((k) => k !== 'parley:last-user'),
    ].filter((n) => n.startsWith('parley:'));
  });
  expect(leftovers).toEqual([]);

  await alice.page.goto(link);
  await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await alice.login.signIn({ email: alice.email, password: alice.password });
  await expect(alice.page).toHaveURL(link);
  await expect(alice.chat.message('see you later')).toBeVisible();
});
