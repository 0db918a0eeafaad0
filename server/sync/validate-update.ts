/**
 * Decides whether one incoming Yjs update may be applied to a conversation document,
 * enforcing the "who may write" column of the document schema. Looks only at what the
 * server does not already have (new struct ranges and newly deleted items) and never
 * copies or re-encodes the document, so the cost follows the update's size.
 */
import * as Y from 'yjs';
import {
  ARRAY_ROOTS,
  MAP_ROOTS,
  Roots,
  isChatMessage,
  isMessageEdit,
  isMessageId,
  isReaction,
  isReadMarker,
  type ChatMessage,
} from '../../shared/schema';
import { Limits } from '../../shared/protocol';

/** What the validator needs to know about the room besides its Y.Doc. */
export interface ValidationContext {
  doc: Y.Doc;
  /** Yjs client id -> user id, for every client id that ever wrote here. */
  clients: ReadonlyMap<number, string>;
  /** Message id -> author, for every message the document ever held. */
  authors: { get(id: string): string | undefined; has(id: string): boolean };
  /** The authenticated user sending the update. */
  userId: string;
  now: number;
}

/** What an accepted update changes, for the projection and the room's indexes. */
export interface UpdateEffects {
  added: ChatMessage[];
  deletedMessages: string[];
  edits: { id: string; text: string; at: number }[];
  reads: { userId: string; upTo: string; at: number }[];
  newClients: number[];
  /** Nothing new for the server (an empty sync step 2, a resend): no write needed, just an ack. */
  noop: boolean;
}

export type Verdict =
  | { kind: 'accept'; effects: UpdateEffects }
  /** Refers to state the server lacks (a gap): not applied, not an offence; the client's sync step 2 will carry it. */
  | { kind: 'defer'; reason: string }
  | { kind: 'reject'; reason: string };

type Place = { root: string; key: string | null };

class Rejection extends Error {}
class Deferral extends Error {}

function reject(reason: string): never {
  throw new Rejection(reason);
}

export function validateUpdate(ctx: ValidationContext, update: Uint8Array): Verdict {
  try {
    return { kind: 'accept', effects: check(ctx, update) };
  } catch (e) {
    if (e instanceof Rejection) return { kind: 'reject', reason: e.message };
    if (e instanceof Deferral) return { kind: 'defer', reason: e.message };
    // A decoding error: the frame is not a valid update.
    return { kind: 'reject', reason: `malformed update: ${(e as Error).message}` };
  }
}

