/**
 * The document schema's guards: what a message, read marker, edit and reaction may look
 * like. Both the server's validator and the client's readers trust only what passes them.
 */
import { describe, expect, it } from 'vitest';
import { Limits } from '../../../shared/protocol';
import {
  SCHEMA_VERSION,
  isAttachmentRef,
  isChatMessage,
  isEmoji,
  isSchemaVersion,
  readChatMessage,
  isMessageEdit,
  isMessageId,
  isReactionValue,
  parseReactionKey,
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

  it('reactions are keyed by message, reacting user and emoji, with a time as value', () => {
    expect(isReactionValue({ at: 5 })).toBe(true);
    expect(isReactionValue({ at: 5, by: 'x' })).toBe(false);
    expect(isReactionValue('👍')).toBe(false);
    const key = reactionKey('m12345678', 'u_bob', '👍');
    expect(key).toBe('m12345678:u_bob:👍');
    expect(parseReactionKey(key)).toEqual({ messageId: 'm12345678', userId: 'u_bob', emoji: '👍' });
    expect(parseReactionKey('m12345678:u_bob:x')).toBeNull();
    expect(parseReactionKey('m12345678:u_bob')).toBeNull();
    expect(parseReactionKey('bad:u_bob:👍')).toBeNull();
    expect(parseReactionKey('m12345678::👍')).toBeNull();
  });
});

const ref = {
  id: 'a_ABCDEFGHIJKLMNOPQRST',
  kind: 'image',
  name: 'cat.jpg',
  type: 'image/jpeg',
  size: 12345,
  width: 640,
  height: 480,
  token: 'tok_0123456789abcdef',
};

describe('isEmoji', () => {
  it('accepts exactly one emoji, sequences included, and nothing else', () => {
    for (const good of ['👍', '❤️', '❤', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', '😂']) expect(isEmoji(good)).toBe(true);
    for (const bad of ['', 'a', ':)', '👍👍', '👍 ', '1', '<b>', 42, null])
      expect(isEmoji(bad)).toBe(false);
  });
});

describe('attachments (schema version 2)', () => {
  it('accepts a message with attachments and an empty caption', () => {
    expect(isAttachmentRef(ref)).toBe(true);
    expect(isChatMessage({ ...ok, text: '', attachments: [ref] })).toBe(true);
    expect(
      isChatMessage({ ...ok, attachments: [ref, { ...ref, id: 'a_ABCDEFGHIJKLMNOPQRSU' }] }),
    ).toBe(true);
  });

  it('refuses empty text without attachments, empty or oversized lists and bad references', () => {
    expect(isChatMessage({ ...ok, text: '' })).toBe(false);
    expect(isChatMessage({ ...ok, text: '', attachments: [] })).toBe(false);
    const many = Array.from({ length: 11 }, (_, i) => ({
      ...ref,
      id: `a_ABCDEFGHIJKLMNOPQR${String(i).padStart(2, '0')}`,
    }));
    expect(isChatMessage({ ...ok, attachments: many })).toBe(false);
    expect(isChatMessage({ ...ok, attachments: [ref, ref] })).toBe(false); // duplicate id
    for (const bad of [
      { ...ref, id: 'a_short' },
      { ...ref, kind: 'video' },
      { ...ref, name: '' },
      { ...ref, name: 'x'.repeat(256) },
      { ...ref, type: 'not a mime' },
      { ...ref, type: `image/${'x'.repeat(127)}` },
      { ...ref, size: -1 },
      { ...ref, size: 1.5 },
      { ...ref, width: 0 },
      { ...ref, durationMs: -5 },
      { ...ref, token: '' },
      { ...ref, extra: 1 },
    ]) {
      expect(isAttachmentRef(bad)).toBe(false);
      expect(isChatMessage({ ...ok, attachments: [bad] })).toBe(false);
    }
  });
});

describe('readChatMessage (tolerant reader)', () => {
  it('reads what the strict guard accepts, as supported', () => {
    expect(readChatMessage(ok)).toEqual({ ...ok, unsupported: false });
    expect(readChatMessage({ ...ok, replyTo: 'm87654321', attachments: [ref] })).toEqual({
      ...ok,
      replyTo: 'm87654321',
      attachments: [ref],
      unsupported: false,
    });
  });

  it('keeps a message with unknown keys or content and flags it unsupported', () => {
    expect(readChatMessage({ ...ok, poll: { q: 'lunch?' } })).toEqual({ ...ok, unsupported: true });
    const sticker = { ...ref, kind: 'sticker' };
    expect(readChatMessage({ ...ok, text: '', attachments: [sticker] })).toEqual({
      ...ok,
      text: '',
      unsupported: true,
    });
    const mixed = readChatMessage({ ...ok, attachments: [ref, { ...sticker, id: 'a_x' }] });
    expect(mixed?.attachments).toEqual([ref]);
    expect(mixed?.unsupported).toBe(true);
    const refPlus = readChatMessage({ ...ok, attachments: [{ ...ref, blurhash: 'LKO2' }] });
    expect(refPlus?.attachments).toEqual([ref]);
  });

  it('drops only what has no usable identity', () => {
    for (const bad of [
      null,
      'text',
      { ...ok, id: 'bad id' },
      { ...ok, from: '' },
      { ...ok, at: 'yesterday' },
      { ...ok, text: 5 },
    ])
      expect(readChatMessage(bad)).toBeNull();
  });
});

describe('schema version', () => {
  it('is an integer from 1 up to the version this code knows', () => {
    expect(isSchemaVersion(1)).toBe(true);
    expect(isSchemaVersion(SCHEMA_VERSION)).toBe(true);
    expect(isSchemaVersion(SCHEMA_VERSION + 1)).toBe(false);
    expect(isSchemaVersion(0)).toBe(false);
    expect(isSchemaVersion(1.5)).toBe(false);
    expect(isSchemaVersion('2')).toBe(false);
  });
});
