/**
 * Decides whether one incoming Yjs update may be applied to a conversation document,
 * enforcing the "who may write" column of the document schema. It checks the exact bytes
 * the room applies, read strictly (update-parser.ts), and accepts only updates whose
 * integration by Yjs is fully determined by what was checked (docs/security.md,
 * "Validator soundness"). Cost: O(n log n) in the update's size, never in the document's.
 */
import * as Y from 'yjs';
import { ARRAY_ROOTS, MAP_ROOTS, type AttachmentRef, type ChatMessage } from '../../shared/schema';
import type { MessageFacts } from '../store/conversation-store';
import { Deferral, Rejection, defer, reject } from './refusal';
import { parseUpdateV1, type WireId, type WireStruct } from './update-parser';
import { ScanBudget } from './integration-cost';
import { checkDeletions } from './validate-deletes';
import { checkNewItem, type NewMessages, type Place } from './validate-items';

/** What the validator needs to know about the room besides its Y.Doc. */
export interface ValidationContext {
  doc: Y.Doc;
  /** Yjs client id -> user id, for every client id that ever wrote here. */
  clients: ReadonlyMap<number, string>;
  /** Message id -> facts, for every message the conversation ever held (every epoch). */
  messages: { get(id: string): MessageFacts | undefined };
  /** Ids of the messages in this document now (not deleted): what edits and reactions may name. */
  here: ReadonlySet<string>;
  /** The authenticated user sending the update. */
  userId: string;
  /** The server's clock. */
  now: number;
  /** EDIT_WINDOW_HOURS and EDIT_GRACE_HOURS in ms (server/config.ts). */
  editWindowMs: number;
  editGraceMs: number;
  /**
   * True when `ref` is an upload of `userId` to this room's conversation (its token checks
   * out). Without it, messages with attachments are refused.
   */
  verifyAttachment?: (ref: AttachmentRef, userId: string) => boolean;
}

/** A reaction added or removed by an accepted update. */
export interface ReactionChange {
  messageId: string;
  userId: string;
  emoji: string;
}

/** What an accepted update changes, for the projection and the room's indexes. */
export interface UpdateEffects {
  added: ChatMessage[];
  deletedMessages: string[];
  edits: { id: string; text: string; at: number }[];
  reads: { userId: string; upTo: string; at: number }[];
  /** Reactions set by this update (`at` is the reaction's own time). */
  reactionsAdded: (ReactionChange & { at: number })[];
  /** Reactions taken back (un-react) or purged with their message. */
  reactionsRemoved: ReactionChange[];
  newClients: number[];
  /** Nothing new for the server (an empty sync step 2, a resend): no write needed, just an ack. */
  noop: boolean;
}

export type { MessageFacts };

export type Verdict =
  | { kind: 'accept'; effects: UpdateEffects }
  /** Refers to state the server lacks (a gap): not applied, not an offence; the client's sync step 2 will carry it. */
  | { kind: 'defer'; reason: string }
  | { kind: 'reject'; reason: string };

/** A struct the server does not hold yet, in update order (clients descending, clocks ascending). */
export interface NewStruct {
  client: number;
  struct: WireStruct;
}

/** The update's new structs per client: a contiguous run of `NewStructs.list`, by clock. */
export interface NewStructs {
  list: NewStruct[];
  byClient: Map<number, { start: number; end: number; endClock: number }>;
  /** Index of the new struct holding `id`, or -1 when the update carries no new struct there. */
  find(id: WireId): number;
}

export function validateUpdate(ctx: ValidationContext, update: Uint8Array): Verdict {
  try {
    return { kind: 'accept', effects: check(ctx, update) };
  } catch (e) {
    if (e instanceof Rejection) return { kind: 'reject', reason: e.message };
    if (e instanceof Deferral) return { kind: 'defer', reason: e.message };
    // A decoding error (lib0 ran out of bytes, a varint out of range): not a valid update.
    return { kind: 'reject', reason: `malformed update: ${(e as Error).message}` };
  }
}

function check(ctx: ValidationContext, update: Uint8Array): UpdateEffects {
  const wire = parseUpdateV1(update);
  const effects: UpdateEffects = {
    added: [],
    deletedMessages: [],
    edits: [],
    reads: [],
    reactionsAdded: [],
    reactionsRemoved: [],
    newClients: [],
    noop: true,
  };
  const fresh = collectNew(ctx, wire.sections, effects);
  const places = placeAll(ctx, fresh);
  // Messages first, so an edit of a message added by this very update (possibly in another
  // client's section) finds its author.
  const added: NewMessages = new Map();
  for (const pass of ['array', 'map'] as const) {
    fresh.list.forEach((n, i) => {
      const place = places[i];
      if (n.struct.kind !== 'item' || !place) return;
      if (ARRAY_ROOTS.has(place.root) === (pass === 'array'))
        checkNewItem(ctx, n.struct, place, effects, added);
    });
  }
  checkDeletions(ctx, wire.deletes, fresh, places, effects);
  return effects;
}

/**
 * Split each section into what the server holds (skipped by Yjs, but its references are
 * still resolved, so they must point at held state) and what is new (checked in full).
 */
