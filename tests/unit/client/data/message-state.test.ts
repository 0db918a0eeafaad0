import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  locateMessages,
  mergeStateVectors,
  messageViews,
  readCoversAll,
  readMarkerTarget,
  EMPTY_SV,
  type DeliveryFacts,
} from '../../../../client/data/message-state';
import { Roots, newMessageId, type ChatMessage } from '../../../../shared/schema';

const ALICE = 'u_aliceaaaaaaaaaaaaaaa';
const BOB = 'u_bobbbbbbbbbbbbbbbbbb';

const none: DeliveryFacts = { ack: EMPTY_SV, received: EMPTY_SV };

function push(doc: Y.Doc, from: string, text: string): ChatMessage {
  const m: ChatMessage = { id: newMessageId(), from, text, at: Date.now() };
  doc.getArray<ChatMessage>(Roots.messages).push([m]);
  return m;
}

/** Copy everything `from` has that `to` lacks (what the server relays). */
function relay(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

const sv = (doc: Y.Doc): Map<number, number> => Y.decodeStateVector(Y.encodeStateVector(doc));

describe('messageViews', () => {
  it('shows your message as pending until the server acknowledges it', () => {
    const alice = new Y.Doc();
    push(alice, ALICE, 'hello');
    const [view] = messageViews(alice, ALICE, none);
    expect(view).toMatchObject({ text: 'hello', mine: true, state: 'pending' });
  });

  it('moves your message to sent when the ack covers it, and to delivered when their device has it', () => {
    const alice = new Y.Doc();
    const server = new Y.Doc();
    const bob = new Y.Doc();
    push(alice, ALICE, 'one');
    relay(alice, server);
    push(alice, ALICE, 'two'); // not yet stored by the server
    const ack = sv(server);
    expect(messageViews(alice, ALICE, { ack, received: EMPTY_SV }).map((m) => m.state)).toEqual([
      'sent',
      'pending',
    ]);
    relay(server, bob);
    expect(messageViews(alice, ALICE, { ack, received: sv(bob) }).map((m) => m.state)).toEqual([
      'delivered',
      'pending',
    ]);
  });

  it('marks your messages read up to the other person’s read marker', () => {
    const alice = new Y.Doc();
    const first = push(alice, ALICE, 'one');
    push(alice, ALICE, 'two');
    const bob = new Y.Doc();
    relay(alice, bob);
    bob.getMap(Roots.reads).set(BOB, { upTo: first.id, at: Date.now() });
    relay(bob, alice);
    const facts = { ack: sv(alice), received: sv(alice) };
    expect(messageViews(alice, ALICE, facts).map((m) => m.state)).toEqual(['read', 'delivered']);
  });

  it('ignores your own read marker when deciding what the other person read', () => {
    const alice = new Y.Doc();
    const m = push(alice, ALICE, 'one');
    alice.getMap(Roots.reads).set(ALICE, { upTo: m.id, at: Date.now() });
    expect(messageViews(alice, ALICE, none)[0]?.state).toBe('pending');
  });

  it('gives the other person’s messages no state and sides them left', () => {
    const bob = new Y.Doc();
    push(bob, BOB, 'from bob');
    const alice = new Y.Doc();
    relay(bob, alice);
    expect(messageViews(alice, ALICE, none)).toEqual([
      expect.objectContaining({ text: 'from bob', mine: false, state: null, from: BOB }),
    ]);
  });

  it('skips entries that break the schema and repeated ids', () => {
    const doc = new Y.Doc();
    const good = push(doc, ALICE, 'fine');
    const arr = doc.getArray<unknown>(Roots.messages);
    arr.push([{ id: 'x', from: ALICE, text: 'bad id', at: 1 }]);
    arr.push([{ ...good }]);
    arr.push(['<img src=x onerror=alert(1)>']);
    expect(messageViews(doc, ALICE, none).map((m) => m.text)).toEqual(['fine']);
  });

  it('shows the latest valid edit', () => {
    const doc = new Y.Doc();
    const m = push(doc, ALICE, 'typo');
    doc.getMap(Roots.edits).set(m.id, { text: 'fixed', at: 123 });
    expect(messageViews(doc, ALICE, none)[0]).toMatchObject({ text: 'fixed', edited: true, editedAt: 123 });
  });

  it('gives each message the id of the item that holds it', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      doc.getArray<ChatMessage>(Roots.messages).push([
        { id: newMessageId(), from: ALICE, text: 'a', at: 1 },
        { id: newMessageId(), from: ALICE, text: 'b', at: 2 },
      ]);
    });
    const located = locateMessages(doc);
    expect(located.map((l) => [l.client, l.clock])).toEqual([
      [doc.clientID, 0],
      [doc.clientID, 1],
    ]);
  });
});

describe('readMarkerTarget', () => {
  it('is null while the other person has written nothing', () => {
    const doc = new Y.Doc();
    push(doc, ALICE, 'mine');
    expect(readMarkerTarget(doc, ALICE)).toBeNull();
  });

  it('names the newest message once the other person wrote after your marker', () => {
    const bob = new Y.Doc();
    push(bob, BOB, 'hi');
    const alice = new Y.Doc();
    relay(bob, alice);
    const mine = push(alice, ALICE, 'hello back');
    expect(readMarkerTarget(alice, ALICE)).toBe(mine.id);
    alice.getMap(Roots.reads).set(ALICE, { upTo: mine.id, at: Date.now() });
    expect(readMarkerTarget(alice, ALICE)).toBeNull();
    const later = push(bob, BOB, 'again');
    relay(bob, alice);
    const newest = locateMessages(alice).at(-1)?.message.id;
    expect([later.id, mine.id]).toContain(newest);
    // Written concurrently with "hello back", "again" may sort before the marker: the
    // set of seen ids still tells that it is new.
    const seen = new Set([
      mine.id,
      ...locateMessages(alice)
        .filter((m) => m.message.text === 'hi')
        .map((m) => m.message.id),
    ]);
    expect(readMarkerTarget(alice, ALICE, seen)).toBe(newest);
  });

  it('is null when every message of the other person was seen', () => {
    const bob = new Y.Doc();
    const hi = push(bob, BOB, 'hi');
    const alice = new Y.Doc();
    relay(bob, alice);
    expect(readMarkerTarget(alice, ALICE, new Set([hi.id]))).toBeNull();
  });
});

describe('readCoversAll', () => {
  it('holds while your marker names the newest message, and not after a newer one arrives', () => {
    const bob = new Y.Doc();
    const hi = push(bob, BOB, 'hi');
    const alice = new Y.Doc();
    relay(bob, alice);
    expect(readCoversAll(alice, ALICE)).toBe(false);
    alice.getMap(Roots.reads).set(ALICE, { upTo: hi.id, at: Date.now() });
    expect(readCoversAll(alice, ALICE)).toBe(true);
    // Bob's own marker says nothing about what Alice has seen.
    expect(readCoversAll(alice, BOB)).toBe(false);
    push(bob, BOB, 'again');
    relay(bob, alice);
    expect(readCoversAll(alice, ALICE)).toBe(false);
  });
});

describe('mergeStateVectors', () => {
  it('takes the per-client maximum and keeps the same object when nothing is new', () => {
    const a = new Map([
      [1, 5],
      [2, 3],
    ]);
    expect(mergeStateVectors(a, new Map([[1, 4]]))).toBe(a);
    expect([
      ...mergeStateVectors(
        a,
        new Map([
          [2, 7],
          [3, 1],
        ]),
      ),
    ]).toEqual([
      [1, 5],
      [2, 7],
      [3, 1],
    ]);
  });
});
