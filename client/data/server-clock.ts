/**
 * The server's clock as this device knows it: the offset between the device clock and
 * the `Date` header of the server's answers. Messages, edits, reactions and read markers
 * are stamped with `serverNow()`, so a device whose clock is wrong still writes times
 * the other person (and the server) agree with (docs/protocol.md, "Message time").
 *
 * The `Date` header has one-second resolution, so offsets under `TRUST_SKEW_MS` are
 * ignored: a correct clock is left alone.
 */

/** Offsets smaller than this (ms) are measurement noise: the device clock is used as is. */
export const TRUST_SKEW_MS = 5_000;

let offset = 0;

/**
 * The offset (ms, server minus device) that one answer shows: its `Date` header against
 * the middle of the request (`sentAt`..`receivedAt`, device time). Null when the header
 * is missing or unreadable.
 */
export function offsetFrom(
  dateHeader: string | null,
  sentAt: number,
  receivedAt: number,
): number | null {
  if (!dateHeader) return null;
  const server = Date.parse(dateHeader);
  if (!Number.isFinite(server)) return null;
  // The header is truncated to the second: its true value is up to 1 s later.
  const estimate = server + 500 - (sentAt + receivedAt) / 2;
  return Math.abs(estimate) < TRUST_SKEW_MS ? 0 : Math.round(estimate);
}

/** Take note of one answer's `Date` header (the api client calls this for each). */
export function noteServerDate(dateHeader: string | null, sentAt: number, receivedAt: number): void {
  const next = offsetFrom(dateHeader, sentAt, receivedAt);
  if (next !== null) offset = next;
}

/** Now by the server's clock, as far as this device knows it (epoch ms). */
export function serverNow(): number {
  return Date.now() + offset;
}

/** The current offset (ms, server minus device); for tests and diagnostics. */
export function serverOffset(): number {
  return offset;
}
