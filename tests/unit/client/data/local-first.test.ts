/**
 * The local-first pieces of the data layer in Node: the tab relay, background sync,
 * drafts, wiping a user's data, a different user's sign-in, and deleting a pending message.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ConversationSummary } from '../../../../shared/api';
import { Api } from '../../../../client/data/api';
import { BackgroundSync, syncedKey } from '../../../../client/data/background-sync';
import { Conversation } from '../../../../client/data/conversation';
import { Drafts, draftKey } from '../../../../client/data/drafts';
import { deleteLocalData } from '../../../../client/data/local-data';
import { Session } from '../../../../client/data/session';
import { StorageHealth, isQuotaError } from '../../../../client/data/storage-health';
import { SnapshotStore } from '../../../../client/data/store';
import { TabRelay, type ChannelLike } from '../../../../client/data/tab-relay';
import { MemoryStorage, flush, jsonFetch, memoryPersistence } from './helpers';

/** Channels with one name, delivering to every other member (like BroadcastChannel). */
function channelPair(): [ChannelLike, ChannelLike] {
  const members: ChannelLike[] = [];
  const make = (): ChannelLike => {
    const ch: ChannelLike = {
      onmessage: null,
      postMessage: (message) => {
        for (const other of members)
          if (other !== ch) queueMicrotask(() => other.onmessage?.({ data: message } as MessageEvent));
      },
      close: () => members.splice(members.indexOf(ch), 1),
    };
    members.push(ch);
    return ch;
  };
  return [make(), make()];
}

describe('TabRelay', () => {
  it('carries updates both ways between tabs without echoing them back', async () => {
    const [c1, c2] = channelPair();
    const a = new Y.Doc();
    const b = new Y.Doc();
    new TabRelay(a, c1);
    new TabRelay(b, c2);
    let updatesOnA = 0;
    a.on('update', () => updatesOnA++);
    a.getArray('messages').push(['one']);
    await flush();
    expect(b.getArray('messages').toArray()).toEqual(['one']);
    b.getArray('messages').push(['two']);
    await flush();
    expect(a.getArray('messages').toArray()).toEqual(['one', 'two']);
    expect(updatesOnA).toBe(2);
  });

  it('answers a new tab’s hello with what it lacks', async () => {
    const [c1, c2] = channelPair();
    const a = new Y.Doc();
    a.getArray('messages').push(['written before the tab opened']);
    new TabRelay(a, c1);
    const b = new Y.Doc();
    new TabRelay(b, c2).hello();
    await flush();
    await flush();
    expect(b.getArray('messages').toArray()).toEqual(['written before the tab opened']);
  });
});

describe('deleting a pending message', () => {
  it('leaves no trace of its text in what would be sent', async () => {
    const conversation = new Conversation({
      id: 'c_1',
      docName: 'c_1',
      me: 'u_me',
      sync: { createPersistence: () => memoryPersistence(), createProvider: null, window: null },
    });
    await conversation.open();
    const id = conversation.send('never to be sent');
    expect(id).not.toBeNull();
    conversation.deleteMessage(id ?? '');
    const update = Y.encodeStateAsUpdate(conversation.doc);
    expect(new TextDecoder().decode(update)).not.toContain('never to be sent');
    await conversation.destroy();
  });
});

class FakeInbox extends SnapshotStore<{ conversations: readonly ConversationSummary[] }> {
  constructor() {
    super({ conversations: [] });
  }
  show(conversations: Partial<ConversationSummary>[]): void {
    this.set({ conversations: conversations as ConversationSummary[] });
  }
}

/** A repo whose conversations become `synced` when the test says so. */
function fakeRepo() {
  const open: string[] = [];
  const released: string[] = [];
  const stores = new Map<string, SnapshotStore<{ status: string }> & { sync(): void }>();
  return {
    open,
    released,
    syncAll: () => {
      for (const s of stores.values()) s.sync();
    },
    repo: {
      open: (ref: { id: string; doc: string }) => {
        open.push(ref.id);
        const store = new (class extends SnapshotStore<{ status: string }> {
          sync(): void {
            this.set({ status: 'synced' });
          }
        })({ status: 'connecting' });
        stores.set(ref.id, store);
        return {
          conversation: store as never,
          release: () => {
            released.push(ref.id);
            stores.delete(ref.id);
          },
        };
      },
    },
  };
}

