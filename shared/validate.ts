/** Small typed validators for HTTP bodies and parameters; each returns a value or an error text. */
import { Limits } from './protocol';

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trimmed, lower-cased e-mail address. */
export function normalizeEmail(raw: unknown): Result<string> {
  if (typeof raw !== 'string') return fail('E-mail is required.');
  const email = raw.trim().toLowerCase();
  if (email.length > Limits.maxEmailChars || !EMAIL.test(email))
    return fail('Enter a valid e-mail address.');
  return { ok: true, value: email };
}

export function checkPassword(raw: unknown): Result<string> {
  if (typeof raw !== 'string') return fail('Password is required.');
  if (raw.length < Limits.minPasswordChars) {
    return fail(`Password must be at least ${Limits.minPasswordChars} characters.`);
  }
  if (raw.length > Limits.maxPasswordChars)
    return fail(`Password must be at most ${Limits.maxPasswordChars} characters.`);
  return { ok: true, value: raw };
}

export function checkDisplayName(raw: unknown): Result<string> {
  if (typeof raw !== 'string') return fail('Display name is required.');
  // Collapse whitespace and drop control characters.
  const name = Array.from(raw)
    .filter((ch) => ch >= ' ' && ch !== '\u007f')
    .join('')
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
