/**
 * The schema rules for one new item once its place (root and key) is known, and the
 * "who may write this key" rule shared with deletions. Who may write what is the table in
 * docs/security.md ("Who may write what").
 */
import {
  ARRAY_ROOTS,
  MAP_ROOTS,
  META_SCHEMA_KEY,
  Roots,
  isChatMessage,
  isMessageEdit,
  isReactionValue,
  isReadMarker,
  isSchemaVersion,
  parseReactionKey,
  type ChatMessage,
} from '../../shared/schema';
import { Limits } from '../../shared/protocol';
import { reject } from './refusal';
import type { WireStruct } from './update-parser';
import type { UpdateEffects, ValidationContext } from './validate-update';

/** Where an item lives: a root type and, for maps, its key. */
export type Place = { root: string; key: string | null };

/** Messages added by the update being checked, by id (checked before its map entries). */
export type NewMessages = Map<string, ChatMessage>;

export function checkNewItem(
  ctx: ValidationContext,
  item: Extract<WireStruct, { kind: 'item' }>,
  place: Place,
  effects: UpdateEffects,
  added: NewMessages,
): void {
  const { userId } = ctx;
  const values = item.values;

  if (ARRAY_ROOTS.has(place.root)) {
    if (place.key !== null) reject('array entries have no key');
    for (const value of values) {
      if (!isChatMessage(value)) reject('message has the wrong shape');
      checkNewMessage(ctx, value, added);
      added.set(value.id, value);
      effects.added.push(value);
    }
    return;
  }
  if (!MAP_ROOTS.has(place.root)) reject(`unknown root "${place.root}"`);
  if (place.key === null) reject('map entries need a key');
  const key = place.key;
  checkMapKey(ctx, place.root, key, added);
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
      checkEditTime(ctx, key, value.at, added);
      effects.edits.push({ id: key, text: value.text, at: value.at });
      break;
    case Roots.reactions: {
      if (!isReactionValue(value)) reject('reaction has the wrong shape');
      const r = parseReactionKey(key);
      if (!r) reject('reaction key has the wrong shape');
      if (!ctx.here.has(r.messageId) && !added.has(r.messageId))
        reject('reaction to a message not in this document');
      effects.reactionsAdded.push({ ...r, at: value.at });
      break;
    }
    case Roots.meta: {
      // The schema version only rises, and only to a version this server knows.
      const current = ctx.doc.getMap<unknown>(Roots.meta).get(META_SCHEMA_KEY);
      if (!isSchemaVersion(value)) reject('schema version unknown to the server');
      if (typeof current === 'number' && value < current) reject('schema version lowered');
      break;
    }
  }
}

/** A new message: written as yourself, a fresh id, a plausible time, references that hold. */
function checkNewMessage(ctx: ValidationContext, m: ChatMessage, added: NewMessages): void {
  if (m.from !== ctx.userId) reject('message from someone else');
  if (ctx.messages.get(m.id) !== undefined || added.has(m.id))
    reject(`duplicate message id ${m.id}`);
  if (!inTimeWindow(ctx, m.at)) reject('message time outside the accepted window');
  // Any epoch of this conversation, sealed or deleted included; never another conversation's.
  if (m.replyTo !== undefined && ctx.messages.get(m.replyTo) === undefined && !added.has(m.replyTo))
    reject('reply to a message not in this conversation');
  if (m.attachments) {
    const verify = ctx.verifyAttachment;
    if (!verify) reject('attachments are not accepted here');
    for (const ref of m.attachments)
      if (!verify(ref, ctx.userId)) reject('attachment not uploaded by the sender here');
  }
}

/** A client time the server accepts: not far in its future, not older than a long offline spell. */
function inTimeWindow(ctx: ValidationContext, at: number): boolean {
  return at <= ctx.now + Limits.maxClockSkewMs && at >= ctx.now - Limits.maxMessageAgeMs;
}

/**
 * An edit of message `id` written at `at` (the author's own is checked by `checkMapKey`):
 * made inside the edit window by the author's own clock (the message's `at` to the edit's
 * `at`: one clock, so clock skew never refuses an edit the client offered), and reaching
 * the server, by the server's clock, no later than window + grace after the earlier of the
 * message's time and when the server stored it. A message's `at` is at most
 * `maxClockSkewMs` past when it was stored, so forward-dating gains at most that, and a
 * back-dated edit at most the grace.
 */
function checkEditTime(ctx: ValidationContext, id: string, at: number, added: NewMessages): void {
  if (!ctx.here.has(id) && !added.has(id)) reject('edit of a message not in this document');
  const facts = ctx.messages.get(id);
  const written = facts?.at ?? added.get(id)?.at ?? ctx.now;
  const vouched = Math.min(written, facts?.stored ?? ctx.now);
  if (!inTimeWindow(ctx, at)) reject('edit time outside the accepted window');
  if (at - written > ctx.editWindowMs) reject('edit after the edit window');
  if (ctx.now - vouched > ctx.editWindowMs + ctx.editGraceMs) reject('edit after the edit window');
}

/** Who may write (or delete) a key of each map. */
export function checkMapKey(
  ctx: ValidationContext,
  root: string,
  key: string,
  added: ReadonlyMap<string, ChatMessage>,
): void {
  const { userId } = ctx;
  switch (root) {
    case Roots.reads:
      if (key !== userId) reject("another person's read marker");
      return;
    case Roots.edits: {
      const author = ctx.messages.get(key)?.from ?? added.get(key)?.from;
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
