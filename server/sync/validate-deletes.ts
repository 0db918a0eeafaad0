/**
 * The delete set of an update: every item it newly deletes must be the sender's to delete,
 * and every range must be resolvable once the update's structs are in, else Yjs would keep
 * the rest as a pending delete set.
 */
import * as Y from 'yjs';
import { ARRAY_ROOTS, Roots, isChatMessage, parseReactionKey } from '../../shared/schema';
import { defer, reject } from './refusal';
import type { WireUpdate } from './update-parser';
import type { NewStructs, UpdateEffects, ValidationContext } from './validate-update';
import { checkMapKey, type Place } from './validate-items';

export function checkDeletions(
  ctx: ValidationContext,
  deletes: WireUpdate['deletes'],
  fresh: NewStructs,
  places: readonly (Place | undefined)[],
  effects: UpdateEffects,
): void {
  const store = ctx.doc.store;
  for (const { client, ranges } of deletes) {
    const state = Y.getState(store, client);
    const structs = store.clients.get(client);
    const run = fresh.byClient.get(client);
    for (const range of ranges) {
      const end = range.clock + range.len;
      // The part the server holds: newly deleted items need permission.
      if (range.clock < state && structs) {
        for (let i = Y.findIndexSS(structs, range.clock); i < structs.length; i++) {
          const s = structs[i]!;
          if (s.id.clock >= end) break;
          if (!(s instanceof Y.Item) || s.deleted) continue;
          effects.noop = false;
          checkDeleteExisting(ctx, s, valuesIn(s, range.clock, end), effects);
        }
      }
      if (end <= state) continue;
      // The part beyond: must be this update's own new structs (their author's own).
      if (!run || end > run.endClock) defer('deletion of items unknown to the server');
      let i = fresh.find({ client, clock: Math.max(range.clock, state) });
      for (; i >= 0 && i < run.end; i++) {
        const { struct } = fresh.list[i]!;
        if (struct.clock >= end) break;
        const place = places[i];
        if (struct.kind !== 'item' || !place || !ARRAY_ROOTS.has(place.root)) continue;
        const from = Math.max(0, range.clock - struct.clock);
        for (const v of struct.values.slice(from, end - struct.clock)) {
          if (isChatMessage(v)) effects.deletedMessages.push(v.id);
        }
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
  checkMapKey(ctx, root, item.parentSub, new Map());
  if (root === Roots.reactions) {
    const r = parseReactionKey(item.parentSub);
    if (r) effects.reactionsRemoved.push(r);
  }
}
