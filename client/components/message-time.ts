/**
 * The note a bubble shows when its author's own time is far from the time the list shows
 * (`layoutTimeline`'s `authorAt`): "written offline at 14:02" for a message written
 * earlier and sent later (or by a device whose clock is behind), "sent with the clock at
 * 14:52" for one dated in the future.
 */
import { dayLabel, sameDay, timeOfDay } from './format';

export function authorTimeNote(authorAt: number, shownAt: number, now = Date.now()): string {
  const time = timeOfDay(authorAt);
  if (authorAt > shownAt) return `sent with the clock at ${time}`;
  if (sameDay(authorAt, shownAt)) return `written offline at ${time}`;
  const day = dayLabel(authorAt, now);
  const when = day === 'Today' || day === 'Yesterday' ? day.toLowerCase() : `on ${day}`;
  return `written offline ${when} at ${time}`;
}
