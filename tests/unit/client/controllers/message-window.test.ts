import { describe, expect, it } from 'vitest';
import {
  INITIAL_WINDOW,
  MAX_WINDOW,
  MessageWindow,
  indexOf,
} from '../../../../client/controllers/message-window';
import type { MessageView } from '../../../../client/data/message-state';

const views = (from: number, to: number): MessageView[] =>
  Array.from({ length: to - from }, (_, i) => ({
    id: `m${from + i}`,
    from: 'u',
    text: `message ${from + i}`,
    at: from + i,
    mine: false,
    state: null,
    edited: false,
    editedAt: null,
    canEdit: false,
    reactions: [],
    attachments: [],
    unsupported: false,
  }));

describe('MessageWindow', () => {
  it('opens on the newest INITIAL_WINDOW messages', () => {
    const w = new MessageWindow();
    w.rebase([], views(0, 250), true);
    expect([w.start, w.end]).toEqual([250 - INITIAL_WINDOW, 250]);
  });

  it('keeps the same first message rendered when older history is added above', () => {
    const w = new MessageWindow();
    const now = views(100, 200);
    w.rebase([], now, true);
    const first = now[w.start]?.id;
    const more = [...views(0, 100), ...now];
    w.rebase(now, more, false);
    expect(more[w.start]?.id).toBe(first);
    expect(w.end).toBe(more.length);
  });

  it('follows new messages at the bottom and drops the oldest beyond MAX_WINDOW', () => {
    const w = new MessageWindow();
    const before = views(0, 300);
    w.start = 0;
    w.end = 300;
    const after = views(0, 350);
    w.rebase(before, after, true);
    expect([w.start, w.end]).toEqual([350 - MAX_WINDOW, 350]);
  });

  it('renders a slice around a message far from the current one (revealMessage)', () => {
    const w = new MessageWindow();
    w.rebase([], views(0, 1000), true);
    expect(w.around(950, 1000)).toBe(false); // already rendered
    expect(w.around(10, 1000)).toBe(true);
    expect(w.start).toBeLessThanOrEqual(10);
    expect(w.end).toBeGreaterThan(10);
    expect(w.end - w.start).toBe(INITIAL_WINDOW);
  });

  it('includes the first unread message, cutting the newest beyond MAX_WINDOW', () => {
    const w = new MessageWindow();
    w.rebase([], views(0, 1000), true);
    expect(w.includeIndex(500)).toBe(false);
    expect(w.start).toBe(490);
    expect(w.end).toBe(490 + MAX_WINDOW);
  });

  it('finds a message near its old index first, anywhere otherwise', () => {
    const list = views(0, 50);
    expect(indexOf(list, 'm20', 18)).toBe(20);
    expect(indexOf(list, 'm3', 40)).toBe(3);
    expect(indexOf(list, 'nope', 10)).toBe(-1);
  });
});
