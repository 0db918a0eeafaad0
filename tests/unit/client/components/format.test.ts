import { describe, expect, it } from 'vitest';
import { lastSeenText, presenceText, timeOfDay } from '../../../../client/components/format';

const at = (y: number, mo: number, d: number, h: number, mi: number): number =>
  new Date(y, mo - 1, d, h, mi).getTime();

describe('lastSeenText', () => {
  const now = at(2025, 3, 12, 15, 30);

  it('says "just now" under a minute, and for a time slightly in the future', () => {
    expect(lastSeenText(now - 30_000, now)).toBe('last seen just now');
    expect(lastSeenText(now + 5_000, now)).toBe('last seen just now');
  });

  it('counts minutes under an hour, singular and plural', () => {
    expect(lastSeenText(now - 60_000, now)).toBe('last seen 1 minute ago');
    expect(lastSeenText(now - 5 * 60_000 - 10_000, now)).toBe('last seen 5 minutes ago');
    expect(lastSeenText(now - 59 * 60_000, now)).toBe('last seen 59 minutes ago');
  });

  it('gives the time today and yesterday', () => {
    const today = at(2025, 3, 12, 9, 5);
    expect(lastSeenText(today, now)).toBe(`last seen today at ${timeOfDay(today)}`);
    const yesterday = at(2025, 3, 11, 14, 2);
    expect(lastSeenText(yesterday, now)).toBe(`last seen yesterday at ${timeOfDay(yesterday)}`);
    expect(timeOfDay(yesterday)).toBe('14:02');
  });

  it('treats just after midnight correctly (yesterday by calendar, not by 24 h)', () => {
    const early = at(2025, 3, 12, 0, 10);
    expect(lastSeenText(at(2025, 3, 11, 23, 50), early)).toBe('last seen 20 minutes ago');
    expect(lastSeenText(at(2025, 3, 11, 22, 0), early)).toBe(
      `last seen yesterday at ${timeOfDay(at(2025, 3, 11, 22, 0))}`,
    );
  });

  it('gives a date for older times, with the year when it is another year', () => {
    const older = lastSeenText(at(2025, 3, 1, 8, 0), now);
    expect(older).toMatch(/^last seen .*1.* at 08:00$/);
    expect(older).not.toMatch(/2025/);
    expect(lastSeenText(at(2024, 12, 30, 8, 0), now)).toMatch(/2024/);
  });
});

describe('presenceText', () => {
  it('is "online", a last-seen text, or nothing when hidden or unknown (finding 7)', () => {
    const now = Date.now();
    expect(presenceText({ online: true, lastSeen: now - 1000 }, now)).toBe('online');
    expect(presenceText({ online: false, lastSeen: now - 120_000 }, now)).toBe(
      'last seen 2 minutes ago',
    );
    expect(presenceText({ online: false, lastSeen: null }, now)).toBe('');
  });
});
