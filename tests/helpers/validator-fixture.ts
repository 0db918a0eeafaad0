/**
 * A conversation document as the server holds it, written by two real Yjs devices (Alice
 * and Bob, each with a known client id bound to its user), for validator unit tests and the
 * differential fuzzer. Holds messages of both, read markers, an edit, a reaction, a deleted
 * message and a GC run, so hostile updates have every kind of thing to point at.
 */
import * as Y from 'yjs';
import type { MessageFacts, ValidationContext } from '../../server/sync/validate-update';
import { isChatMessage, type ChatMessage } from '../../shared/schema';
import { encodeRawUpdate, type RawId } from './yjs-encoder';

export const ALICE = 'u_aliceaaaaaaaaaaaaaaa';
export const BOB = 'u_bobbbbbbbbbbbbbbbbbb';
export const ALICE_CLIENT = 1111;
export const BOB_CLIENT = 2222;
/** A second client of Alice's that wrote only a GC run (clocks 0..2). */
export const ALICE_GC_CLIENT = 3333;
export const NOW = 1_800_000_000_000;

export interface Fixture {
  /** The server's document. */
  doc: Y.Doc;
  alice: Y.Doc;
  bob: Y.Doc;
  clients: Map<number, string>;
  /** What the server knows of every message (the projection's facts). */
  messages: Map<string, MessageFacts>;
  aliceMessages: ChatMessage[];
  bobMessages: ChatMessage[];
  ctx(userId: string, doc?: Y.Doc): ValidationContext;
  /** The id of the item currently holding `key` of map `root` on the server. */
  entryId(root: string, key: string): RawId;
  /** The id of the last message item on the server. */
  lastMessageId(): RawId;
  /** The update `change` produces on `device`, relayed nowhere. */
  capture(device: Y.Doc, change: (d: Y.Doc) => void): Uint8Array;
}

/** The fixture's edit window and grace (the server's defaults). */
export const EDIT_WINDOW_MS = 24 * 3600_000;
export const EDIT_GRACE_MS = 72 * 3600_000;

/** The ids of the messages `doc` holds now (what the room's `DocMessageIds` tracks). */
export function idsIn(doc: Y.Doc): Set<string> {
  const ids = new Set<string>();
  for (const v of doc.getArray<unknown>('messages').toArray()) if (isChatMessage(v)) ids.add(v.id);
  return ids;
}

export function message(from: string, text: string, id: string): ChatMessage {
  return { id, from, text, at: NOW - 1000 };
}

export function makeFixture(): Fixture {
  const doc = new Y.Doc({ gc: true });
  const alice = new Y.Doc();
  alice.clientID = ALICE_CLIENT;
  const bob = new Y.Doc();
  bob.clientID = BOB_CLIENT;
  const messages = new Map<string, MessageFacts>();
  const relay = (from: Y.Doc): void => {
    for (const to of [doc, alice, bob]) {
      if (to !== from) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
    }
  };
  const aliceMessages: ChatMessage[] = [];
  const bobMessages: ChatMessage[] = [];
  const send = (d: Y.Doc, who: string, list: ChatMessage[], n: number): void => {
    for (let i = 0; i < n; i++) {
      const m = message(
        who,
        `${who === ALICE ? 'alice' : 'bob'} ${list.length}`,
        `m${who.slice(2, 7)}${list.length}xxxx`,
      );
      d.getArray<ChatMessage>('messages').push([m]);
      messages.set(m.id, { from: who, at: m.at, stored: m.at });
      list.push(m);
    }
    relay(d);
  };
  send(alice, ALICE, aliceMessages, 3);
  send(bob, BOB, bobMessages, 3);
  send(alice, ALICE, aliceMessages, 2);
  alice.getMap('reads').set(ALICE, { upTo: bobMessages[2]!.id, at: NOW - 500 });
  alice.getMap('edits').set(aliceMessages[0]!.id, { text: 'alice edited', at: NOW - 400 });
  alice.getMap('reactions').set(`${bobMessages[0]!.id}:${ALICE}:👍`, { at: NOW });
  relay(alice);
  bob.getMap('reads').set(BOB, { upTo: aliceMessages[4]!.id, at: NOW - 300 });
  bob.getMap('reads').set(BOB, { upTo: aliceMessages[4]!.id, at: NOW - 200 }); // a deleted marker below
  bob.getMap('edits').set(bobMessages[1]!.id, { text: 'bob edited', at: NOW - 100 });
  bob.getMap('reactions').set(`${aliceMessages[0]!.id}:${BOB}:❤️`, { at: NOW });
  relay(bob);
  send(bob, BOB, bobMessages, 2);
  const del = bob.getArray<ChatMessage>('messages');
  del.delete(
    del.toArray().findIndex((m) => m.id === bobMessages[3]!.id),
    1,
  );
  relay(bob);
  Y.applyUpdate(
    doc,
    encodeRawUpdate({ sections: [{ client: ALICE_GC_CLIENT, clock: 0, structs: [{ gc: 3 }] }] }),
  );
  const clients = new Map([
    [ALICE_CLIENT, ALICE],
    [BOB_CLIENT, BOB],
    [ALICE_GC_CLIENT, ALICE],
  ]);
  return {
    doc,
    alice,
    bob,
    clients,
    messages,
    aliceMessages,
    bobMessages,
    ctx: (userId, on = doc) => ({
      doc: on,
      clients,
      messages,
      here: idsIn(on),
      userId,
      now: NOW,
      editWindowMs: EDIT_WINDOW_MS,
      editGraceMs: EDIT_GRACE_MS,
    }),
    entryId: (root, key) => {
      const item = (doc.getMap(root) as unknown as { _map: Map<string, Y.Item> })._map.get(key);
      if (!item) throw new Error(`no entry ${root}/${key}`);
      return { client: item.id.client, clock: item.id.clock + item.length - 1 };
    },
    lastMessageId: () => {
      let item = doc.getArray('messages')._start;
      while (item?.right) item = item.right;
      if (!item) throw new Error('no messages');
      return { client: item.id.client, clock: item.id.clock + item.length - 1 };
    },
    capture: (device, change) => {
      let out: Uint8Array | null = null;
      const h = (u: Uint8Array): void => {
        out = u;
      };
      device.on('update', h);
      device.transact(() => change(device));
      device.off('update', h);
      if (!out) throw new Error('no update produced');
      return out;
    },
  };
}

/** A copy of `doc` (its full state), for applying an update without touching the original. */
export function cloneDoc(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc({ gc: true });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** True when `doc` holds structs or deletions waiting for missing dependencies. */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}
