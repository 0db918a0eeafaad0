/**
 * Bad links: an unknown page and a conversation that is not there (or not yours) show
 * "Not found" with a link back to your chats, instead of quietly showing the home screen.
 */
import { createActor, test } from './fixtures/actors';
import { expect, listEntry } from './fixtures/pair';

test('an unknown page and an unknown conversation say "Not found", with a way back', async ({
  browser,
  alice,
  bob,
}) => {
  test.setTimeout(420_000);
  await alice.signUp();
  await bob.signUp();
  await alice.chat.openWith(bob.name);
  await alice.chat.send('only for bob');
  const page = alice.page;

  for (const path of ['/no/such/page', '/c/c_AAAAAAAAAAAAAAAAAAAA']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: 'Not found', level: 1 })).toBeVisible();
    await expect(page.getByRole('main')).toHaveCount(1);
    await page.getByRole('link', { name: 'Back to your chats' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { name: 'Not found' })).toHaveCount(0);
    await expect(listEntry(page, bob.name)).toBeVisible();
  }

  // Someone else's conversation (a real id, alice and bob's) is not found for carol.
  await listEntry(page, bob.name).click();
  await expect(page).toHaveURL(/\/c\/c_/);
  const theirs = new URL(page.url()).pathname;
  const carol = await createActor(browser, 'Carol');
  try {
    await carol.signUp();
    await carol.page.goto(theirs);
    await expect(carol.page.getByRole('heading', { name: 'Not found', level: 1 })).toBeVisible();
    await expect(carol.page.getByText('only for bob')).toHaveCount(0);
  } finally {
    await carol.context.close();
  }

  // On a phone, too, with the way back.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/c/c_CCCCCCCCCCCCCCCCCCCC');
  await expect(page.getByRole('heading', { name: 'Not found', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Back to your chats' }).click();
  await expect(listEntry(page, bob.name)).toBeVisible();
});
