/**
 * The validator's rules for rich messages (issue #12): edits by the author inside the
 * window, replies within the conversation, reactions as yourself to a message that is
 * there, attachments only with the server's proof of upload, and the schema version.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { validateUpdate, type ValidationContext } from '../../../server/sync/validate-update';
import { META_SCHEMA_KEY, SCHEMA_VERSION, type AttachmentRef } from '../../../shared/schema';
import {
  ALICE,
  BOB,
  NOW,
  cloneDoc,
  makeFixture,
  message,
  type Fixture,
} from '../../helpers/validator-fixture';

const HOUR = 3600_000;
let fx: Fixture;
beforeEach(() => {
  fx = makeFixture();
});

const photo: AttachmentRef = {
  id: 'a_ABCDEFGHIJKLMNOPQRST',
  kind: 'image',
  name: 'cat.jpg',
  type: 'image/jpeg',
  size: 1000,
  token: 'tok_0123456789abcdef',
};

/** Validate what `change` on `who`'s device produces, with `ctx` overrides. */
function verdict(
  who: typeof ALICE | typeof BOB,
  change: (d: Y.Doc) => void,
  ctx: Partial<ValidationContext> = {},
): string {
  // On a copy of the device: each verdict starts from the same state as the server.
  const device = who === ALICE ? fx.alice : fx.bob;
  const copy = cloneDoc(device);
  copy.clientID = device.clientID;
  const update = fx.capture(copy, change);
  const v = validateUpdate({ ...fx.ctx(who), ...ctx }, update);
  return v.kind === 'accept' ? 'accept' : v.reason;
}

const aliceFirst = (): string => fx.aliceMessages[0]!.id;
const bobFirst = (): string => fx.bobMessages[0]!.id;

