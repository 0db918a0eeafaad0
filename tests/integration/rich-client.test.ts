/**
 * The client data layer's rich messages against a real server, two people: a reply shows
 * the quote, reactions arrive on the other side, an edit made offline reaches the server
 * once (as its latest text), and the history API agrees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type { TestServer } from '../helpers/test-server';
import { waitFor, type TestClient } from '../helpers/client';
import { appConversation, appPair, type AppPair } from '../helpers/app-conversation';
import type { Conversation } from '../../client/data/conversation';
import type { ConversationSummary, HistoryPage } from '../../shared/api';

let pair: AppPair;
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let convo: ConversationSummary;

beforeAll(async () => {
  pair = await appPair();
  ({ server, alice, bob, convo } = pair);
});
afterAll(() => pair.close());

/** `who`'s conversation as the app builds it, synced; `providers` lets a test cut the network. */
async function conversationOf(
  who: TestClient,
): Promise<{ c: Conversation; providers: WebsocketProvider[] }> {
  const made = appConversation(server.wsUrl, who, convo, { editWindowMs: convo.editWindowMs });
  pair.opened.push(made.c);
  await made.c.open();
  await waitFor(() => made.c.snapshot.status === 'synced', 5000, 'synced');
  return made;
}

describe('rich messages through the data layer', () => {
  it('replies, reactions and an offline edit sent once reach the other person and the history', async () => {
    expect(convo.editWindowMs).toBe(24 * 3600_000);
    const a = await conversationOf(alice);
    const b = await conversationOf(bob);
    const original = a.c.send('first line\nsecond line')!;
    await waitFor(() => b.c.snapshot.messages.some((m) => m.id === original), 5000, 'delivery');
    const reply = b.c.send('an answer', { replyTo: original })!;
    b.c.toggleReaction(original, '👍');
    await waitFor(
      () => a.c.snapshot.messages.find((m) => m.id === original)?.reactions.length === 1,
      5000,
      'reaction at alice',
    );
    expect(a.c.snapshot.messages.find((m) => m.id === original)?.reactions).toEqual([
      { emoji: '👍', users: [bob.user!.id], mine: false },
    ]);
    expect(a.c.snapshot.messages.find((m) => m.id === reply)?.replyTo).toEqual({
      id: original,
      from: alice.user!.id,
      excerpt: 'first line',
    });

    // Offline: two edits; only the last one ever leaves the device.
    for (const p of a.providers) p.disconnect();
    expect(a.c.edit(original, 'draft edit that never leaves')).toBe(true);
    expect(a.c.edit(original, 'final edit')).toBe(true);
    for (const p of a.providers) p.connect();
    await waitFor(
      () => b.c.snapshot.messages.find((m) => m.id === original)?.text === 'final edit',
      5000,
      'edit at bob',
    );
    expect(b.c.snapshot.messages.find((m) => m.id === original)?.edited).toBe(true);
    expect(b.c.snapshot.messages.find((m) => m.id === original)?.canEdit).toBe(false);
    const rows = server.app.db!.prepare('SELECT data FROM doc_updates').all() as { data: Buffer }[];
    expect(rows.some((r) => r.data.includes(Buffer.from('final edit')))).toBe(true);
    expect(rows.some((r) => r.data.includes(Buffer.from('draft edit that never leaves')))).toBe(
      false,
    );
    const page = (await bob.request<HistoryPage>('GET', `/api/conversations/${convo.id}/messages`))
      .body.messages;
    expect(page.find((m) => m.id === original)).toMatchObject({
      text: 'final edit',
      reactions: [{ emoji: '👍', users: [bob.user!.id] }],
    });
    expect(page.find((m) => m.id === reply)?.replyTo).toBe(original);
    expect(a.c.snapshot.refused).toBeNull();
    expect(b.c.snapshot.refused).toBeNull();
  });
});
