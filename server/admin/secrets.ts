/**
 * Secrets handed out once (one-time links, invite codes): 32 random bytes shown to a person,
 * only their SHA-256 stored, so a copy of the database opens no account.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A new secret for a link or an invite code (43 url-safe characters). */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** What is stored for `secret`. */
export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

/** A secret as it may arrive from a link: url-safe characters, bounded length. */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** "7d", "12h", "30m" → milliseconds; null when malformed or outside 1 minute – 365 days. */
export function parseDuration(raw: string): number | null {
  const m = /^([1-9][0-9]{0,5})([mhd])$/.exec(raw.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] === 'm' ? 60_000 : m[2] === 'h' ? HOUR_MS : DAY_MS;
  const ms = n * unit;
  return ms >= 60_000 && ms <= 365 * DAY_MS ? ms : null;
}
