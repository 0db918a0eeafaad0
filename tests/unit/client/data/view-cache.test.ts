import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Conversation } from '../../../../client/data/conversation';
import { CACHED_VIEWS, ViewCache, viewsKey } from '../../../../client/data/view-cache';
import type { MessageView } from '../../../../client/data/message-state';
import { MemoryStorage, flush, memoryPersistence } from './helpers';

const ALICE = 'u_aliceaaaaaaaaaaaaaaa';
const CONV = 'c_aaaaaaaaaaaaaaaaaaaa';

const open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.destroy()));
});

/** A conversation whose "IndexedDB" holds `saved` (a Yjs update), loaded at once. */
function conversation(cache: ViewCache, saved?: Uint8Array): Conversation {
  const c = new Conversation({
    id: CONV,
    docName: CONV,
    me: ALICE,
    viewCache: cache,
    sync: {
      createPersistence: (_name, doc) => {
        if (saved) Y.applyUpdate(doc, saved);
        return memoryPersistence();
      },
      createProvider: null,
      window: null,
    },
  });
  open.push(c);
  return c;
}

function view(n: number, over: Partial<MessageView> = {}): MessageView {
  return {
    id: `m_${String(n).padStart(21, '0')}`,
    from: ALICE,
    text: `message ${n}`,
    at: 1_700_000_000_000 + n,
    mine: true,
    state: 'sent',
    edited: false,
    editedAt: null,
    canEdit: true,
    reactions: [],
    attachments: [],
    unsupported: false,
    ...over,
  };
}

describe('ViewCache', () => {
  it('keeps the newest messages of a conversation and reads them back', () => {
    const storage = new MemoryStorage();
    const cache = new ViewCache(ALICE, storage);
    const views = Array.from({ length: CACHED_VIEWS + 10 }, (_, i) => view(i));
    cache.remember(CONV, views);
    cache.flush();
    const again = new ViewCache(ALICE, storage).read(CONV);
    expect(again.map((v) => v.text)).toEqual(views.slice(-CACHED_VIEWS).map((v) => v.text));
  });

  it('writes a deletion or an edit at once, so it does not survive a closed tab', () => {
    const storage = new MemoryStorage();
    const cache = new ViewCache(ALICE, storage);
    cache.remember(CONV, [view(1), view(2)]);
    cache.flush();
    cache.remember(CONV, [view(1), view(2, { deleted: true, text: '' })]);
    // No flush: the change that took content away is already stored.
    expect(storage.getItem(viewsKey(ALICE, CONV))).not.toContain('message 2');
    cache.remember(CONV, [view(1, { text: 'fixed' }), view(2, { deleted: true, text: '' })]);
    expect(new ViewCache(ALICE, storage).read(CONV)[0]?.text).toBe('fixed');
  });

  it('drops unusable entries and survives garbage', () => {
    const storage = new MemoryStorage();
    storage.setItem(viewsKey(ALICE, CONV), '{not json');
    expect(new ViewCache(ALICE, storage).read(CONV)).toEqual([]);
    storage.setItem(viewsKey(ALICE, CONV), JSON.stringify([{ id: 1 }, view(3)]));
    expect(new ViewCache(ALICE, storage).read(CONV).map((v) => v.text)).toEqual(['message 3']);
  });
});

describe('Conversation with a view cache', () => {
  it('shows the cached newest messages, not ready and not editable, until the document loads', async () => {
    const storage = new MemoryStorage();
    const cache = new ViewCache(ALICE, storage);
    const first = conversation(cache);
    await first.open();
    first.send('hello from before');
    await flush();
    const saved = Y.encodeStateAsUpdate(first.doc);
    await first.destroy();
    open.length = 0;
    // Writes are coalesced; a later visit reads what was written.
    cache.flush();
    const c = conversation(new ViewCache(ALICE, storage), saved);
    expect(c.snapshot.ready).toBe(false);
    expect(c.snapshot.messages.map((m) => [m.text, m.canEdit])).toEqual([
      ['hello from before', false],
    ]);
    await c.open();
    expect(c.snapshot.ready).toBe(true);
    expect(c.snapshot.messages.map((m) => [m.text, m.canEdit])).toEqual([
      ['hello from before', true],
    ]);
  });
});
