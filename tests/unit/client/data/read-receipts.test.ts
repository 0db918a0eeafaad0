import { describe, expect, it } from 'vitest';
import { sharesReads, shouldMarkRead, type ReadingFacts } from '../../../../client/data/read-receipts';

const reading: ReadingFacts = { visible: true, focused: true, atBottom: true, request: false };

describe('shouldMarkRead', () => {
  it('marks read when the newest message is in view of a visible, focused page', () => {
    expect(shouldMarkRead(reading)).toBe(true);
  });

  it('does not mark read in a background tab, an unfocused window or scrolled up', () => {
    expect(shouldMarkRead({ ...reading, visible: false })).toBe(false);
    expect(shouldMarkRead({ ...reading, focused: false })).toBe(false);
    expect(shouldMarkRead({ ...reading, atBottom: false })).toBe(false);
  });

  it('marks nothing before it is known whether the conversation is a message request', () => {
    expect(shouldMarkRead({ ...reading, request: undefined })).toBe(false);
  });

  it('reads a message request privately (finding 5): a stranger is never told', () => {
    expect(shouldMarkRead({ ...reading, request: true })).toBe(true);
    expect(sharesReads({ request: true })).toBe(false);
    expect(sharesReads({ request: true, receipts: true })).toBe(false);
  });

  it('shares reads only while read receipts are on for both', () => {
    expect(sharesReads({ request: false, receipts: true })).toBe(true);
    expect(sharesReads({ request: false })).toBe(true);
    expect(sharesReads({ request: false, receipts: false })).toBe(false);
  });
});
