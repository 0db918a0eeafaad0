/** Small typed validators for account fields (e-mail, password, display name); each returns a value or an error text. */
import { Limits } from './protocol';

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Invisible characters: controls (Cc), format characters (Cf: bidi overrides and isolates,
 * zero-width spaces and joiners, BOM, soft hyphen…) and the line/paragraph separators.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** Trimmed, NFC-normalized, lower-cased e-mail address; invisible characters are refused. */
export function normalizeEmail(raw: unknown): Result<string> {
  if (typeof raw !== 'string') return fail('E-mail is required.');
  const email = raw.trim().normalize('NFC').toLowerCase();
  if (INVISIBLE.test(email))
    return fail('The e-mail address contains an invisible or control character.');
  if (email.length > Limits.maxEmailChars || !EMAIL.test(email))
    return fail('Enter a valid e-mail address.');
  return { ok: true, value: email };
}

/** bcrypt reads only the first 72 bytes of a password, so longer ones are refused (not cut). */
export const MAX_PASSWORD_BYTES = 72;

export const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

export function checkPassword(raw: unknown): Result<string> {
  if (typeof raw !== 'string') return fail('Password is required.');
  if (raw.length < Limits.minPasswordChars) {
    return fail(`Password must be at least ${Limits.minPasswordChars} characters.`);
  }
  if (utf8Bytes(raw) > MAX_PASSWORD_BYTES)
    return fail(
      `Password is too long (at most ${MAX_PASSWORD_BYTES} bytes; fewer for non-Latin characters).`,
    );
  return { ok: true, value: raw };
}

/**
 * Dropped from display names: C0/C1 controls, bidi embeddings/overrides/isolates/marks,
 * zero-width spaces, word joiner, BOM, soft hyphen and the other Cf characters, except the
 * zero-width (non-)joiners U+200C/U+200D, which emoji sequences and several scripts need
 * between two visible characters.
 */
const NAME_DROP = /[\p{Cc}\u2028\u2029]|(?![\u200c\u200d])\p{Cf}/gu;

export function checkDisplayName(raw: unknown): Result<string> {
  if (typeof raw !== 'string') return fail('Display name is required.');
  const name = raw
    .replace(NAME_DROP, '')
    .normalize('NFC') // after dropping: a dropped character may have split a letter from its accent
    // A joiner only joins: a run counts as one, and one not between two visible characters goes.
    .replace(/[\u200c\u200d]{2,}/g, (run) => run.slice(0, 1))
    .replace(/(?<![^\s\u200c\u200d])[\u200c\u200d]|[\u200c\u200d](?![^\s\u200c\u200d])/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (name.length < 1) return fail('Display name is required.');
  if (name.length > Limits.maxDisplayNameChars) {
    return fail(`Display name must be at most ${Limits.maxDisplayNameChars} characters.`);
  }
  return { ok: true, value: name };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
