/** Text is text: markup in messages and display names is shown, never run or parsed. */
import { test } from './fixtures/actors';
import { expect } from './fixtures/pair';

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  'javascript:alert(3)',
  '<a href="javascript:alert(4)">click</a>',
  '"><svg onload=alert(5)>',
];

test('markup in messages and display names renders as text', async ({ alice, bob }) => {
  const dialogs: string[] = [];
  for (const page of [alice.page, bob.page]) page.on('dialog', (d) => dialogs.push(d.message()));

  const evilName = `<img src=x onerror=alert(6)> ${bob.name}`;
  await alice.signUp();
  await bob.login.signUp({ displayName: evilName, email: bob.email, password: bob.password });

  await alice.chat.openWith(evilName);
  await alice.chat.waitUntilSynced();
  for (const text of PAYLOADS) await alice.chat.send(text);
  await alice.chat.send('safe link: https://example.com/path?q=1 and javascript:alert(7)');

  await bob.chat.openWith(alice.name);
  for (const chat of [alice.chat, bob.chat]) {
    for (const text of PAYLOADS)
      await expect(chat.log.getByText(text, { exact: true })).toBeVisible();
  }
  // The name is shown literally in alice's header, list and search.
  await expect(alice.page.getByRole('heading', { name: evilName })).toBeVisible();

  for (const page of [alice.page, bob.page]) {
    // Locators pierce shadow roots: no element came out of any payload.
    await expect(page.locator('img')).toHaveCount(0);
    await expect(page.locator('script:not([type="module"])')).toHaveCount(0);
    await expect(page.locator('svg[onload]')).toHaveCount(0);
    await expect(page.locator('[onerror]')).toHaveCount(0);
    await expect(page.locator('a[href^="javascript"]')).toHaveCount(0);
    // Only the http(s) URL became a link, opening safely in a new tab.
    const link = page
      .getByRole('log', { name: 'Messages' })
      .getByRole('link', { name: 'https://example.com/path?q=1' });
    await expect(link).toHaveAttribute('href', 'https://example.com/path?q=1');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  }
  expect(dialogs).toEqual([]);
});
