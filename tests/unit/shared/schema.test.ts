/**
 * The document schema's guards: what a message, read marker, edit and reaction may look
 * like. Both the server's validator and the client's readers trust only what passes them.
 */
import { describe, expect, it } from 'vitest';
import { Limits } from '../../../shared/protocol';
import {
  isChatMessage,
  isMessageEdit,
  isMessageId,
  isReaction,
  isReadMarker,
  isValidText,
  newMessageId,
  reactionKey,
} from '../../../shared/schema';

const ok = { id: 'm12345678', from: 'u_aliceaaaaaaaaaaaaaaa', text: 'hi', at: 1_700_000_000_000 };

describe('message ids', () => {
  it('accepts 8 to 64 url-safe characters and nothing else', () => {
    expect(isMessageId('abcdEF_-')).toBe(true);
    expect(isMessageId('a'.repeat(64))).toBe(true);
    for (const bad of ['short', 'a'.repeat(65), 'has space1', 'emoji😀xx', 12345678, null])
      expect(isMessageId(bad)).toBe(false);
  });

  it('generates ids that pass the guard, each different', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newMessageId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(isMessageId(id)).toBe(true);
  });
});

describe('message text', () => {
  it('refuses blank text and text over the limit after trimming', () => {
    expect(isValidText('x')).toBe(true);
    expect(isValidText(` ${'x'.repeat(Limits.maxMessageChars)} `)).toBe(true);
    expect(isValidText('x'.repeat(Limits.maxMessageChars + 1))).toBe(false);
    expect(isValidText('   \n\t')).toBe(false);
    expect(isValidText(' '.repeat(Limits.maxMessageChars + 1001) + 'x')).toBe(false);
    expect(isValidText(42)).toBe(false);
  });
});

describe('isChatMessage', () => {
  it('accepts a plain message, with or without a reply reference', () => {
    expect(isChatMessage(ok)).toBe(true);
    expect(isChatMessage({ ...ok, replyTo: 'm87654321' })).toBe(true);
  });

  it('refuses extra keys, wrong types, bad times and non-plain objects', () => {
    for (const bad of [
      { ...ok, admin: true },
      { ...ok, replyTo: 'bad id' },
      { ...ok, from: '' },
      { ...ok, from: 'u'.repeat(65) },
      { ...ok, at: 0 },
      { ...ok, at: 1.5 },
      { ...ok, at: Infinity },
      { ...ok, text: ' ' },
      { ...ok, id: 'x' },
      [ok],
      null,
      'message',
      Object.assign(Object.create({ inherited: 1 }) as object, ok),
    ])
      expect(isChatMessage(bad)).toBe(false);
  });

  it('accepts an object without a prototype (as lib0 may decode one)', () => {
    expect(isChatMessage(Object.assign(Object.create(null) as object, ok))).toBe(true);
  });
});

describe('map values', () => {
  it('read markers name a message id and a time, nothing more', () => {
    expect(isReadMarker({ upTo: 'm12345678', at: 5 })).toBe(true);
    expect(isReadMarker({ upTo: 'm12345678', at: 5, extra: 1 })).toBe(false);
    expect(isReadMarker({ upTo: 'nope', at: 5 })).toBe(false);
    expect(isReadMarker({ upTo: 'm12345678' })).toBe(false);
  });

  it('edits carry valid text and a time', () => {
    expect(isMessageEdit({ text: 'fixed', at: 5 })).toBe(true);
    expect(isMessageEdit({ text: '', at: 5 })).toBe(false);
    expect(isMessageEdit({ text: 'fixed', at: -1 })).toBe(false);
    expect(isMessageEdit({ text: 'fixed', at: 5, by: 'x' })).toBe(false);
  });

  it('reactions are short strings keyed by message and reacting user', () => {
    expect(isReaction('👍')).toBe(true);
    expect(isReaction('')).toBe(false);
    expect(isReaction('x'.repeat(17))).toBe(false);
    expect(isReaction(1)).toBe(false);
    expect(reactionKey('m12345678', 'u_bob')).toBe('m12345678:u_bob');
  });
});
