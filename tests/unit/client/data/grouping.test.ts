import { describe, expect, it } from 'vitest';
import {
  GROUP_GAP_MS,
  layoutTimeline,
  rowsById,
  shownTimes,
  type TimelineEntry,
} from '../../../../client/data/grouping';

const MIN = 60_000;
const DAY = 86_400_000;
// Noon, local time: a day divider is never an artefact of the test's time zone.
const NOON = new Date(2026, 10, 30, 12, 0, 0).getTime();

const msg = (id: string, from: string, at: number, deleted = false): TimelineEntry => ({
  id,
  from,
  at,
  deleted,
});

describe('layoutTimeline: groups', () => {
  it('groups consecutive messages by the same person within a few minutes', () => {
    const rows = layoutTimeline(
      [
        msg('a1', 'ann', NOON),
        msg('a2', 'ann', NOON + 1 * MIN),
        msg('a3', 'ann', NOON + 2 * MIN),
        msg('b1', 'bob', NOON + 3 * MIN),
        msg('b2', 'bob', NOON + 4 * MIN),
      ],
      NOON + DAY / 4,
    );
    expect(rows.map((r) => [r.groupStart, r.groupEnd])).toEqual([
      [true, false],
      [false, false],
      [false, true],
      [true, false],
      [false, true],
    ]);
  });

  it('a pause longer than the gap, a new day, the unread divider or a deleted message starts a new group', () => {
    const late = NOON + 11 * 60 * MIN + 58 * MIN; // 23:58
    const rows = layoutTimeline(
      [
        msg('a1', 'ann', NOON),
        msg('a2', 'ann', NOON + GROUP_GAP_MS + 1),
        msg('a3', 'ann', NOON + GROUP_GAP_MS + 2 * MIN),
        msg('a4', 'ann', late),
        msg('a5', 'ann', late + 2 * MIN), // 00:00, the next day
        msg('a6', 'ann', late + 3 * MIN, true),
        msg('a7', 'ann', late + 3 * MIN),
      ],
      NOON + 2 * DAY,
      'a3',
    );
    expect(rows.map((r) => r.groupStart)).toEqual([true, true, true, true, true, true, true]);
    expect(rows.map((r) => r.newDay)).toEqual([true, false, false, false, true, false, false]);
    expect(rows.every((r) => r.groupEnd)).toBe(true);
  });

  it('keeps the same object for a row that did not change (its bubble is not rendered again)', () => {
    const first = [msg('a1', 'ann', NOON), msg('a2', 'ann', NOON + MIN)];
    const before = layoutTimeline(first, NOON + DAY / 4);
    const next = [...first, msg('a3', 'ann', NOON + 2 * MIN)];
    const after = layoutTimeline(next, NOON + DAY / 4, null, rowsById(first, before));
    expect(after[0]).toBe(before[0]);
    // a2 is no longer the end of its group: a new object.
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]?.groupEnd).toBe(false);
  });

  it('is empty for no messages', () => {
    expect(layoutTimeline([], NOON)).toEqual([]);
  });
});

describe('layoutTimeline: times follow the document order', () => {
  it('a device clock two days behind: the message shows after the earlier ones, today, with its own time as a note', () => {
    const rows = layoutTimeline(
      [msg('a1', 'ann', NOON), msg('b1', 'bob', NOON + 5 * MIN), msg('a2', 'ann', NOON - 2 * DAY)],
      NOON + 10 * MIN,
    );
    expect(rows[2]).toMatchObject({
      shownAt: NOON + 5 * MIN,
      authorAt: NOON - 2 * DAY,
      newDay: false,
    });
    expect(rows[0]?.authorAt).toBeNull();
  });

  it('a device clock 50 minutes ahead: never shown in the future', () => {
    const now = NOON + 10 * MIN;
    const rows = layoutTimeline([msg('a1', 'ann', NOON), msg('b1', 'bob', NOON + 60 * MIN)], now);
    expect(rows[1]?.shownAt).toBe(now);
    expect(rows[1]?.authorAt).toBe(NOON + 60 * MIN);
  });

  it('shown times never decrease along the document, and small differences keep no note', () => {
    const times = shownTimes(
      [msg('a', 'x', 5), msg('b', 'y', 3), msg('c', 'x', 9), msg('d', 'y', 7)],
      100,
    );
    expect(times).toEqual([5, 5, 9, 9]);
    const rows = layoutTimeline([msg('a', 'x', NOON), msg('b', 'y', NOON - MIN)], NOON + MIN);
    expect(rows[1]).toMatchObject({ shownAt: NOON, authorAt: null });
  });
});

describe('authorTimeNote', () => {
  it('says when an earlier-dated message was written, and flags a clock ahead', async () => {
    const { authorTimeNote } = await import('../../../../client/components/message-time');
    const { timeOfDay } = await import('../../../../client/components/format');
    expect(authorTimeNote(NOON - 60 * MIN, NOON, NOON)).toBe(
      `written offline at ${timeOfDay(NOON - 60 * MIN)}`,
    );
    expect(authorTimeNote(NOON - DAY, NOON, NOON)).toBe(
      `written offline yesterday at ${timeOfDay(NOON - DAY)}`,
    );
    expect(authorTimeNote(NOON - 2 * DAY, NOON, NOON)).toMatch(/^written offline on .+ at /);
    expect(authorTimeNote(NOON + 50 * MIN, NOON, NOON)).toBe(
      `sent with the clock at ${timeOfDay(NOON + 50 * MIN)}`,
    );
  });
});