function check(ctx: ValidationContext, update: Uint8Array): UpdateEffects {
  const { doc, userId } = ctx;
  const store = doc.store;
  const decoded = Y.decodeUpdate(update);
  const effects: UpdateEffects = {
    added: [],
    deletedMessages: [],
    edits: [],
    reads: [],
    newClients: [],
    noop: true,
  };

  // New items of this update, per client, in clock order; and where each one lives.
  const newItems = new Map<number, Y.Item[]>();
  const expected = new Map<number, number>();
  const places = new Map<Y.Item, Place>();
  const newIds = new Set<string>();

  for (const struct of decoded.structs) {
    const client = struct.id.client;
    const clock = struct.id.clock;
    const known = expected.get(client) ?? Y.getState(store, client);
    if (clock + struct.length <= known) continue; // the server already has all of it
    if (struct instanceof Y.Skip || clock > known)
      throw new Deferral(`gap in client ${client} at ${known}`);
    expected.set(client, clock + struct.length);
    effects.noop = false;
    const owner = ctx.clients.get(client);
    if (owner !== undefined && owner !== userId)
      reject(`client id ${client} belongs to another user`);
    if (owner === undefined && !effects.newClients.includes(client))
      effects.newClients.push(client);
    if (struct instanceof Y.GC) continue; // no content, in the sender's own client range
    if (!(struct instanceof Y.Item)) reject('unknown struct');
    const item = struct;
    // Partly known (an unsliced resend): the client's next sync step 2 carries it sliced.
    if (clock < known) throw new Deferral('an item overlapping known state');
    const list = newItems.get(client) ?? [];
    list.push(item);
    newItems.set(client, list);
  }

  const findNew = (client: number, clock: number): Y.Item | null => {
    const list = newItems.get(client);
    if (!list) return null;
    for (const it of list) if (clock >= it.id.clock && clock < it.id.clock + it.length) return it;
    return null;
  };

  // Resolve the root and key of every new item. Items with an origin carry no parent:
  // it is the origin's, found in the document or earlier in this update.
  const placeOf = (item: Y.Item): Place => {
    const chain: Y.Item[] = [];
    let cur: Y.Item = item;
    let place: Place | undefined;
    for (;;) {
      const cached = places.get(cur);
      if (cached) {
        place = cached;
        break;
      }
      if (cur.rightOrigin !== null) reject('items may only be appended (right origin set)');
      if (cur.origin === null) {
        if (typeof cur.parent !== 'string') reject('nested shared types are not allowed');
        place = { root: cur.parent as unknown as string, key: cur.parentSub };
        break;
      }
      chain.push(cur);
      const o = cur.origin;
      const fromUpdate = findNew(o.client, o.clock);
      if (fromUpdate) {
        if (chain.includes(fromUpdate) || chain.length > 100_000) reject('origin cycle');
        cur = fromUpdate;
        continue;
      }
      if (o.clock >= Y.getState(store, o.client))
        throw new Deferral('origin unknown to the server');
      const existing = Y.getItem(store, o);
      if (!(existing instanceof Y.Item)) reject('origin is garbage-collected');
      const ex = existing;
      const parent = ex.parent as Y.AbstractType<unknown> | null;
      if (!parent || parent._item !== null) reject('nested shared types are not allowed');
      place = { root: Y.findRootTypeKey(parent), key: ex.parentSub };
      break;
    }
    places.set(item, place);
    for (const c of chain) places.set(c, place);
    return place;
  };

  for (const list of newItems.values()) {
    for (const item of list) {
      const place = placeOf(item);
      checkNewItem(ctx, item, place, effects, newIds);
    }
  }

  checkDeletions(ctx, decoded.ds, findNew, placeOf, effects);
  return effects;
}

function checkNewItem(
  ctx: ValidationContext,
  item: Y.Item,
  place: Place,
  effects: UpdateEffects,
  newIds: Set<string>,
): void {
  const { userId } = ctx;
  const content = item.content;
  const isDeleted = content instanceof Y.ContentDeleted;
  if (!isDeleted && !(content instanceof Y.ContentAny))
    reject(`content type ${content.constructor.name} not allowed`);
  const values: unknown[] = isDeleted ? [] : content.arr;

  if (ARRAY_ROOTS.has(place.root)) {
    if (place.key !== null) reject('array entries have no key');
    for (const value of values) {
      if (!isChatMessage(value)) reject('message has the wrong shape');
      const m = value;
      if (m.from !== userId) reject('message from someone else');
      if (ctx.authors.has(m.id) || newIds.has(m.id)) reject(`duplicate message id ${m.id}`);
      if (m.at > ctx.now + Limits.maxClockSkewMs || m.at < ctx.now - Limits.maxMessageAgeMs) {
        reject('message time outside the accepted window');
      }
      newIds.add(m.id);
      effects.added.push(m);
    }
    return;
  }
  if (!MAP_ROOTS.has(place.root)) reject(`unknown root "${place.root}"`);
  if (place.key === null) reject('map entries need a key');
  const key = place.key;
  checkMapKey(ctx, place.root, key, newIds);
  if (isDeleted) return;
  if (values.length !== 1) reject('map entries hold one value');
  const value = values[0];
  switch (place.root) {
    case Roots.reads:
      if (!isReadMarker(value)) reject('read marker has the wrong shape');
      effects.reads.push({ userId, upTo: value.upTo, at: value.at });
      break;
    case Roots.edits:
      if (!isMessageEdit(value)) reject('edit has the wrong shape');
      effects.edits.push({ id: key, text: value.text, at: value.at });
      break;
    case Roots.reactions:
      if (!isReaction(value)) reject('reaction has the wrong shape');
      break;
  }
}

