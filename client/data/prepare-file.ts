/**
 * A picked file as it will be sent: HEIC/HEIF photos (iPhone) become JPEG when this browser
 * can decode them (the server re-encodes only JPEG, PNG, WebP and GIF); otherwise they go
 * as a file. Everything else is sent as picked.
 */
import type { OutgoingFile } from './outbox';

const isHeic = (f: File): boolean =>
  /^image\/hei[cf](-sequence)?$/i.test(f.type) || /\.(heic|heif)$/i.test(f.name);

export async function prepareFile(file: File): Promise<OutgoingFile> {
  if (!isHeic(file)) return { blob: file, name: file.name || 'file' };
  try {
    const bitmap = await createImageBitmap(file);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    return { blob: jpeg, name: file.name.replace(/\.(heic|heif)$/i, '') + '.jpg' };
  } catch {
    return { blob: file, name: file.name || 'photo.heic' };
  }
}
