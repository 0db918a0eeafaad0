/**
 * The client's "received" frames (101) against a real server: a message that arrives
 * unread is reported held (the sender sees it delivered); one read at once needs no frame,
 * because the read marker already tells the sender (read implies delivered).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import type { TestServer } from '../helpers/test-server';
import { waitFor, type TestClient } from '../helpers/client';
import { appConversation, appPair, type AppPair } from '../helpers/app-conversation';
import type { Conversation } from '../../client/data/conversation';
import { MessageType } from '../../shared/protocol';
import type { ConversationSummary } from '../../shared/api';

let pair: AppPair;
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let convo: ConversationSummary;

beforeAll(async () => {
  pair = await appPair();
  ({ server, alice, bob, convo } = pair);
  // Bob accepts Alice's message request: receipts and reads are shared from then on.
  expect((await bob.request('POST', `/api/conversations/${convo.id}/accept`)).status).toBe(200);
});
afterAll(() => pair.close());

/** A person's conversation as the app builds it; `sent` lists its socket's frame types in order. */
function conversationOf(
  who: TestClient,
  receivedDelayMs?: number,
): { c: Conversation; sent: number[] } {
  const sent: number[] = [];
  const Base = who.socketClass();
  class Counting extends Base {
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (data instanceof Uint8Array) sent.push(decoding.readVarUint(decoding.createDecoder(data)));
      super.send(data);
    }
  }
  const { c } = appConversation(server.wsUrl, who, convo, {
    socketClass: Counting,
    receivedDelayMs,
  });
  pair.opened.push(c);
  return { c, sent };
}

const stateOf = (c: Conversation, text: string): string | null | undefined =>
  c.snapshot.messages.find((m) => m.text === text)?.state;
const has = (c: Conversation, text: string): boolean =>
  c.snapshot.messages.some((m) => m.text === text);
const receipts = (types: number[]): number =>
  types.filter((t) => t === MessageType.received).length;

describe('delivery receipts from the client', () => {
  it('reports an unread arrival as held, and sends nothing for one read at once', async () => {
    const { c: a } = conversationOf(alice);
    // Bob's frame goes at the first task after an arrival (the app waits 300 ms for the
    // render that marks it read); his reads below come before it, in a microtask.
    const { c: b, sent } = conversationOf(bob, 0);
    await a.open();
    await b.open();
    await waitFor(() => receipts(sent) === 1, 5000, "Bob's receipt on sync");

    // Bob reads the first message as it arrives (his conversation is open and seen).
    let barrier = -1;
    const unsubscribe = b.subscribe(() => {
      if (has(b, 'seen at once') && !has(b, 'not looked at')) b.markRead();
      if (has(b, 'not looked at') && barrier < 0) barrier = sent.length;
    });
    a.send('seen at once');
    await waitFor(() => stateOf(a, 'seen at once') === 'read', 5000, 'read');

    // The barrier: a second message Bob does not read is reported held. Frames leave his
    // socket in order, so one for the first message would be before the barrier.
    a.send('not looked at');
    await waitFor(() => barrier >= 0 && receipts(sent.slice(barrier)) === 1, 5000, 'receipt');
    unsubscribe();
    expect(receipts(sent.slice(0, barrier))).toBe(1); // the one on sync only
    // The server relays a message only once it is stored, so a report that comes at once
    // is never ahead of the disk: Alice sees it delivered.
    await waitFor(() => stateOf(a, 'not looked at') === 'delivered', 5000, 'delivered');
    expect(stateOf(a, 'seen at once')).toBe('read');
  });
});
