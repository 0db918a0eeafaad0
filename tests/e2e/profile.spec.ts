/**
 * Profiles with two people: Alice sets her display name, "about" line and photo in
 * settings; Bob sees the photo and name in his conversation list, the conversation header
 * and people search, without reloading. Removing the photo brings the initials back.
 */
import sharp from 'sharp';
import { test } from './fixtures/actors';
import { befriend, expect, listEntry } from './fixtures/pair';
import type { Page } from '@playwright/test';

/** A 400×200 JPEG (not square: the server crops it) carrying a GPS position. */
const photo = (): Promise<Buffer> =>
  sharp({ create: { width: 400, height: 200, channels: 3, background: '#2a7de1' } })
    .jpeg()
    .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100' } })
    .toBuffer();

/** The photo (an <img> of /api/users/…/photo) inside an avatar under `scope`. */
const avatarPhoto = (scope: ReturnType<Page['locator']>) =>
  scope.locator('parley-avatar img[src*="/photo?v="]');

test('a profile name, about line and photo reach the other person everywhere', async ({
  alice,
  bob,
}) => {
  await befriend(alice, bob);
  const suffix = alice.name.split(' ')[1] ?? '';
  const newName = `Alice Liddell ${suffix}`;

  // Alice opens settings from her avatar.
  await alice.page.getByRole('link', { name: `${alice.name} (settings)` }).click();
  await expect(alice.page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  const profile = alice.page.getByRole('region', { name: 'Profile' });
  const name = profile.getByRole('textbox', { name: 'Display name' });
  await expect(name).toHaveValue(alice.name);
  // The limit is shown before it bites, and the field cannot go past it.
  await expect(name).toHaveAttribute('maxlength', '60');
  await expect(profile.getByText(`${alice.name.length} / 60`)).toBeVisible();
  await name.fill(newName);
  await expect(profile.getByText(`${newName.length} / 60`)).toBeVisible();
  await profile.getByRole('textbox', { name: 'About' }).fill('Down the rabbit hole');
  await profile.getByRole('button', { name: 'Save profile' }).click();
  await expect(profile.getByRole('status')).toHaveText('Profile saved.');
  await expect(alice.page.getByRole('link', { name: `${newName} (settings)` })).toBeVisible();

  await expect(profile.getByRole('img', { name: 'Your initials (no photo)' })).toBeVisible();
  await profile.locator('input[type=file]').setInputFiles({
    name: 'me.jpg',
    mimeType: 'image/jpeg',
    buffer: await photo(),
  });
  await expect(profile.getByRole('status')).toHaveText('Photo saved.');
  await expect(profile.getByRole('img', { name: 'Your profile photo' })).toBeVisible();
  // Her own header avatar shows it too, loaded (a square from the server).
  const own = avatarPhoto(alice.page.locator('parley-app-header'));
  await expect(own).toBeVisible();
  await expect
    .poll(() => own.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([96, 96]);

  // Bob, without reloading: the list, the open conversation's header, and search.
  const entry = listEntry(bob.page, newName);
  await expect(entry).toBeVisible();
  await expect(avatarPhoto(entry)).toBeVisible();
  const header = bob.page.locator('parley-conversation-view header');
  await expect(header.getByRole('heading', { name: newName })).toBeVisible();
  await expect(header.getByText('Down the rabbit hole')).toBeVisible();
  await expect(avatarPhoto(header)).toBeVisible();
  await expect
    .poll(() =>
      avatarPhoto(header).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    )
    .toBe(96);

  await bob.page.getByRole('searchbox', { name: 'Search people' }).fill('Liddell ' + suffix);
  const result = bob.page.getByRole('button', { name: newName, exact: true });
  await expect(result).toBeVisible();
  await expect(avatarPhoto(result)).toBeVisible();
  await expect(result.getByText('Down the rabbit hole')).toBeVisible();
  await bob.page.getByRole('searchbox', { name: 'Search people' }).fill('');

  // Alice removes the photo: initials again, for her and for Bob.
  await profile.getByRole('button', { name: 'Remove photo' }).click();
  await expect(profile.getByRole('status')).toHaveText('Photo removed: your initials are shown.');
  await expect(avatarPhoto(alice.page.locator('parley-app-header'))).toHaveCount(0);
  await expect(avatarPhoto(header)).toHaveCount(0);
  await expect(header.locator('parley-avatar')).toHaveText('AL');
});
