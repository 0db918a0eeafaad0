/** Signing out wipes the device; the next person sees nothing of the previous one. */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/actors';
import { connect, listEntry } from './helpers/local-first';

const databases = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));

const cachedUrls = (page: Page) =>
  page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys())
      for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
    return urls;
  });

const parleyKeys = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('parley:')));

test('sign-out deletes the user’s databases, caches and keys; the next user sees none of it', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  await bob.chat.send('for alice only');
  await expect(alice.chat.message('for alice only')).toBeVisible();
  await alice.chat.composer.fill('a draft nobody else may see');
  await expect.poll(() => databases(alice.page)).not.toEqual([]);
  await expect.poll(() => parleyKeys(alice.page)).toContain('parley:last-user');

  await alice.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect.poll(() => databases(alice.page)).toEqual([]);
  // Theme and similar device settings may stay; nothing of the user does.
  await expect
    .poll(() => parleyKeys(alice.page))
    .toEqual(expect.not.arrayContaining([expect.stringMatching(/^parley:(u_|last-user)/)]));
  const urls = await cachedUrls(alice.page);
  expect(urls.filter((u) => new URL(u).pathname.startsWith('/api/'))).toEqual([]);

  // Someone else signs up in the same browser: an empty list, no trace of alice.
  await alice.page.getByRole('link', { name: 'Create an account' }).click();
  const dave = `Dave ${Date.now().toString(36)}`;
  await alice.page.getByLabel('Display name').fill(dave);
  await alice.page.getByLabel('E-mail').fill(`dave-${Date.now().toString(36)}@example.test`);
  await alice.page.getByLabel('Password').fill('correct horse dave');
  await alice.page.getByRole('button', { name: 'Create account' }).click();
  await expect(alice.page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(listEntry(alice.page, bob.name)).toHaveCount(0);
  await expect(alice.page.getByText('for alice only')).toHaveCount(0);
  const names = await databases(alice.page);
  expect(names.filter((n) => !n.startsWith('parley:'))).toEqual([]);
  const aliceKeys = (await parleyKeys(alice.page)).filter(
    (k) => k !== 'parley:last-user' && !k.includes(dave),
  );
  // Only dave's keys (his id) and device settings remain.
  const daveId = await alice.page.evaluate(
    () => (JSON.parse(localStorage.getItem('parley:last-user') ?? '{}') as { id?: string }).id,
  );
  expect(
    aliceKeys.filter((k) => /^parley:u_/.test(k) && !k.startsWith(`parley:${daveId}:`)),
  ).toEqual([]);
  expect(names.filter((n) => !n.startsWith(`parley:${daveId}:`))).toEqual([]);
});
