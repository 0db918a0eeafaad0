/** The profile's limits and checks, shared by the settings page and the server (the authority). */
import { Limits } from './protocol';
import type { Result } from './validate';

/** Longest display name, in characters (the same limit as sign-up). */
export const MAX_DISPLAY_NAME_CHARS = Limits.maxDisplayNameChars;
/** Longest "about" line, in characters. */
export const MAX_ABOUT_CHARS = 140;
/** Largest profile photo upload, in bytes (the server makes it a small square anyway). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Side of the stored profile photo squares, in pixels. */
export const PHOTO_PX = { large: 256, small: 96 } as const;
export type PhotoSize = keyof typeof PHOTO_PX;

/** Controls, separators and bidi/zero-width format characters are dropped from an "about" line. */
const ABOUT_DROP = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** The "about" line as stored: invisible characters dropped, spaces collapsed; may be empty. */
export function checkAbout(raw: unknown): Result<string> {
  if (raw === undefined || raw === null) return { ok: true, value: '' };
  if (typeof raw !== 'string') return { ok: false, message: 'About must be text.' };
  const about = raw.replace(ABOUT_DROP, '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (about.length > MAX_ABOUT_CHARS)
    return { ok: false, message: `About must be at most ${MAX_ABOUT_CHARS} characters.` };
  return { ok: true, value: about };
}

/** The URL of a person's photo at one version (cacheable for good: a new photo is a new URL). */
export const photoUrl = (userId: string, version: string, size: PhotoSize = 'small'): string =>
  `/api/users/${encodeURIComponent(userId)}/photo?v=${encodeURIComponent(version)}&size=${size}`;
