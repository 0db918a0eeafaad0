import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Conversation } from '../../../../client/data/conversation';
import { ConversationRepo } from '../../../../client/data/conversation-repo';
import { Roots, newMessageId } from '../../../../shared/schema';
import { flush, memoryPersistence } from './helpers';

const ALICE = 'u_aliceaaaaaaaaaaaaaaa';
const BOB = 'u_bobbbbbbbbbbbbbbbbbb';
const CONV = 'c_aaaaaaaaaaaaaaaaaaaa';

const open: Conversation[] = [];

function localConversation(): Conversation {
  const c = new Conversation({
    id: CONV,
    docName: CONV,
    me: ALICE,
    sync: { createPersistence: () => memoryPersistence(), createProvider: null, window: null },
  });
  open.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.destroy()));
});

describe('Conversation', () => {
  it('is loading until the local copy is there, then ready', async () => {
    const c = localConversation();
    expect(c.snapshot).toMatchObject({ status: 'loading-local', ready: false });
    await c.open();
    expect(c.snapshot.ready).toBe(true);
    // No provider: nothing to connect to.
    expect(c.snapshot.status).toBe('offline');
  });

  it('sends trimmed text as a pending message of the signed-in user and ignores blank text', async () => {
    const c = localConversation();
    await c.open();
    expect(c.send('   \n ')).toBeNull();
    const id = c.send('  hello there \n');
    await flush();
    expect(c.snapshot.messages).toEqual([
      expect.objectContaining({
        id,
        text: 'hello there',
        from: ALICE,
        mine: true,
        state: 'pending',
      }),
    ]);
    const stored = c.doc.getArray<Record<string, unknown>>(Roots.messages).toArray();
    expect(stored).toHaveLength(1);
    expect(Object.keys(stored[0] ?? {}).sort()).toEqual(['at', 'from', 'id', 'text']);
    expect(stored[0]).toMatchObject({ id, from: ALICE, text: 'hello there' });
    expect(typeof stored[0]?.at).toBe('number');
  });

  it('notifies subscribers once per burst of changes', async () => {
    const c = localConversation();
    await c.open();
    let calls = 0;
    const stop = c.subscribe(() => calls++);
    c.send('a');
    c.send('b');
    await flush();
    expect(calls).toBe(1);
    stop();
    c.send('c');
    await flush();
    expect(calls).toBe(1);
  });

  it('marks read only when the other person wrote something new', async () => {
    const c = localConversation();
    await c.open();
    c.send('mine');
    c.markRead();
    expect(c.doc.getMap(Roots.reads).get(ALICE)).toBeUndefined();
    const bob = new Y.Doc();
    bob.getArray(Roots.messages).push([{ id: newMessageId(), from: BOB, text: 'yo', at: 1 }]);
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(bob));
    await flush();
    c.markRead();
    const last = c.snapshot.messages[c.snapshot.messages.length - 1];
    expect(c.doc.getMap(Roots.reads).get(ALICE)).toMatchObject({ upTo: last?.id });
  });
});

describe('ConversationRepo', () => {
  it('shares one open conversation between leases and closes it after the last release', async () => {
    const repo = new ConversationRepo({
      me: ALICE,
      lingerMs: 0,
      conversationOptions: {
        sync: { createPersistence: () => memoryPersistence(), createProvider: null, window: null },
      },
    });
    const a = repo.open({ id: CONV, doc: CONV });
    const b = repo.open({ id: CONV, doc: CONV });
    expect(a.conversation).toBe(b.conversation);
    expect(repo.snapshot.statuses.has(CONV)).toBe(true);
    // The repo's clock is faked: a close that was scheduled surely ran once it is advanced.
    vi.useFakeTimers();
    try {
      a.release();
      a.release(); // a second release of the same lease is ignored
      await vi.advanceTimersByTimeAsync(1000);
      expect(repo.get(CONV)).toBe(b.conversation);
      b.release();
      await vi.advanceTimersByTimeAsync(1000);
      expect(repo.get(CONV)).toBeUndefined();
      expect(repo.snapshot.statuses.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
