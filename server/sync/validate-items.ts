/**
 * The schema rules for one new item once its place (root and key) is known, and the
 * "who may write this key" rule shared with deletions.
 */
import {
  ARRAY_ROOTS,
  MAP_ROOTS,
  META_SCHEMA_KEY,
  Roots,
  isChatMessage,
  isMessageEdit,
  isReactionValue,
  parseReactionKey,
  isReadMarker,
  isSchemaVersion,
} from '../../shared/schema';
import { Limits } from '../../shared/protocol';
import { reject } from './refusal';
import type { WireStruct } from './update-parser';
import type { UpdateEffects, ValidationContext } from './validate-update';

/** Where an item lives: a root type and, for maps, its key. */
export type Place = { root: string; key: string | null };

export function checkNewItem(
  ctx: ValidationContext,
  item: Extract<WireStruct, { kind: 'item' }>,
  place: Place,
  effects: UpdateEffects,
  newIds: Set<string>,
): void {
  const { userId } = ctx;
  const values = item.values;

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
  if (item.deleted) return;
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
      if (!isReactionValue(value)) reject('reaction has the wrong shape');
      break;
    case Roots.meta: {
      // The schema version only rises, and only to a version this server knows.
      const current = ctx.doc.getMap<unknown>(Roots.meta).get(META_SCHEMA_KEY);
      if (!isSchemaVersion(value)) reject('schema version unknown to the server');
      if (typeof current === 'number' && value < current) reject('schema version lowered');
      break;
    }
  }
}

/** Who may write (or delete) a key of each map. */
export function checkMapKey(
  ctx: ValidationContext,
  root: string,
  key: string,
  newIds: ReadonlySet<string>,
): void {
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
      const parsed = parseReactionKey(key);
      if (!parsed) reject('reaction key has the wrong shape');
      if (parsed.userId !== userId) reject('reacting as another person');
      return;
    }
    case Roots.meta:
      if (key !== META_SCHEMA_KEY) reject(`unknown meta key "${key}"`);
      return;
    default:
      reject(`unknown root "${root}"`);
  }
}
