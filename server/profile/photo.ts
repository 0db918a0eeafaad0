/**
 * A profile photo from an upload: the type is decided from the bytes (never the name or the
 * client's Content-Type), the picture is turned upright (EXIF orientation), cropped to a
 * centred square and re-encoded as WebP at two sizes. sharp keeps no metadata unless asked,
 * so EXIF (GPS included), XMP, IPTC and ICC comments never reach the stored squares.
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { PHOTO_PX } from '../../shared/profile';
import { AppError } from '../errors';
import type { StoredPhoto } from '../store/user-store';

/** The image types a profile photo may be uploaded as (decided from the bytes). */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
/** Decoding bombs: refuse images above this many pixels. */
const MAX_PIXELS = 50_000_000;

const notAPhoto = (): AppError =>
  new AppError('invalid-input', 'Choose a photo (JPEG, PNG, WebP or GIF) for your profile.');

async function square(bytes: Uint8Array, px: number): Promise<Buffer> {
  return await sharp(bytes, { limitInputPixels: MAX_PIXELS, pages: 1, failOn: 'error' })
    .rotate()
    .resize(px, px, { fit: 'cover', position: 'centre' })
    .webp({ quality: 82 })
    .toBuffer();
}

/** The two stored squares of an uploaded photo; `invalid-input` when it is no decodable image. */
export async function makePhoto(bytes: Uint8Array): Promise<StoredPhoto> {
  const type = (await fileTypeFromBuffer(bytes))?.mime;
  if (!type || !PHOTO_TYPES.has(type)) throw notAPhoto();
  let large: Buffer;
  let small: Buffer;
  try {
    [large, small] = await Promise.all([
      square(bytes, PHOTO_PX.large),
      square(bytes, PHOTO_PX.small),
    ]);
  } catch {
    throw notAPhoto(); // says it is an image but does not decode
  }
  const version = createHash('sha256').update(large).digest('base64url').slice(0, 16);
  return { version, large: new Uint8Array(large), small: new Uint8Array(small) };
}