describe('BackgroundSync', () => {
  it('syncs conversations with new activity, two at a time, and remembers them', async () => {
    const inbox = new FakeInbox();
    const storage = new MemoryStorage();
    const fake = fakeRepo();
    const bg = new BackgroundSync({
      userId: 'u_me',
      inbox,
      repo: fake.repo,
      storage,
      window: null,
    });
    bg.start();
    inbox.show([
      { id: 'a', doc: 'a', activity: 3 },
      { id: 'b', doc: 'b', activity: 2 },
      { id: 'c', doc: 'c', activity: 1 },
    ]);
    expect(fake.open).toEqual(['a', 'b']);
    fake.syncAll();
    await flush();
    expect(fake.open).toEqual(['a', 'b', 'c']);
    fake.syncAll();
    await bg.idle();
    expect(fake.released.sort()).toEqual(['a', 'b', 'c']);
    expect(JSON.parse(storage.getItem(syncedKey('u_me')) ?? '{}')).toEqual({ a: 3, b: 2, c: 1 });

    // Only newer activity syncs again, also after a restart.
    bg.stop();
    const again = new BackgroundSync({ userId: 'u_me', inbox, repo: fake.repo, storage, window: null });
    again.start();
    inbox.show([
      { id: 'a', doc: 'a', activity: 3 },
      { id: 'b', doc: 'b', activity: 5 },
    ]);
    expect(fake.open).toEqual(['a', 'b', 'c', 'b']);
    again.stop();
  });
});

describe('drafts and wiping a user', () => {
  it('keeps drafts per user and conversation and deletes them with the user’s data', async () => {
    const storage = new MemoryStorage();
    new Drafts('u_a', { storage }).set('c_1', 'half');
    new Drafts('u_b', { storage }).set('c_1', 'other');
    expect(new Drafts('u_a', { storage }).get('c_1')).toBe('half');
    storage.setItem('parley:theme', 'dark');
    await deleteLocalData('u_a', { storage, indexedDB: null, caches: null });
    expect(storage.getItem(draftKey('u_a', 'c_1'))).toBeNull();
    expect(storage.getItem(draftKey('u_b', 'c_1'))).toBe('other');
    expect(storage.getItem('parley:theme')).toBe('dark');
  });

  it('reports a full disk instead of losing the draft silently', () => {
    const health = new StorageHealth(null);
    const full = new MemoryStorage();
    full.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    new Drafts('u_a', { storage: full, health }).set('c_1', 'text');
    expect(health.snapshot.full).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });

  it('deletes every cache except the app shell’s precache', async () => {
    const names = ['workbox-precache-v2-http://x/', 'old-api-cache'];
    const caches = {
      keys: () => Promise.resolve([...names]),
      delete: (n: string) => {
        names.splice(names.indexOf(n), 1);
        return Promise.resolve(true);
      },
    } as unknown as CacheStorage;
    await deleteLocalData('u_a', { storage: null, indexedDB: null, caches });
    expect(names).toEqual(['workbox-precache-v2-http://x/']);
  });
});

describe('Session and the previous user', () => {
  it('starts as the remembered user at once; a 401 then ends the session and keeps the data', async () => {
    const storage = new MemoryStorage();
    const alice = { id: 'u_alice', email: 'a@example.test', displayName: 'Alice' };
    storage.setItem('parley:last-user', JSON.stringify(alice));
    let answer: (r: Response) => void = () => undefined;
    const api = new Api({ fetch: () => new Promise<Response>((resolve) => (answer = resolve)) });
    const cleaned: string[] = [];
    const session = new Session({
      api,
      storage,
      window: null,
      cleanup: (u) => {
        cleaned.push(u.id);
        return Promise.resolve();
      },
    });
    const restoring = session.restore();
    expect(session.snapshot).toEqual({ status: 'signed-in', user: alice, verified: false });
    answer(
      new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'Sign in.' } }), {
        status: 401,
      }),
    );
    await restoring;
    expect(session.snapshot).toEqual({ status: 'signed-out', expired: true });
    expect(cleaned).toEqual([]);
    expect(storage.getItem('parley:last-user')).toContain('u_alice');
  });

  it('wipes the previous user’s data before someone else signs in', async () => {
    const storage = new MemoryStorage();
    const alice = { id: 'u_alice', email: 'a@example.test', displayName: 'Alice' };
    const bob = { id: 'u_bob', email: 'b@example.test', displayName: 'Bob' };
    storage.setItem('parley:last-user', JSON.stringify(alice));
    const cleaned: string[] = [];
    const api = new Api({ fetch: jsonFetch(() => ({ status: 200, body: { user: bob } })) });
    const session = new Session({
      api,
      storage,
      window: null,
      cleanup: (u) => {
        cleaned.push(u.id);
        return Promise.resolve();
      },
    });
    await session.signIn(bob.email, 'password123');
    expect(cleaned).toEqual(['u_alice']);
    expect(session.user?.id).toBe('u_bob');
    // The same user again: nothing is wiped.
    await session.signIn(bob.email, 'password123');
    expect(cleaned).toEqual(['u_alice']);
  });
});