function collectNew(
  ctx: ValidationContext,
  sections: ReturnType<typeof parseUpdateV1>['sections'],
  effects: UpdateEffects,
): NewStructs {
  const store = ctx.doc.store;
  const list: NewStruct[] = [];
  const byClient: NewStructs['byClient'] = new Map();
  for (const section of sections) {
    const { client } = section;
    const state = Y.getState(store, client);
    if (section.clock > state) defer(`gap in client ${client} at ${state}`);
    const start = list.length;
    for (const struct of section.structs) {
      if (struct.kind === 'skip') defer('update with a gap (skip struct)');
      if (struct.clock + struct.length <= state) {
        checkKnown(ctx, struct);
        continue;
      }
      // Yjs would integrate only the tail and take its left from the server's own item,
      // keeping the parent it decoded: nothing checked here would describe that.
      if (struct.clock < state) defer('a struct overlapping known state');
      const owner = ctx.clients.get(client);
      if (owner !== undefined && owner !== ctx.userId)
        reject(`client id ${client} belongs to another user`);
      if (owner === undefined && list.length === start) effects.newClients.push(client);
      effects.noop = false;
      list.push({ client, struct });
    }
    if (list.length > start) {
      const last = list[list.length - 1]!.struct;
      byClient.set(client, { start, end: list.length, endClock: last.clock + last.length });
    }
  }
  // A method, not a closure: tsx (esbuild keepNames) would name a new closure on every update.
  return {
    list,
    byClient,
    find(id: WireId): number {
      const run = byClient.get(id.client);
      if (!run || id.clock >= run.endClock) return -1;
      let lo = run.start;
      let hi = run.end - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const s = list[mid]!.struct;
        if (id.clock < s.clock) hi = mid - 1;
        else if (id.clock >= s.clock + s.length) lo = mid + 1;
        else return mid;
      }
      return -1;
    },
  };
}

/** A struct the server already holds: Yjs skips it, but it must not make Yjs look elsewhere. */
function checkKnown(ctx: ValidationContext, struct: WireStruct): void {
  if (struct.kind !== 'item') return;
  const held = (id: WireId | null): boolean =>
    id === null || id.clock < Y.getState(ctx.doc.store, id.client);
  if (!held(struct.origin) || !held(struct.rightOrigin))
    reject('a known struct refers to unknown state');
  const p = struct.parent;
  if (typeof p === 'string') {
    // Yjs creates the named root while decoding, even for a struct it then skips.
    if (!ARRAY_ROOTS.has(p) && !MAP_ROOTS.has(p)) reject(`unknown root "${p}"`);
  } else if (p !== null && !held(p)) reject('a known struct refers to unknown state');
}

/**
 * Where each new item lands (root and key), following origins through held items and
 * this update's own items. Also proves the update integrates completely: its dependency
 * graph (each struct on its predecessor in the section, each item on a new origin of
 * another client) must be acyclic, else Yjs would park part of it as pending structs.
 */
function placeAll(ctx: ValidationContext, fresh: NewStructs): (Place | undefined)[] {
  const { list } = fresh;
  const n = list.length;
  const places: (Place | undefined)[] = new Array<Place | undefined>(n);
  /** Index of the new struct an item's origin points into, or -1 (held, or none). */
  const originAt = new Int32Array(n).fill(-1);
  const budget = new ScanBudget();
  for (let i = 0; i < n; i++) {
    const { client, struct } = list[i]!;
    if (struct.kind !== 'item') continue;
    if (struct.rightOrigin !== null) reject('items may only be appended (right origin set)');
    const o = struct.origin;
    if (o === null) {
      if (typeof struct.parent !== 'string') reject('nested shared types are not allowed');
      const place = { root: struct.parent, key: struct.parentSub };
      places[i] = place;
      budget.atStart(ctx.doc, place);
      continue;
    }
    if (o.client === client && o.clock >= struct.clock) reject('origin after the item itself');
    if (o.clock < Y.getState(ctx.doc.store, o.client)) {
      places[i] = placeOfHeld(ctx, o, budget);
      continue;
    }
    const k = fresh.find(o);
    if (k < 0) defer('origin unknown to the server');
    if (list[k]!.struct.kind !== 'item') reject('origin is garbage-collected');
    originAt[i] = k;
  }
  // Iterative depth-first search; `state`: 0 unseen, 1 on the stack, 2 done (placed).
  const state = new Uint8Array(n);
  const stack: number[] = [];
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    stack.push(root);
    state[root] = 1;
    while (stack.length > 0) {
      const i = stack[stack.length - 1]!;
      const prev = i > 0 && list[i - 1]!.client === list[i]!.client ? i - 1 : -1;
      const k = originAt[i]!;
      const next = prev >= 0 && state[prev] !== 2 ? prev : k >= 0 && state[k] !== 2 ? k : -1;
      if (next >= 0) {
        if (state[next] === 1) reject('origin cycle');
        state[next] = 1;
        stack.push(next);
        continue;
      }
      stack.pop();
      state[i] = 2;
      if (k >= 0) places[i] = places[k];
    }
  }
  budget.check(places);
  return places;
}

/** Root and key of a held item (an origin): must be an item directly in a root type. */
function placeOfHeld(ctx: ValidationContext, id: WireId, budget: ScanBudget): Place {
  const existing = Y.getItem(ctx.doc.store, Y.createID(id.client, id.clock));
  if (!(existing instanceof Y.Item)) reject('origin is garbage-collected');
  const parent = existing.parent as Y.AbstractType<unknown> | null;
  if (!parent || parent._item !== null) reject('nested shared types are not allowed');
  const place = { root: Y.findRootTypeKey(parent), key: existing.parentSub };
  budget.afterHeld(existing, place);
  return place;
}
