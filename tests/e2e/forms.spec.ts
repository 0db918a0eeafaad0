/**
 * Forms (issue 14, finding 10): sign-up errors belong to their fields, all at once and in
 * the form's order; limits are shown before they bite (the display name's length, and a
 * counter near the 4,000-character message limit); a paste over the limit is kept in full
 * and not sent until it is shortened.
 */
import { test } from './fixtures/actors';
import { expect } from './fixtures/pair';

test('sign-up shows every error at its own field, in order, and focuses the first', async ({
  page,
}) => {
  await page.goto('/sign-up');
  const name = page.getByRole('textbox', { name: 'Display name' });
  const email = page.getByRole('textbox', { name: 'E-mail' });
  const password = page.getByLabel('Password');
  // The name's limit is visible before typing, and typing counts.
  await expect(name).toHaveAttribute('maxlength', '60');
  await expect(page.getByText('Up to 60 characters.')).toBeVisible();
  await name.fill('x'.repeat(60));
  await expect(page.getByText('60 / 60')).toBeVisible();

  await name.fill('   ');
  await email.fill('not-an-address');
  await password.fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription(/Display name is required\./);
  await expect(email).toHaveAccessibleDescription('Enter a valid e-mail address.');
  await expect(password).toHaveAccessibleDescription(
    /At least 10 characters\..*Password must be at least 10 characters\./,
  );
  await expect(page.locator('parley-login-page .field-error')).toHaveText([
    'Display name is required.',
    'Enter a valid e-mail address.',
    'Password must be at least 10 characters.',
  ]);
  await expect(name).toBeFocused();
  // No whole-form alert repeats them.
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a paste over the message limit is kept, counted and refused until shortened', async ({
  alice,
  bob,
}) => {
  await alice.signUp();
  await bob.signUp();
  await alice.chat.openWith(bob.name);
  await alice.chat.waitUntilSynced();
  const page = alice.page;
  const composer = alice.chat.composer;

  // No counter far from the limit; it appears near it.
  await composer.fill('a'.repeat(3000));
  await expect(page.getByText(/\/ 4,000/)).toHaveCount(0);
  await composer.fill('a'.repeat(3600));
  await expect(page.getByText('3,600 / 4,000 characters')).toBeVisible();

  await composer.fill('');
  await composer.focus();
  const long = `${'b'.repeat(4050)}${'c'.repeat(50)}`;
  await page.keyboard.insertText(long); // as a paste arrives: one insertion
  await expect(composer).toHaveValue(long);
  const counter = page.getByText('100 characters over the limit (4,100 / 4,000)');
  await expect(counter).toBeVisible();
  await expect(composer).toHaveAttribute('aria-invalid', 'true');

  await composer.press('Enter');
  await expect(page.getByRole('alert')).toHaveText(
    'Not sent: this message is 100 characters too long. Shorten it to 4,000 characters to send it.',
  );
  await expect(composer).toHaveValue(long);

  // Shortened to the limit: it goes, whole.
  await composer.fill(long.slice(0, 4000));
  await expect(page.getByText('4,000 / 4,000 characters')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  await expect(alice.chat.log.locator('[data-message-id]')).toHaveCount(1);
  await expect(alice.chat.log.locator('[data-message-id]')).toContainText('b'.repeat(4000));
});