describe('edits', () => {
  it('accepts an edit of your own message inside the window', () => {
    expect(
      verdict(ALICE, (d) => d.getMap('edits').set(aliceFirst(), { text: 'fixed', at: NOW })),
    ).toBe('accept');
  });

  it("refuses an edit of the other person's message", () => {
    expect(
      verdict(ALICE, (d) => d.getMap('edits').set(bobFirst(), { text: 'mine', at: NOW })),
    ).toMatch(/another person's message/);
  });

  it('refuses an edit after the window, by the message time or by when the server stored it', () => {
    // The fixture's messages are a second old: with a half-second window they are past it.
    expect(
      verdict(ALICE, (d) => d.getMap('edits').set(aliceFirst(), { text: 'late', at: NOW }), {
        editWindowMs: 500,
        editGraceMs: HOUR,
      }),
    ).toMatch(/edit window/);
    // A message dated in the future gains nothing past the grace: the server's own clock
    // counts from when it stored the message.
    const facts = new Map(fx.messages);
    facts.set(aliceFirst(), { from: ALICE, at: NOW + 30 * 60_000, stored: NOW - 2 * HOUR });
    expect(
      verdict(
        ALICE,
        (d) => d.getMap('edits').set(aliceFirst(), { text: 'late', at: NOW + 29 * 60_000 }),
        { messages: facts, editWindowMs: HOUR, editGraceMs: HOUR / 2 },
      ),
    ).toMatch(/edit window/);
  });

  it('measures the window on the author’s own clock, so a fast client clock is not refused', () => {
    // The client's clock is 10 minutes ahead: the message says NOW + 10 min, stored at NOW.
    const facts = new Map(fx.messages);
    facts.set(aliceFirst(), { from: ALICE, at: NOW + 10 * 60_000, stored: NOW - 55 * 60_000 });
    expect(
      verdict(
        ALICE,
        (d) => d.getMap('edits').set(aliceFirst(), { text: 'ok', at: NOW + 9 * 60_000 }),
        { messages: facts, editWindowMs: HOUR, editGraceMs: HOUR },
      ),
    ).toBe('accept');
  });

  it('accepts an edit written inside the window that arrives late, within the grace only', () => {
    const facts = new Map(fx.messages);
    facts.set(aliceFirst(), { from: ALICE, at: NOW - 3 * HOUR, stored: NOW - 3 * HOUR });
    const offline = (d: Y.Doc): void =>
      void d.getMap('edits').set(aliceFirst(), { text: 'offline', at: NOW - 2.5 * HOUR });
    expect(
      verdict(ALICE, offline, { messages: facts, editWindowMs: HOUR, editGraceMs: 3 * HOUR }),
    ).toBe('accept');
    expect(
      verdict(ALICE, offline, { messages: facts, editWindowMs: HOUR, editGraceMs: HOUR }),
    ).toMatch(/edit window/);
  });

  it('refuses an edit of a message that is not in this document (deleted, or in another epoch)', () => {
    const deleted = fx.bobMessages[3]!.id;
    expect(verdict(BOB, (d) => d.getMap('edits').set(deleted, { text: 'back', at: NOW }))).toMatch(
      /not in this document/,
    );
  });
});

describe('replies', () => {
  it('accepts a reply to a message of this conversation, in this document or an older epoch', () => {
    const reply = { ...message(ALICE, 'yes', 'mreplyaaaa1'), at: NOW, replyTo: bobFirst() };
    expect(verdict(ALICE, (d) => d.getArray('messages').push([reply]))).toBe('accept');
    const facts = new Map(fx.messages);
    facts.set('msealedold1', { from: BOB, at: NOW - HOUR, stored: NOW - HOUR });
    const old = { ...message(ALICE, 'yes', 'mreplyaaaa2'), at: NOW, replyTo: 'msealedold1' };
    expect(verdict(ALICE, (d) => d.getArray('messages').push([old]), { messages: facts })).toBe(
      'accept',
    );
  });

  it('refuses a reply to a message of another conversation (unknown here)', () => {
    const reply = { ...message(ALICE, 'yes', 'mreplyaaaa3'), at: NOW, replyTo: 'mothercon1' };
    expect(verdict(ALICE, (d) => d.getArray('messages').push([reply]))).toMatch(
      /not in this conversation/,
    );
  });
});

describe('reactions', () => {
  const react =
    (id: string, user: string, emoji = '👍') =>
    (d: Y.Doc) =>
      void d.getMap('reactions').set(`${id}:${user}:${emoji}`, { at: NOW });

  it('accepts your reaction to a message in this document', () => {
    expect(verdict(ALICE, react(bobFirst(), ALICE, '🎉'))).toBe('accept');
  });

  it('refuses reacting as the other person, with a non-emoji or in the old format', () => {
    expect(verdict(ALICE, react(bobFirst(), BOB))).toMatch(/another person/);
    expect(verdict(ALICE, react(bobFirst(), ALICE, 'lol'))).toMatch(/wrong shape/);
    expect(
      verdict(ALICE, (d) => d.getMap('reactions').set(`${bobFirst()}:${ALICE}`, '👍')),
    ).toMatch(/wrong shape/);
    expect(
      verdict(ALICE, (d) => d.getMap('reactions').set(`${bobFirst()}:${ALICE}:👍`, '👍')),
    ).toMatch(/wrong shape/);
  });

  it('refuses a reaction to a message that does not exist or was deleted', () => {
    expect(verdict(ALICE, react('mnosuchmsg1', ALICE))).toMatch(/not in this document/);
    expect(verdict(ALICE, react(fx.bobMessages[3]!.id, ALICE))).toMatch(/not in this document/);
  });

  it('reports reactions added and removed', () => {
    const update = fx.capture(fx.alice, (d) => {
      d.getMap('reactions').delete(`${bobFirst()}:${ALICE}:👍`);
      d.getMap('reactions').set(`${bobFirst()}:${ALICE}:😂`, { at: NOW });
    });
    const v = validateUpdate(fx.ctx(ALICE), update);
    expect(v.kind).toBe('accept');
    if (v.kind !== 'accept') return;
    expect(v.effects.reactionsRemoved).toEqual([
      { messageId: bobFirst(), userId: ALICE, emoji: '👍' },
    ]);
    expect(v.effects.reactionsAdded).toEqual([
      { messageId: bobFirst(), userId: ALICE, emoji: '😂', at: NOW },
    ]);
  });
});

describe('attachments', () => {
  const withPhoto = { ...message(ALICE, '', 'mphotoaaaa1'), at: NOW, attachments: [photo] };
  const send = (d: Y.Doc): void => void d.getArray('messages').push([withPhoto]);

  it('refuses attachments without a verifier, or when the verifier says no', () => {
    expect(verdict(ALICE, send)).toMatch(/attachments are not accepted/);
    expect(verdict(ALICE, send, { verifyAttachment: () => false })).toMatch(/not uploaded/);
  });

  it('accepts attachments the verifier vouches for, asking it for each as the sender', () => {
    const asked: string[] = [];
    const verifyAttachment = (ref: AttachmentRef, userId: string): boolean => {
      asked.push(`${ref.id}/${userId}`);
      return true;
    };
    expect(verdict(ALICE, send, { verifyAttachment })).toBe('accept');
    expect(asked).toEqual([`${photo.id}/${ALICE}`]);
  });
});

describe('schema version', () => {
  it('accepts raising it to a known version, refuses unknown versions and other meta keys', () => {
    expect(verdict(ALICE, (d) => d.getMap('meta').set(META_SCHEMA_KEY, SCHEMA_VERSION))).toBe(
      'accept',
    );
    expect(
      verdict(ALICE, (d) => d.getMap('meta').set(META_SCHEMA_KEY, SCHEMA_VERSION + 1)),
    ).toMatch(/unknown to the server/);
    expect(verdict(ALICE, (d) => d.getMap('meta').set('admin', true))).toMatch(/unknown meta key/);
  });
});
