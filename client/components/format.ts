/** Date and time formatting shared by components (the user's locale, 24-hour HH:MM). */

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** "14:05" */
export const timeOfDay = (at: number): string => timeFormat.format(at);

const startOfDay = (at: number): number => {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

export const sameDay = (a: number, b: number): boolean => startOfDay(a) === startOfDay(b);

const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const shortYearFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** Whole calendar days from `at` to `now` (0: the same day; negative: `at` is later). */
const daysAgo = (at: number, now: number): number =>
  Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);

/**
 * The one relative date of the app (issue #14, finding 9: the list and the day dividers
 * agree): `today` on the same day, "Yesterday", the weekday within the last week
 * ("Saturday"), else a date — `long` for dividers ("Monday 3 March"), short for the list
 * ("3 Mar", with the year when it is not this year's).
 */
export function relativeDay(
  at: number,
  now: number,
  today: string,
  style: 'long' | 'short',
): string {
  const diff = daysAgo(at, now);
  if (diff === 0) return today;
  if (diff === 1) return 'Yesterday';
  if (diff > 1 && diff < 7) return weekdayFormat.format(at);
  if (style === 'long') return dayFormat.format(at);
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return sameYear ? shortDayFormat.format(at) : shortYearFormat.format(at);
}

/** "Today", "Yesterday", "Saturday" or "Monday 3 March": the message list's day dividers. */
export const dayLabel = (at: number, now: number = Date.now()): string =>
  relativeDay(at, now, 'Today', 'long');

/** "14:05" today, "Yesterday", "Saturday" or "3 Mar": the conversation list and search results. */
export const listTime = (at: number, now: number = Date.now()): string =>
  relativeDay(at, now, timeOfDay(at), 'short');

/** The part of a directory entry that presence text needs. */
export interface PresenceLike {
  online: boolean;
  lastSeen: number | null;
}

const MINUTE = 60_000;

/**
 * "last seen just now", "last seen 5 minutes ago", "last seen today at 14:02",
 * "last seen yesterday at 14:02", else "last seen 3 Mar at 14:02" (with the year when
 * it is not this year's). A time in the future (clock skew) counts as just now.
 */
export function lastSeenText(lastSeen: number, now: number = Date.now()): string {
  const ago = now - lastSeen;
  if (ago < MINUTE) return 'last seen just now';
  if (ago < 60 * MINUTE) {
    const minutes = Math.floor(ago / MINUTE);
    return `last seen ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} ago`;
  }
  const days = Math.round((startOfDay(now) - startOfDay(lastSeen)) / 86_400_000);
  const time = timeOfDay(lastSeen);
  if (days === 0) return `last seen today at ${time}`;
  if (days === 1) return `last seen yesterday at ${time}`;
  const sameYear = new Date(lastSeen).getFullYear() === new Date(now).getFullYear();
  const date = sameYear ? shortDayFormat.format(lastSeen) : yearDayFormat.format(lastSeen);
  return `last seen ${date} at ${time}`;
}

const yearDayFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/**
 * "online", a last-seen text, or nothing when the server does not say: the person hides
 * it from you, or you are offline and nobody's status is known (finding 7) — never
 * "offline", which would be a claim.
 */
export function presenceText(p: PresenceLike, now: number = Date.now()): string {
  if (p.online) return 'online';
  return p.lastSeen === null ? '' : lastSeenText(p.lastSeen, now);
}
