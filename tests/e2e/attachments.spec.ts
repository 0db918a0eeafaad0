/**
 * Attachments between two people in Chromium: a photo (its location gone when the other
 * person downloads it), a file, a voice note recorded with Chromium's fake microphone,
 * and a photo picked offline that arrives once when the network returns.
 */
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/actors';
import { connect, waitForServiceWorker } from './helpers/local-first';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  },
});

/** A JPEG with a camera name and a GPS position in its EXIF. */
const photoWithGps = (background: string): Promise<Buffer> =>
  sharp({ create: { width: 600, height: 400, channels: 3, background } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'SpyCam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100' },
    })
    .toBuffer();

async function attach(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach a photo or file' }).click();
  await (await chooser).setFiles(file);
}

test('a photo, a file and a voice note reach the other person; the photo without its location', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);

  const original = await photoWithGps('#d05030');
  expect(original.includes(Buffer.from('SpyCam'))).toBe(true);
  await attach(alice.page, { name: 'beach.jpg', mimeType: 'image/jpeg', buffer: original });
  const thumb = bob.page.getByRole('button', { name: 'Open photo beach.jpg' });
  await expect(thumb).toBeVisible();
  // Sized from the attachment's width and height before it loads: 240×160 (3:2).
  const img = thumb.getByRole('img', { name: 'Photo beach.jpg' });
  await expect(img).toHaveAttribute('width', '240');
  await expect(img).toHaveAttribute('height', '160');
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth))
    .toBeGreaterThan(0);

  // The full-size viewer: a dialog, closed by Escape.
  await thumb.click();
  const viewer = bob.page.getByRole('dialog', { name: 'Photo beach.jpg' });
  await expect(viewer).toBeVisible();
  const full = viewer.getByRole('img', { name: 'Photo beach.jpg, full size' });
  await expect.poll(() => full.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(600);
  const src = await full.getAttribute('src');
  await bob.page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  // What Bob's browser downloads has no EXIF at all: no camera, no position.
  const downloaded = await bob.context.request.get(src ?? '');
  expect(downloaded.status()).toBe(200);
  const bytes = await downloaded.body();
  expect(bytes.includes(Buffer.from('SpyCam'))).toBe(false);
  expect((await sharp(bytes).metadata()).exif).toBeUndefined();

  // A file: a download chip with its name and size.
  const pdf = Buffer.from('%PDF-1.4\n% the minutes of the meeting\n');
  await attach(alice.page, { name: 'minutes.pdf', mimeType: 'application/pdf', buffer: pdf });
  const chip = bob.page.getByRole('link', { name: `Download minutes.pdf, ${pdf.length} B` });
  await expect(chip).toBeVisible();
  const download = bob.page.waitForEvent('download');
  await chip.click();
  expect((await download).suggestedFilename()).toBe('minutes.pdf');

  // A voice note from the fake microphone: tap to record, watch the time, send.
  await alice.page.getByRole('button', { name: 'Record a voice note' }).click();
  const timer = alice.page.getByRole('timer');
  await expect(timer).toHaveText(/Recording 0:0[1-9]/);
  await alice.page.getByRole('button', { name: 'Send voice note' }).click();
  const note = bob.page.getByRole('group', { name: /^Voice note, 0:0[1-9]$/ });
  await expect(note).toBeVisible();
  const player = note.getByLabel(/^Play voice note/);
  await expect
    .poll(() => player.evaluate((el: HTMLAudioElement) => el.readyState))
    .toBeGreaterThanOrEqual(1);
  await expect(alice.page.getByRole('group', { name: /^Voice note/ })).toBeVisible();
});

test('a photo picked offline waits on the device and arrives exactly once', async ({
  alice,
  bob,
}) => {
  await connect(alice, bob);
  await waitForServiceWorker(alice.page);
  await alice.context.setOffline(true);
  await attach(alice.page, {
    name: 'offline.jpg',
    mimeType: 'image/jpeg',
    buffer: await photoWithGps('#30a060'),
  });
  const sending = alice.page.getByRole('list', { name: 'Sending' });
  await expect(sending.getByText('Waiting for the network…')).toBeVisible();
  // Closing the app keeps it: the bytes are in IndexedDB.
  await alice.page.reload();
  await expect(sending.getByText('offline.jpg')).toBeVisible();

  await alice.context.setOffline(false);
  await expect(sending).toBeHidden();
  const photo = bob.page.getByRole('button', { name: 'Open photo offline.jpg' });
  await expect(photo).toBeVisible();
  // Barrier: a later message arrived, so anything sent twice would be there by now.
  await alice.chat.send('after the photo');
  await expect(bob.chat.message('after the photo')).toBeVisible();
  await expect(photo).toHaveCount(1);
  await bob.page.reload();
  await expect(bob.chat.message('after the photo')).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Open photo offline.jpg' })).toHaveCount(1);

  // Seen once, viewable offline: the thumbnail and the full-size photo come from the cache.
  const mine = alice.page.getByRole('button', { name: 'Open photo offline.jpg' });
  const loaded = (img: ReturnType<Page['getByRole']>) =>
    img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth);
  await expect.poll(() => loaded(mine.getByRole('img'))).toBeGreaterThan(0);
  await mine.click();
  const viewer = alice.page.getByRole('dialog', { name: 'Photo offline.jpg' });
  await expect.poll(() => loaded(viewer.getByRole('img'))).toBe(600);
  await alice.page.keyboard.press('Escape');
  await alice.context.setOffline(true);
  await alice.page.reload();
  await expect.poll(() => loaded(mine.getByRole('img'))).toBeGreaterThan(0);
  await mine.click();
  await expect.poll(() => loaded(viewer.getByRole('img'))).toBe(600);
  await alice.page.keyboard.press('Escape');

  // The service worker's copies; signing out deletes them with the rest of her data.
  const cachedApi = () =>
    alice.page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
      return urls.filter((u) => new URL(u).pathname.startsWith('/api/')).length;
    });
  expect(await cachedApi()).toBe(2); // the thumbnail and the photo
  await alice.context.setOffline(false);
  await alice.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await cachedApi()).toBe(0);
});