/** Who may write (or delete) a key of each map. */
function checkMapKey(ctx: ValidationContext, root: string, key: string, newIds: Set<string>): void {
  const { userId } = ctx;
  switch (root) {
    case Roots.reads:
      if (key !== userId) reject("another person's read marker");
      return;
    case Roots.edits: {
      const author = ctx.authors.get(key) ?? (newIds.has(key) ? userId : undefined);
      if (author !== userId) reject("editing another person's message");
      return;
    }
    case Roots.reactions: {
      const sep = key.lastIndexOf(':');
      if (sep < 0 || key.slice(sep + 1) !== userId || !isMessageId(key.slice(0, sep))) {
        reject('reacting as another person');
      }
      return;
    }
    default:
      reject(`unknown root "${root}"`);
  }
}

function checkDeletions(
  ctx: ValidationContext,
  ds: ReturnType<typeof Y.decodeUpdate>['ds'],
  findNew: (client: number, clock: number) => Y.Item | null,
  placeOf: (item: Y.Item) => Place,
  effects: UpdateEffects,
): void {
  const store = ctx.doc.store;
  for (const [client, ranges] of ds.clients) {
    const state = Y.getState(store, client);
    const structs = store.clients.get(client);
    for (const range of ranges) {
      const end = range.clock + range.len;
      // Part of the range the server already has: newly deleted items need permission.
      if (range.clock < state && structs) {
        let i = Y.findIndexSS(structs, range.clock);
        for (; i < structs.length; i++) {
          const s = structs[i];
          if (!s || s.id.clock >= end) break;
          if (!(s instanceof Y.Item) || s.deleted) continue;
          effects.noop = false;
          checkDeleteExisting(ctx, s, valuesIn(s, range.clock, end), effects);
        }
      }
      // Part beyond: must be items of this very update (its author's own).
      for (let clock = Math.max(range.clock, state); clock < end;) {
        const item = findNew(client, clock);
        if (!item) throw new Deferral('deletion of items unknown to the server');
        const place = placeOf(item);
        if (ARRAY_ROOTS.has(place.root)) {
          for (const v of valuesIn(item, range.clock, end)) {
            if (isChatMessage(v)) effects.deletedMessages.push(v.id);
          }
        }
        clock = item.id.clock + item.length;
      }
    }
  }
}

/**
 * The values of `item` whose clocks fall in [from, to). Yjs merges consecutive items of one
 * client, so one item can hold many messages while a deletion covers only some of them.
 */
function valuesIn(item: Y.Item, from: number, to: number): unknown[] {
  if (!(item.content instanceof Y.ContentAny)) return [];
  const start = Math.max(0, from - item.id.clock);
  const stop = Math.min(item.length, to - item.id.clock);
  return item.content.arr.slice(start, stop);
}

function checkDeleteExisting(
  ctx: ValidationContext,
  item: Y.Item,
  values: unknown[],
  effects: UpdateEffects,
): void {
  const parent = item.parent as Y.AbstractType<unknown> | null;
  if (!parent || parent._item !== null) reject('nested shared types are not allowed');
  const root = Y.findRootTypeKey(parent);
  if (ARRAY_ROOTS.has(root)) {
    if (ctx.clients.get(item.id.client) !== ctx.userId) reject("deleting another person's message");
    for (const v of values) {
      if (!isChatMessage(v) || v.from !== ctx.userId) reject("deleting another person's message");
      effects.deletedMessages.push(v.id);
    }
    return;
  }
  if (item.parentSub === null) reject('map entries need a key');
  checkMapKey(ctx, root, item.parentSub, new Set());
}
