/**
 * Decides what an upload is from its bytes (never its name or the client's Content-Type)
 * and turns it into what is stored: photos re-encoded by sharp (orientation applied, EXIF,
 * GPS, XMP and every other metadata dropped) with a small WebP thumbnail; voice notes as
 * audio; anything else as-is, to be served only as a download.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import type { AttachmentKind } from '../../shared/attachments';
import type { BlobStore } from './blob-store';

export interface Inspected {
  kind: AttachmentKind;
  type: string;
  size: number;
  sha256: string;
  thumbSha256: string | null;
  width: number | null;
  height: number | null;
}

/** Longest side of a thumbnail, in pixels. */
const THUMB_PX = 320;
/** Decoding bombs: refuse images above this many pixels. */
const MAX_PIXELS = 100_000_000;

const VOICE_TYPES: Record<string, string> = {
  'video/webm': 'audio/webm',
  'audio/webm': 'audio/webm',
  'audio/ogg': 'audio/ogg',
  'audio/opus': 'audio/ogg',
  'video/ogg': 'audio/ogg',
  'audio/mp4': 'audio/mp4',
  'video/mp4': 'audio/mp4',
  'audio/x-m4a': 'audio/mp4',
  'audio/mpeg': 'audio/mpeg',
};

type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';
const IMAGE_FORMATS: Record<string, ImageFormat> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/**
 * Store the upload at `path` in `blobs`. `wantsVoice`: the client recorded it as a voice note
 * (it becomes one only when the bytes are audio).
 */
export async function inspectAndStore(
  path: string,
  size: number,
  wantsVoice: boolean,
  blobs: BlobStore,
): Promise<Inspected> {
  const detected = (await fileTypeFromFile(path))?.mime ?? null;
  const format = detected ? IMAGE_FORMATS[detected] : undefined;
  if (format) {
    const image = await storeImage(path, format, blobs).catch(() => null);
    if (image) return image;
    // Says it is an image but does not decode: only ever a download.
  }
  const voice = detected ? VOICE_TYPES[detected] : undefined;
  const stored = await blobs.put(createReadStream(path));
  if (wantsVoice && voice) {
    return { ...stored, kind: 'voice', type: voice, thumbSha256: null, width: null, height: null };
  }
  return {
    ...stored,
    size,
    kind: 'file',
    type: detected ?? 'application/octet-stream',
    thumbSha256: null,
    width: null,
    height: null,
  };
}

async function storeImage(path: string, format: ImageFormat, blobs: BlobStore): Promise<Inspected> {
  const animated = format === 'gif' || format === 'webp';
  const input = { limitInputPixels: MAX_PIXELS, animated, failOn: 'error' as const };
  // rotate() with no angle applies the EXIF orientation; sharp keeps no metadata unless asked.
  let pipeline = sharp(path, input).rotate();
  if (format === 'jpeg') pipeline = pipeline.jpeg({ quality: 88, mozjpeg: true });
  else if (format === 'png') pipeline = pipeline.png();
  else if (format === 'webp') pipeline = pipeline.webp({ quality: 88 });
  else pipeline = pipeline.gif();
  const out = `${path}.out`;
  try {
    const info = await pipeline.toFile(out);
    const meta = await sharp(out, { animated }).metadata();
    const width = meta.width ?? info.width;
    const height = meta.pageHeight ?? meta.height ?? info.height;
    const stored = await blobs.put(createReadStream(out));
    const thumb = await sharp(path, { limitInputPixels: MAX_PIXELS, pages: 1 })
      .rotate()
      .resize(THUMB_PX, THUMB_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer();
    const thumbInfo = await blobs.put([thumb]);
    return {
      kind: 'image',
      type: `image/${format}`,
      size: stored.size,
      sha256: stored.sha256,
      thumbSha256: thumbInfo.sha256,
      width,
      height,
    };
  } finally {
    await rm(out, { force: true });
  }
}
