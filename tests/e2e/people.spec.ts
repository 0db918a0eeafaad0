/** People: contact requests, the people page, blocking. */
import { test } from './fixtures/actors';
import { expect, headerPresence, listEntry } from './fixtures/pair';

test('a contact request is accepted and then they chat', async ({ alice, bob }) => {
  await alice.signUp();
  await bob.signUp();

  // Alice finds bob and asks him to be a contact.
  const search = alice.page.getByRole('searchbox', { name: 'Search people' });
  await search.fill(bob.name);
  await alice.page.getByRole('button', { name: `Add contact ${bob.name}` }).click();
  await expect(alice.page.getByRole('listitem').filter({ hasText: bob.name })).toContainText(
    'Requested',
  );
  await search.fill('');
  await alice.page.getByRole('link', { name: 'Contacts' }).click();
  const sent = alice.page.getByRole('list', { name: 'Sent requests' });
  await expect(sent.getByRole('listitem').filter({ hasText: bob.name })).toBeVisible();

  // Bob sees it live on his people page and accepts.
  await bob.page.getByRole('link', { name: /^Contacts/ }).click();
  const incoming = bob.page.getByRole('list', { name: 'Contact requests' });
  await expect(incoming.getByRole('listitem').filter({ hasText: alice.name })).toBeVisible();
  await incoming.getByRole('button', { name: `Accept ${alice.name}` }).click();
  const bobContacts = bob.page.getByRole('list', { name: 'Contacts' });
  await expect(bobContacts.getByRole('listitem').filter({ hasText: alice.name })).toContainText(
    'online',
  );

  // Alice's page updates without a reload.
  const aliceContacts = alice.page.getByRole('list', { name: 'Contacts' });
  await expect(aliceContacts.getByRole('listitem').filter({ hasText: bob.name })).toBeVisible();
  await expect(alice.page.getByText('No requests waiting.')).toBeVisible();

  // Contacts chat without a message request in the way, presence and receipts included.
  await aliceContacts.getByRole('button', { name: `Message ${bob.name}` }).click();
  await expect(alice.page.getByRole('heading', { name: bob.name })).toBeVisible();
  await alice.chat.waitUntilSynced();
  await expect(headerPresence(alice.page)).toHaveText('online');
  await alice.chat.send('now we are contacts');
  await listEntry(bob.page, alice.name).click();
  await expect(bob.chat.message('now we are contacts')).toBeVisible();
  await expect(bob.page.getByRole('region', { name: 'Message request' })).toHaveCount(0);
  await bob.chat.send('indeed');
  await expect(alice.chat.message('indeed')).toBeVisible();
  await alice.chat.expectState('now we are contacts', 'Read');

  // Remove contact from the conversation header menu (asks first).
  await alice.page.getByRole('button', { name: 'Conversation options' }).click();
  await alice.page.getByRole('menuitem', { name: 'Remove contact' }).click();
  await alice.page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await alice.page.getByRole('link', { name: 'Contacts' }).click();
  await expect(alice.page.getByText('No contacts yet.')).toBeVisible();
});

test('after blocking, the blocked person cannot reach you', async ({ alice, bob }) => {
  await alice.signUp();
  await bob.signUp();
  await alice.chat.openWith(bob.name);
  await alice.chat.waitUntilSynced();
  await alice.chat.send('buy my stuff');
  await bob.chat.openWith(alice.name);
  await expect(bob.chat.message('buy my stuff')).toBeVisible();

  // Bob blocks alice from the message request banner, and confirms.
  await bob.page
    .getByRole('region', { name: 'Message request' })
    .getByRole('button', { name: 'Block' })
    .click();
  const dialog = bob.page.getByRole('dialog', { name: `Block ${alice.name}?` });
  await dialog.getByRole('button', { name: 'Block' }).click();
  await expect(bob.page).toHaveURL(/\/$/);
  await expect(listEntry(bob.page, alice.name)).toHaveCount(0);

  // Alice's open conversation is cut off, and she cannot find or write to bob any more.
  await expect(alice.page.getByRole('alert')).toContainText("You're not part of this conversation");
  await expect(alice.chat.composer).toBeDisabled();
  await alice.page.goto('/');
  await alice.page.getByRole('searchbox', { name: 'Search people' }).fill(bob.name);
  await expect(alice.page.getByText(`Nobody found for “${bob.name}”.`)).toBeVisible();
  const status = await alice.page.evaluate(
    async (peerId) => {
      const res = await fetch('/api/conversations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ peerId }),
      });
      return res.status;
    },
    await bobId(bob.page),
  );
  expect(status).toBe(403);

  // Bob sees alice on his blocked list, and can unblock her.
  await bob.page.getByRole('link', { name: /^Contacts/ }).click();
  const blocked = bob.page.getByRole('list', { name: 'Blocked' });
  await blocked.getByRole('button', { name: `Unblock ${alice.name}` }).click();
  await expect(bob.page.getByText('Nobody is blocked.')).toBeVisible();
});

/** Bob's user id, from his own session. */
async function bobId(page: import('@playwright/test').Page): Promise<string> {
  return page.evaluate(async () => {
    const res = await fetch('/api/me');
    const body = (await res.json()) as { user: { id: string } };
    return body.user.id;
  });
}
