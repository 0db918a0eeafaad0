import { describe, expect, it, vi } from 'vitest';
import { Api } from '../../../../client/data/api';
import { Inbox, type EventSourceLike } from '../../../../client/data/inbox';
import { MemoryStorage, jsonFetch } from './helpers';
import { inboxSections } from '../../../../client/data/inbox-sections';
import type { ConversationSummary } from '../../../../shared/api';

const user = { id: 'u_aliceaaaaaaaaaaaaaaa', email: 'a@example.test', displayName: 'Alice' };

describe('Inbox', () => {
  const summary = (id: string, activity: number) => ({
    id,
    doc: id,
    epoch: 0,
    peer: { id: 'u_bobbbbbbbbbbbbbbbbbb', displayName: 'Bob', online: false, lastSeen: null },
    lastMessage: null,
    unread: 2,
    request: false,
    activity,
  });

  it('loads the list newest first, caches it, and starts from the cache next time', async () => {
    const storage = new MemoryStorage();
    const api = new Api({
      fetch: jsonFetch(() => ({
        status: 200,
        body: { conversations: [summary('c_1', 1), summary('c_2', 2)] },
      })),
    });
    const inbox = new Inbox({ api, userId: user.id, storage, window: null });
    await inbox.refresh();
    expect(inbox.snapshot.conversations.map((c) => c.id)).toEqual(['c_2', 'c_1']);
    const again = new Inbox({ api, userId: user.id, storage, window: null });
    expect(again.snapshot).toMatchObject({ loaded: true });
    expect(again.snapshot.conversations).toHaveLength(2);
    again.markReadLocally('c_2');
    expect(again.find('c_2')?.unread).toBe(0);
  });

  it('tells the session when the server no longer knows it', async () => {
    let expired = 0;
    const api = new Api({
      fetch: jsonFetch(() => ({
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'Sign in to continue.' } },
      })),
    });
    const inbox = new Inbox({
      api,
      userId: user.id,
      storage: null,
      window: null,
      onUnauthenticated: () => expired++,
    });
    await inbox.refresh();
    expect(expired).toBe(1);
    expect(inbox.snapshot.error).toBe('Sign in to continue.');
  });

  it('asks the server for the list after activity only while the event stream is not open', async () => {
    let requests = 0;
    const api = new Api({
      fetch: jsonFetch(() => {
        requests++;
        return { status: 200, body: { conversations: [summary('c_1', 1)] } };
      }),
    });
    const stream: { onmessage: EventSourceLike['onmessage']; readyState: number; close(): void } =
      { onmessage: null, readyState: 0, close: () => undefined };
    const inbox = new Inbox({
      api,
      userId: user.id,
      storage: null,
      window: null,
      openEvents: () => stream,
      pollMs: 60_000,
    });
    // The inbox's clock is faked: a refresh that was scheduled surely ran once it is advanced
    // past its delay (no sleeping and hoping it did).
    vi.useFakeTimers();
    try {
      inbox.start();
      await vi.advanceTimersByTimeAsync(0);
      const atStart = requests;
      expect(atStart).toBeGreaterThan(0); // the first load
      stream.readyState = 1; // open: the server pushes summaries
      inbox.refreshSoon(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(requests).toBe(atStart);
      stream.readyState = 0; // reconnecting: fall back to asking
      inbox.refreshSoon(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(requests).toBe(atStart + 1);
      inbox.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('follows the live channel: new conversations, removals and presence', async () => {
    const stream: EventSourceLike = { onmessage: null, close: () => undefined };
    const api = new Api({
      fetch: jsonFetch(() => ({ status: 200, body: { conversations: [summary('c_1', 1)] } })),
    });
    const inbox = new Inbox({
      api,
      userId: user.id,
      storage: null,
      window: null,
      openEvents: () => stream,
    });
    inbox.start();
    await inbox.refresh();
    const emit = (event: unknown): void =>
      stream.onmessage?.(new MessageEvent('message', { data: JSON.stringify(event) }));
    emit({ type: 'conversation', conversation: summary('c_2', 5) });
    expect(inbox.snapshot.conversations.map((c) => c.id)).toEqual(['c_2', 'c_1']);
    emit({ type: 'presence', userId: 'u_bobbbbbbbbbbbbbbbbbb', online: true, lastSeen: null });
    expect(inbox.find('c_1')?.peer.online).toBe(true);
    emit({ type: 'conversation-removed', id: 'c_2' });
    stream.onmessage?.(new MessageEvent('message', { data: 'not json' }));
    expect(inbox.snapshot.conversations.map((c) => c.id)).toEqual(['c_1']);
    inbox.stop();
  });

  it('shows "typing" from the live channel until it stops (or goes quiet)', async () => {
    const stream: EventSourceLike = { onmessage: null, close: () => undefined };
    const api = new Api({
      fetch: jsonFetch(() => ({ status: 200, body: { conversations: [summary('c_1', 1)] } })),
    });
    const inbox = new Inbox({ api, userId: user.id, storage: null, window: null, openEvents: () => stream });
    inbox.start();
    await inbox.refresh();
    const emit = (event: unknown): void =>
      stream.onmessage?.(new MessageEvent('message', { data: JSON.stringify(event) }));
    const typing = { type: 'typing', conversationId: 'c_1', userId: 'u_bobbbbbbbbbbbbbbbbbb' };
    emit({ ...typing, typing: true });
    expect([...inbox.snapshot.typing]).toEqual(['c_1']);
    emit({ ...typing, typing: false });
    expect([...inbox.snapshot.typing]).toEqual([]);
    inbox.stop();
  });
});

describe('inboxSections', () => {
  const c = (id: string, extra: Partial<ConversationSummary> = {}): ConversationSummary => ({
    id,
    doc: id,
    epoch: 0,
    peer: { id: 'u_bobbbbbbbbbbbbbbbbbb', displayName: 'Bob', online: false, lastSeen: null },
    lastMessage: null,
    unread: 0,
    request: false,
    activity: 0,
    muted: null,
    ...extra,
  });

  it('puts pins first (the latest on top), then the rest in list order, and archived ones apart', () => {
    const s = inboxSections([
      c('new'),
      c('pinnedFirst', { pinned: 10 }),
      c('old'),
      c('archived', { archived: true, pinned: 30 }),
      c('pinnedLater', { pinned: 20 }),
    ]);
    expect(s.pinned.map((x) => x.id)).toEqual(['pinnedLater', 'pinnedFirst']);
    expect(s.recent.map((x) => x.id)).toEqual(['new', 'old']);
    expect(s.archived.map((x) => x.id)).toEqual(['archived']);
  });
});
