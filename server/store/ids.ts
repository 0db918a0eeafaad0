/** Opaque random ids: a prefix and 20 url-safe characters. */
import { randomBytes } from 'node:crypto';

export function newId(prefix: 'u' | 'c' | 's' | 'r' | 'i'): string {
  return `${prefix}_${randomBytes(15).toString('base64url')}`;
}
