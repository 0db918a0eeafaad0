import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../../../client/data/message-state';
import { firstUnreadId, withTombstones } from '../../../../client/data/timeline';

const view = (id: string, mine = false): MessageView => ({
  id,
  from: mine ? 'me' : 'them',
  text: id,
  at: 0,
  mine,
  state: mine ? 'sent' : null,
  edited: false,
  editedAt: null,
  canEdit: false,
  reactions: [],
  attachments: [],
  unsupported: false,
});

describe('withTombstones', () => {
  it('returns the same array when nothing was deleted', () => {
    const views = [view('a')];
    expect(withTombstones(views, [])).toBe(views);
  });

  it('puts placeholders back after their anchors, in deletion order', () => {
    const out = withTombstones(
      [view('a'), view('d')],
      [
        { view: view('b'), after: 'a' },
        { view: view('c'), after: 'b' },
        { view: view('z'), after: null },
      ],
    );
    expect(out.map((m) => [m.id, m.deleted ?? false])).toEqual([
      ['z', true],
      ['a', false],
      ['b', true],
      ['c', true],
      ['d', false],
    ]);
    expect(out[2]).toMatchObject({ text: '', state: null });
  });
});

describe('firstUnreadId', () => {
  const list = [view('1'), view('2', true), view('3'), view('4'), view('5', true)];

  it("is the n-th last message of the other person's", () => {
    expect(firstUnreadId(list, 1)).toBe('4');
    expect(firstUnreadId(list, 2)).toBe('3');
    expect(firstUnreadId(list, 3)).toBe('1');
  });

  it('is null with nothing unread or more unread than known', () => {
    expect(firstUnreadId(list, 0)).toBeNull();
    expect(firstUnreadId(list, 4)).toBeNull();
  });
});
