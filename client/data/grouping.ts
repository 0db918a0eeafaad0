/**
 * How the message list lays out its rows, as a pure function over the timeline (the
 * messages in document order): the time each message shows, where day dividers go, and
 * which consecutive messages form a group (one tail, one time on the last).
 *
 * Times follow the document order, not the author's device clock (docs/protocol.md,
 * "Message time"): a message is never shown earlier than the one before it in the
 * document, nor later than now. When that moves it by more than `NOTE_AFTER_MS`, the
 * author's own time is kept as a note ("written offline at 14:02").
 */
import type { MessageView } from './message-state';

/** Consecutive messages by the same person this close together (ms) form a group. */
export const GROUP_GAP_MS = 3 * 60_000;
/** The author's time is shown as a note when it is this far (ms) from the shown time. */
export const NOTE_AFTER_MS = 5 * 60_000;

/** The part of a message the layout looks at. */
export type TimelineEntry = Pick<MessageView, 'id' | 'from' | 'at' | 'deleted'>;

export interface RowLayout {
  /** The time shown: the author's time, clamped to the document order and to now. */
  shownAt: number;
  /**
   * The author's own time when it is more than `NOTE_AFTER_MS` from `shownAt` (written
   * offline and sent later, or a device clock that is wrong); otherwise null.
   */
  authorAt: number | null;
  /** A day divider goes before this row (its day is `shownAt`'s). */
  newDay: boolean;
  /** The first message of its group (a new person, a pause, a new day or an unread divider). */
  groupStart: boolean;
  /** The last message of its group: it has the tail and the visible time. */
  groupEnd: boolean;
}

const startOfDay = (at: number): number => {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/**
 * The times to show for `messages` (document order): each is the author's time, at most
 * `now` and at least the previous message's shown time.
 */
export function shownTimes(messages: readonly TimelineEntry[], now: number): number[] {
  const out: number[] = [];
  let floor = -Infinity;
  for (const m of messages) {
    const t = Math.max(Math.min(m.at, now), floor);
    out.push(t);
    floor = t;
  }
  return out;
}

/**
 * Lay out `messages` (document order). `now` caps times (the server-corrected clock);
 * `breakBefore` (the first unread message) starts a new group.
 */
export function layoutTimeline(
  messages: readonly TimelineEntry[],
  now: number,
  breakBefore: string | null = null,
  previous: ReadonlyMap<string, RowLayout> | null = null,
): RowLayout[] {
  const times = shownTimes(messages, now);
  const rows: RowLayout[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as TimelineEntry;
    const shownAt = times[i] as number;
    const prev = messages[i - 1];
    const prevAt = times[i - 1];
    const newDay = prevAt === undefined || startOfDay(prevAt) !== startOfDay(shownAt);
    const groupStart =
      prev === undefined ||
      prevAt === undefined ||
      newDay ||
      m.id === breakBefore ||
      prev.from !== m.from ||
      Boolean(prev.deleted) ||
      Boolean(m.deleted) ||
      shownAt - prevAt > GROUP_GAP_MS;
    const row: RowLayout = {
      shownAt,
      authorAt: Math.abs(m.at - shownAt) > NOTE_AFTER_MS ? m.at : null,
      newDay,
      groupStart,
      groupEnd: true,
    };
    const last = rows[i - 1];
    if (!groupStart && last) last.groupEnd = false;
    rows.push(row);
  }
  if (!previous) return rows;
  // The same object for an unchanged row: its bubble is not rendered again.
  return rows.map((row, i) => {
    const old = previous.get((messages[i] as TimelineEntry).id);
    return old && sameRow(old, row) ? old : row;
  });
}

function sameRow(a: RowLayout, b: RowLayout): boolean {
  return (
    a.shownAt === b.shownAt &&
    a.authorAt === b.authorAt &&
    a.newDay === b.newDay &&
    a.groupStart === b.groupStart &&
    a.groupEnd === b.groupEnd
  );
}

/** `rows` by message id, for the next `layoutTimeline`'s `previous`. */
export function rowsById(
  messages: readonly TimelineEntry[],
  rows: readonly RowLayout[],
): Map<string, RowLayout> {
  const out = new Map<string, RowLayout>();
  messages.forEach((m, i) => {
    const row = rows[i];
    if (row) out.set(m.id, row);
  });
  return out;
}
