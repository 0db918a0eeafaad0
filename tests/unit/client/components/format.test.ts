import { describe, expect, it } from 'vitest';
import {
  dayLabel,
  lastSeenText,
  listTime,
  presenceText,
  timeOfDay,
} from '../../../../client/components/format';

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

describe('relative dates: the list and the day dividers agree (issue #14, finding 9)', () => {
  const now = at(2026, 11, 30, 10, 0); // a Monday

  it('says the time (list) or "Today" (divider) today, "Yesterday" for yesterday in both', () => {
    expect(listTime(at(2026, 11, 30, 8, 5), now)).toBe('08:05');
    expect(dayLabel(at(2026, 11, 30, 8, 5), now)).toBe('Today');
    const yesterday = at(2026, 11, 29, 23, 50);
    expect(listTime(yesterday, now)).toBe('Yesterday');
    expect(dayLabel(yesterday, now)).toBe('Yesterday');
    // Just after midnight, by calendar day and not by 24 hours.
    expect(listTime(at(2026, 11, 29, 23, 50), at(2026, 11, 30, 0, 5))).toBe('Yesterday');
  });

  it('names the weekday within the last week in both, then a date', () => {
    const saturday = at(2026, 11, 28, 12, 0);
    const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' }).format(saturday);
    expect(listTime(saturday, now)).toBe(weekday);
    expect(dayLabel(saturday, now)).toBe(weekday);
    const older = at(2026, 11, 20, 12, 0);
    expect(listTime(older, now)).toMatch(/20/);
    expect(dayLabel(older, now)).toMatch(/20/);
    expect(listTime(at(2025, 11, 20, 12, 0), now)).toMatch(/2025/);
  });
});
