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

/** "Today", "Yesterday" or "Monday 3 March", for separators in the message list. */
export function dayLabel(at: number, now: number = Date.now()): string {
  const diff = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Yesterday';
  return dayFormat.format(at);
}

/** Time today, otherwise a short date: for the conversation list. */
export const listTime = (at: number, now: number = Date.now()): string =>
  sameDay(at, now) ? timeOfDay(at) : shortDayFormat.format(at);

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
