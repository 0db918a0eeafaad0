import { describe, expect, it } from 'vitest';
import { shouldMarkRead, type ReadingFacts } from '../../../../client/data/read-receipts';

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

  it('never tells a stranger you read their message request, nor before it is known', () => {
    expect(shouldMarkRead({ ...reading, request: true })).toBe(false);
    expect(shouldMarkRead({ ...reading, request: undefined })).toBe(false);
  });
});
