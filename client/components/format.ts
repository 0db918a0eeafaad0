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
