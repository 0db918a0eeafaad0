/**
 * The client data API for rich messages (issue #12): replies, attachments, edits within
 * the window, reactions, locating a message in older history, and content from a newer
 * version shown as unsupported instead of vanishing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Conversation } from '../../../../client/data/conversation';
import { docNameOf } from '../../../../shared/protocol';
import {
  META_SCHEMA_KEY,
  Roots,
  SCHEMA_VERSION,
  newMessageId,
  type AttachmentRef,
  type ChatMessage,
} from '../../../../shared/schema';
import { flush, memoryPersistence } from './helpers';

const ALICE = 'u_aliceaaaaaaaaaaaaaaa';
const BOB = 'u_bobbbbbbbbbbbbbbbbbb';
const CONV = 'c_aaaaaaaaaaaaaaaaaaaa';
const HOUR = 3600_000;

const open: Conversation[] = [];

async function conversation(
  opts: Partial<ConstructorParameters<typeof Conversation>[0]> = {},
): Promise<Conversation> {
  const c = new Conversation({
    id: CONV,
    docName: CONV,
    me: ALICE,
    sync: { createPersistence: () => memoryPersistence(), createProvider: null, window: null },
    ...opts,
  });
  open.push(c);
  await c.open();
  return c;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.destroy()));
});

const photo: AttachmentRef = {
  id: 'a_ABCDEFGHIJKLMNOPQRST',
  kind: 'image',
  name: 'cat.jpg',
  type: 'image/jpeg',
  size: 1000,
  width: 10,
  height: 10,
  token: 'tok_0123456789abcdef',
};

function theirs(doc: Y.Doc, text: string, extra: Record<string, unknown> = {}): string {
  const id = newMessageId();
  doc.getArray(Roots.messages).push([{ id, from: BOB, text, at: Date.now(), ...extra }]);
  return id;
}

describe('sending', () => {
  it('sends a reply that quotes the first line of the original, and the schema version', async () => {
    const c = await conversation();
    const original = theirs(c.doc, '\n  first line \nsecond line');
    const id = c.send('answer', { replyTo: original });
    await flush();
    const view = c.snapshot.messages.find((m) => m.id === id);
    expect(view?.replyTo).toEqual({ id: original, from: BOB, excerpt: 'first line' });
    expect(c.doc.getMap(Roots.meta).get(META_SCHEMA_KEY)).toBe(SCHEMA_VERSION);
  });

  it('quotes a deleted original as null', async () => {
    const c = await conversation();
    const mine = c.send('to be deleted');
    const reply = c.send('reply', { replyTo: mine ?? '' });
    await flush();
    expect(c.deleteMessage(mine ?? '')).toBe(true);
    await flush();
    expect(c.snapshot.messages.find((m) => m.id === reply)?.replyTo?.excerpt).toBeNull();
  });

  it('sends attachments with an empty caption, and nothing without text or attachments', async () => {
    const c = await conversation();
    expect(c.send('  ', {})).toBeNull();
    const id = c.send('', { attachments: [photo] });
    await flush();
    expect(c.snapshot.messages.find((m) => m.id === id)).toMatchObject({
      text: '',
      attachments: [photo],
      unsupported: false,
    });
  });
});

describe('editing', () => {
  it('edits your own message: the latest text wins and the message says edited', async () => {
    const c = await conversation();
    const id = c.send('typo') ?? '';
    await flush();
    expect(c.snapshot.messages[0]).toMatchObject({ edited: false, canEdit: true });
    expect(c.edit(id, 'fixed')).toBe(true);
    expect(c.edit(id, 'fixed again')).toBe(true);
    await flush();
    expect(c.snapshot.messages[0]).toMatchObject({ text: 'fixed again', edited: true });
    expect(c.edit(id, '   ')).toBe(false);
  });

  it("refuses to edit the other person's message or one outside the window", async () => {
    const c = await conversation({ editWindowMs: HOUR });
    const other = theirs(c.doc, 'theirs');
    const old = newMessageId();
    c.doc
      .getArray<ChatMessage>(Roots.messages)
      .push([{ id: old, from: ALICE, text: 'old', at: Date.now() - 2 * HOUR }]);
    await flush();
    expect(c.edit(other, 'mine now')).toBe(false);
    expect(c.edit(old, 'too late')).toBe(false);
    expect(c.snapshot.messages.map((m) => m.canEdit)).toEqual([false, false]);
    expect(c.doc.getMap(Roots.edits).size).toBe(0);
  });

  it('sends an edit made offline once, as its latest text', async () => {
    const c = await conversation();
    const id = c.send('draft') ?? '';
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(c.doc));
    const before = Y.encodeStateVector(server);
    // Offline: two edits, then the sync catches up.
    c.edit(id, 'one');
    c.edit(id, 'two');
    const diff = Y.encodeStateAsUpdate(c.doc, before);
    Y.applyUpdate(server, diff);
    const edits = server.getMap<{ text: string }>(Roots.edits);
    expect([...edits.keys()]).toEqual([id]);
    expect(edits.get(id)?.text).toBe('two');
    // The first edit was overwritten before it left: one text travels, the other as a tombstone.
    const carried = Y.decodeUpdate(diff).structs.filter(
      (s) => s instanceof Y.Item && s.content instanceof Y.ContentAny,
    );
    expect(carried).toHaveLength(1);
    // Once synced there is nothing new to send (only the delete set, which Yjs always sends).
    expect(Y.decodeUpdate(Y.encodeStateAsUpdate(c.doc, Y.encodeStateVector(server))).structs).toEqual(
      [],
    );
  });
});

describe('reactions', () => {
  it('toggles your reaction and lists who reacted with each emoji', async () => {
    const c = await conversation();
    const id = theirs(c.doc, 'nice');
    c.doc.getMap(Roots.reactions).set(`${id}:${BOB}:👍`, { at: 1 });
    await flush();
    c.toggleReaction(id, '👍');
    c.toggleReaction(id, '🎉');
    await flush();
    expect(c.snapshot.messages[0]?.reactions).toEqual([
      { emoji: '👍', users: [BOB, ALICE], mine: true },
      { emoji: '🎉', users: [ALICE], mine: true },
    ]);
    c.toggleReaction(id, '👍');
    c.toggleReaction(id, 'not an emoji');
    c.toggleReaction('mnosuchmessage', '👍');
    await flush();
    expect(c.snapshot.messages[0]?.reactions).toEqual([
      { emoji: '👍', users: [BOB], mine: false },
      { emoji: '🎉', users: [ALICE], mine: true },
    ]);
  });
});

describe('content from a newer version', () => {
  it('shows a message with unknown content as unsupported instead of hiding it', async () => {
    const c = await conversation();
    theirs(c.doc, '', { poll: { question: 'lunch?' } });
    theirs(c.doc, 'plain');
    c.doc.getMap(Roots.meta).set(META_SCHEMA_KEY, SCHEMA_VERSION + 1);
    await flush();
    expect(c.snapshot.messages.map((m) => [m.text, m.unsupported])).toEqual([
      ['', true],
      ['plain', false],
    ]);
    expect(c.snapshot.newerSchema).toBe(true);
  });
});

describe('locate', () => {
  it('loads older documents until the message is there, false when it does not exist', async () => {
    const sealed = [new Y.Doc(), new Y.Doc()];
    const wanted = theirs(sealed[0]!, 'in the first epoch');
    theirs(sealed[1]!, 'in the second epoch');
    const fetched: number[] = [];
    const c = await conversation({
      docName: docNameOf(CONV, 2),
      fetchEpoch: (_id, epoch, sv) => {
        fetched.push(epoch);
        return Promise.resolve(Y.encodeStateAsUpdate(sealed[epoch]!, sv));
      },
    });
    expect(await c.locate(wanted)).toBe(true);
    expect(fetched).toEqual([1, 0]);
    await flush();
    expect(c.snapshot.messages.some((m) => m.id === wanted)).toBe(true);
    expect(await c.locate('mnosuchmessage1')).toBe(false);
  });
});
