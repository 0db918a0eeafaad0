/** Delete for everyone: only your own messages, and a placeholder while the session watches. */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Conversation } from '../../../../client/data/conversation';
import { Roots, newMessageId, type ChatMessage } from '../../../../shared/schema';
import { flush, memoryPersistence } from './helpers';

const ALICE = 'u_aliceaaaaaaaaaaaaaaa';
const BOB = 'u_bobbbbbbbbbbbbbbbbbb';
const CONV = 'c_aaaaaaaaaaaaaaaaaaaa';

const open: Conversation[] = [];

async function conversationOf(me: string): Promise<Conversation> {
  const c = new Conversation({
    id: CONV,
    docName: CONV,
    me,
    sync: { createPersistence: () => memoryPersistence(), createProvider: null, window: null },
  });
  open.push(c);
  await c.open();
  return c;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.destroy()));
});

describe('Conversation.deleteMessage', () => {
  it('removes your own message from the array and leaves a placeholder in its place', async () => {
    const c = await conversationOf(ALICE);
    c.send('one');
    const two = c.send('two');
    c.send('three');
    await flush();
    expect(c.deleteMessage(two ?? '')).toBe(true);
    await flush();
    const texts = c.doc.getArray<ChatMessage>(Roots.messages).map((m) => m.text);
    expect(texts).toEqual(['one', 'three']);
    expect(c.snapshot.messages.map((m) => [m.text, m.deleted ?? false])).toEqual([
      ['one', false],
      ['', true],
      ['three', false],
    ]);
    expect(c.snapshot.messages[1]).toMatchObject({ id: two, state: null });
  });

  it("refuses to delete the other person's message", async () => {
    const c = await conversationOf(ALICE);
    const theirs: ChatMessage = { id: newMessageId(), from: BOB, text: 'hi', at: Date.now() };
    c.doc.getArray<ChatMessage>(Roots.messages).push([theirs]);
    await flush();
    expect(c.deleteMessage(theirs.id)).toBe(false);
    expect(c.deleteMessage('no-such-id')).toBe(false);
    expect(c.doc.getArray(Roots.messages).length).toBe(1);
  });

  it('shows a placeholder when the deletion arrives from the other side', async () => {
    const a = await conversationOf(ALICE);
    const b = await conversationOf(BOB);
    const relay = (from: Y.Doc, to: Y.Doc) => (u: Uint8Array, origin: unknown) => {
      if (origin !== 'relay') Y.applyUpdate(to, u, 'relay');
    };
    a.doc.on('update', relay(a.doc, b.doc));
    b.doc.on('update', relay(b.doc, a.doc));
    const id = a.send('oops');
    b.send('reply');
    await flush();
    expect(b.snapshot.messages.map((m) => m.text)).toEqual(['oops', 'reply']);
    a.deleteMessage(id ?? '');
    await flush();
    expect(b.snapshot.messages.map((m) => m.deleted ?? false)).toEqual([true, false]);
    expect(b.doc.getArray(Roots.messages).length).toBe(1);
  });

  it('shows nothing for a message that was already deleted when the copy loaded', async () => {
    const source = new Y.Doc();
    const arr = source.getArray<ChatMessage>(Roots.messages);
    arr.push([{ id: newMessageId(), from: ALICE, text: 'gone', at: Date.now() }]);
    arr.delete(0, 1);
    const c = await conversationOf(ALICE);
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(source));
    await flush();
    expect(c.snapshot.messages).toEqual([]);
  });
});
