/**
 * The admin page (issue #15): an operator makes Alice an admin with the CLI; she switches
 * registration to invite-only and creates an invite on the admin page; Bob opens the invite
 * link, finds the code filled in, and signs up.
 */
import { runAdminCli } from '../helpers/admin-cli';
import { expect, test } from './fixtures/actors';

const cliEnv = (): Record<string, string> => ({
  DATA_DIR: process.env.E2E_DATA_DIR ?? '',
  PORT: process.env.E2E_PORT ?? '',
});

test('an admin creates an invite on the admin page and a new person signs up with its link', async ({
  alice,
  bob,
}) => {
  const made = await runAdminCli(
    [
      'users',
      'create',
      '--email',
      alice.email,
      '--name',
      alice.name,
      '--admin',
      '--password-stdin',
    ],
    cliEnv(),
    alice.password,
  );
  expect(made.code, made.stderr).toBe(0);
  try {
    await alice.page.goto('/');
    await alice.login.signIn({ email: alice.email, password: alice.password });
    await alice.page.getByRole('link', { name: 'Admin' }).click();
    await expect(alice.page.getByRole('heading', { name: 'Administration' })).toBeVisible();

    await alice.page.getByRole('radio', { name: 'Only people with an invite' }).check();
    await alice.page.getByRole('spinbutton', { name: 'Uses' }).fill('1');
    await alice.page.getByRole('button', { name: 'Create invite' }).click();
    const linkBox = alice.page.getByRole('textbox', { name: 'New invite link' });
    await expect(linkBox).toHaveValue(/\/sign-up\?invite=/);
    const link = new URL(await linkBox.inputValue());
    const invites = alice.page.getByRole('table', { name: 'Invites' });
    await expect(invites.getByRole('row').nth(1)).toContainText('0 of 1');

    await bob.page.goto(`${link.pathname}${link.search}`);
    await expect(bob.page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await expect(bob.page.getByRole('textbox', { name: 'Invite code' })).toHaveValue(
      link.searchParams.get('invite') ?? '',
    );
    await bob.page.getByLabel('Display name').fill(bob.name);
    await bob.page.getByLabel('E-mail').fill(bob.email);
    await bob.page.getByLabel('Password').fill(bob.password);
    await bob.page.getByRole('button', { name: 'Create account' }).click();
    await expect(bob.page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    // Bob is no admin: no Admin link for him.
    await expect(bob.page.getByRole('link', { name: 'Admin' })).toHaveCount(0);

    // The invite is used up on Alice's page (after a reload of the list).
    await alice.page.reload();
    await expect(
      alice.page.getByRole('table', { name: 'Invites' }).getByRole('row').nth(1),
    ).toContainText('Used up');
    // And Bob is in the accounts list.
    await alice.page.getByRole('searchbox', { name: 'Search accounts' }).fill(bob.email);
    await expect(alice.page.getByRole('table', { name: 'Accounts' })).toContainText(bob.name);

    // Disabling Bob on the page signs him out on his device.
    await alice.page.getByRole('button', { name: `Disable ${bob.email}` }).click();
    await expect(alice.page.getByRole('table', { name: 'Accounts' })).toContainText('Disabled');
    await expect(bob.page.getByText('Your session ended. Sign in again.')).toBeVisible();
    await bob.page.getByLabel('E-mail').fill(bob.email);
    await bob.page.getByRole('textbox', { name: 'Password' }).fill(bob.password);
    await bob.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(bob.page.getByRole('alert')).toContainText('This account is disabled');
  } finally {
    // The other specs sign up freely on this shared server.
    await runAdminCli(['registration', 'open'], cliEnv());
  }
});

test('without e-mail, "Forgot password?" sends people to the operator, whose reset link sets a new password', async ({
  alice,
}) => {
  await alice.signUp();
  await alice.page.getByRole('button', { name: 'Sign out' }).click();
  await alice.page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(alice.page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await expect(alice.page.getByRole('status')).toContainText("Ask the server's operator");

  const made = await runAdminCli(['users', 'reset-password', alice.email, '--json'], cliEnv());
  expect(made.code, made.stderr).toBe(0);
  const link = new URL((JSON.parse(made.stdout) as { link: string }).link);
  await alice.page.goto(`${link.pathname}${link.search}`);
  await expect(alice.page.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
  await alice.page.getByRole('textbox', { name: 'New password' }).fill('a whole new password');
  await alice.page.getByRole('button', { name: 'Set new password' }).click();
  await expect(alice.page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  // The link worked once: opened again, it is refused.
  await alice.page.getByRole('button', { name: 'Sign out' }).click();
  await alice.page.goto(`${link.pathname}${link.search}`);
  await alice.page.getByRole('textbox', { name: 'New password' }).fill('yet another password');
  await alice.page.getByRole('button', { name: 'Set new password' }).click();
  await expect(alice.page.getByRole('alert')).toContainText('This link does not work');
});
