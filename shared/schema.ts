/**
 * The conversation document's schema (version 2): root names, value shapes and guards.
 * The server's update validator uses the strict guards (`isChatMessage`, …): anything it
 * does not know is refused. The client reads through the tolerant readers
 * (`readChatMessage`, `readAttachmentRef`): a newer writer's unknown keys are kept and the
 * message is flagged `unsupported` instead of vanishing (docs/protocol.md, "Schema").
 */
import { Limits } from './protocol';

/**
 * The schema version this code writes and fully understands. The document carries the
 * highest version any writer used in its `meta` map (key `schema`, an integer; absent
 * means 1). A reader that finds a higher number knows it may miss content.
 */
export const SCHEMA_VERSION = 2;

export const Roots = {
  messages: 'messages',
  reads: 'reads',
  edits: 'edits',
  reactions: 'reactions',
  meta: 'meta',
} as const;
export type RootName = (typeof Roots)[keyof typeof Roots];
export const ARRAY_ROOTS: ReadonlySet<string> = new Set([Roots.messages]);
export const MAP_ROOTS: ReadonlySet<string> = new Set([
  Roots.reads,
  Roots.edits,
  Roots.reactions,
  Roots.meta,
]);
/** The only key of the `meta` map: the document's schema version. */
export const META_SCHEMA_KEY = 'schema';

export type AttachmentKind = 'image' | 'file' | 'voice';
export const ATTACHMENT_KINDS: readonly AttachmentKind[] = ['image', 'file', 'voice'];
/** Most attachments on one message. */
export const MAX_ATTACHMENTS = 10;

/**
 * A file attached to a message. `token` is the server's proof that the sender uploaded
 * exactly these bytes to this conversation (returned by the upload route).
 */
export interface AttachmentRef {
  id: string;
  kind: AttachmentKind;
  name: string;
  /** MIME type, as the server detected it from the bytes. */
  type: string;
  /** Bytes. */
  size: number;
  width?: number;
  height?: number;
  durationMs?: number;
  token: string;
}

/** An entry of the `messages` array. Immutable once written. */
export interface ChatMessage {
  id: string;
  from: string;
  /** May be '' only when the message has attachments (a caption is optional). */
  text: string;
  at: number;
  replyTo?: string;
  attachments?: AttachmentRef[];
}

/** A value of the `reads` map, keyed by the reader's user id. */
export interface ReadMarker {
  upTo: string;
  at: number;
}

/** A value of the `edits` map, keyed by message id. */
export interface MessageEdit {
  text: string;
  at: number;
}

/** A value of the `reactions` map, keyed `${messageId}:${userId}:${emoji}` (`reactionKey`). */
export interface ReactionValue {
  at: number;
}

const MESSAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const ATTACHMENT_ID = /^a_[A-Za-z0-9_-]{20}$/;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;
const TOKEN = /^[A-Za-z0-9_=+/.-]{16,256}$/;
/** Longest reaction emoji in UTF-16 units (a family or flag sequence fits). */
export const MAX_EMOJI_CHARS = 32;
// One emoji: a recommended-for-interchange sequence, or one pictograph with an optional
// variation selector (❤ and ❤️ both count). Built at run time: the `v` flag is ES2024.
const EMOJI = new RegExp('^(?:\\p{RGI_Emoji}|\\p{Extended_Pictographic}\\uFE0F?)$', 'v');
const KNOWN_MESSAGE_KEYS = ['id', 'from', 'text', 'at', 'replyTo', 'attachments'] as const;
const KNOWN_ATTACHMENT_KEYS = [
  'id',
  'kind',
  'name',
  'type',
  'size',
  'width',
  'height',
  'durationMs',
  'token',
] as const;

export function isMessageId(value: unknown): value is string {
  return typeof value === 'string' && MESSAGE_ID.test(value);
}

export function isAttachmentId(value: unknown): value is string {
  return typeof value === 'string' && ATTACHMENT_ID.test(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Key sets for `hasOnlyKeys` (built once: this runs for every message read or validated). */
const MESSAGE_KEY_SET: ReadonlySet<string> = new Set(KNOWN_MESSAGE_KEYS);
const ATTACHMENT_KEY_SET: ReadonlySet<string> = new Set(KNOWN_ATTACHMENT_KEYS);
const READ_MARKER_KEYS: ReadonlySet<string> = new Set(['upTo', 'at']);
const EDIT_KEYS: ReadonlySet<string> = new Set(['text', 'at']);
const AT_KEYS: ReadonlySet<string> = new Set(['at']);

/** True when every own key of `value` (a plain object) is in `allowed`. */
function hasOnlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const k in value) if (!allowed.has(k)) return false;
  return true;
}

/** True for message text that is not blank and at most `maxMessageChars` long after trimming. */
export function isValidText(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const trimmed = text.trim();
  return (
    trimmed.length >= 1 &&
    trimmed.length <= Limits.maxMessageChars &&
    text.length <= Limits.maxMessageChars + 1000
  );
}

function isTimestamp(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isFinite(value) && Number.isInteger(value) && value > 0
  );
}

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function isUserId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

/** The fields of an attachment reference, without looking at unknown keys. */
function attachmentFieldsValid(v: Record<string, unknown>): boolean {
  return (
    isAttachmentId(v.id) &&
    typeof v.kind === 'string' &&
    (ATTACHMENT_KINDS as readonly string[]).includes(v.kind) &&
    typeof v.name === 'string' &&
    v.name.length >= 1 &&
    v.name.length <= 255 &&
    typeof v.type === 'string' &&
    v.type.length <= 127 &&
    MIME.test(v.type) &&
    isCount(v.size, Number.MAX_SAFE_INTEGER) &&
    (v.width === undefined || (isCount(v.width, 100_000) && v.width > 0)) &&
    (v.height === undefined || (isCount(v.height, 100_000) && v.height > 0)) &&
    (v.durationMs === undefined || isCount(v.durationMs, 24 * 3600 * 1000)) &&
    typeof v.token === 'string' &&
    TOKEN.test(v.token)
  );
}

/** Strict (server): a well-formed attachment reference with no other keys. */
export function isAttachmentRef(value: unknown): value is AttachmentRef {
  return (
    isPlainObject(value) &&
    hasOnlyKeys(value, ATTACHMENT_KEY_SET) &&
    attachmentFieldsValid(value)
  );
}

function isAttachmentList(value: unknown): value is AttachmentRef[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_ATTACHMENTS) return false;
  const ids = new Set<string>();
  for (const a of value as unknown[]) {
    if (!isAttachmentRef(a) || ids.has(a.id)) return false;
    ids.add(a.id);
  }
  return true;
}

/**
 * Strict (server): a message this version writes, nothing more. The text may be empty
 * only when 1..10 attachments carry the content.
 */
export function isChatMessage(value: unknown): value is ChatMessage {
  if (!isPlainObject(value)) return false;
  if (!hasOnlyKeys(value, MESSAGE_KEY_SET)) return false;
  if (value.attachments !== undefined && !isAttachmentList(value.attachments)) return false;
  const textOk = isValidText(value.text) || (value.attachments !== undefined && value.text === '');
  return (
    isMessageId(value.id) &&
    isUserId(value.from) &&
    textOk &&
    isTimestamp(value.at) &&
    (value.replyTo === undefined || isMessageId(value.replyTo))
  );
}

/** A message as a (client) reader sees it: what this version can use, and whether that is all. */
export interface ReadMessage extends ChatMessage {
  /** Content this version cannot render: unknown keys, attachment kinds or shapes. */
  unsupported: boolean;
}

/**
 * Tolerant (client): read a message written by any version. Null only when it has no
 * usable identity (id, author, time) or a text that is not a string; everything else
 * this version does not understand sets `unsupported` and is left out.
 */
export function readChatMessage(value: unknown): ReadMessage | null {
  if (!isPlainObject(value)) return null;
  const { id, from, text, at } = value;
  if (!isMessageId(id) || !isUserId(from) || !isTimestamp(at)) return null;
  if (typeof text !== 'string' || text.length > Limits.maxMessageChars + 1000) return null;
  let unsupported = !hasOnlyKeys(value, MESSAGE_KEY_SET);
  const out: ReadMessage = { id, from, text, at, unsupported: false };
  if (value.replyTo !== undefined) {
    if (isMessageId(value.replyTo)) out.replyTo = value.replyTo;
    else unsupported = true;
  }
  if (value.attachments !== undefined) {
    const list = Array.isArray(value.attachments) ? (value.attachments as unknown[]) : [];
    if (list.length === 0) unsupported = true;
    const refs: AttachmentRef[] = [];
    for (const a of list.slice(0, MAX_ATTACHMENTS)) {
      const ref = readAttachmentRef(a);
      if (ref) refs.push(ref);
      else unsupported = true;
    }
    if (list.length > MAX_ATTACHMENTS) unsupported = true;
    if (refs.length > 0) out.attachments = refs;
  }
  if (text.trim() === '' && !out.attachments) unsupported = true;
  out.unsupported = unsupported;
  return out;
}

/** Tolerant (client): an attachment reference, its known fields only; null if unusable. */
export function readAttachmentRef(value: unknown): AttachmentRef | null {
  if (!isPlainObject(value) || !attachmentFieldsValid(value)) return null;
  const ref: AttachmentRef = {
    id: value.id as string,
    kind: value.kind as AttachmentKind,
    name: value.name as string,
    type: value.type as string,
    size: value.size as number,
    token: value.token as string,
  };
  if (value.width !== undefined) ref.width = value.width as number;
  if (value.height !== undefined) ref.height = value.height as number;
  if (value.durationMs !== undefined) ref.durationMs = value.durationMs as number;
  return ref;
}

export function isReadMarker(value: unknown): value is ReadMarker {
  return (
    isPlainObject(value) &&
    hasOnlyKeys(value, READ_MARKER_KEYS) &&
    isMessageId(value.upTo) &&
    isTimestamp(value.at)
  );
}

export function isMessageEdit(value: unknown): value is MessageEdit {
  return (
    isPlainObject(value) &&
    hasOnlyKeys(value, EDIT_KEYS) &&
    isValidText(value.text) &&
    isTimestamp(value.at)
  );
}

/** True for exactly one emoji (a ZWJ, skin tone or flag sequence counts as one). */
export function isEmoji(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= MAX_EMOJI_CHARS &&
    EMOJI.test(value)
  );
}

/** A value of the `reactions` map. */
export function isReactionValue(value: unknown): value is ReactionValue {
  return isPlainObject(value) && hasOnlyKeys(value, AT_KEYS) && isTimestamp(value.at);
}

/** Key of the `reactions` map: one per message, person and emoji. */
export function reactionKey(messageId: string, userId: string, emoji: string): string {
  return `${messageId}:${userId}:${emoji}`;
}

/**
 * Split a `reactions` key. Message ids hold no ':' and emoji hold none either, so the
 * first and last ':' delimit the user id. Null when any part is invalid.
 */
export function parseReactionKey(
  key: string,
): { messageId: string; userId: string; emoji: string } | null {
  const first = key.indexOf(':');
  const last = key.lastIndexOf(':');
  if (first < 0 || last <= first) return null;
  const messageId = key.slice(0, first);
  const userId = key.slice(first + 1, last);
  const emoji = key.slice(last + 1);
  if (!isMessageId(messageId) || !isUserId(userId) || !isEmoji(emoji)) return null;
  return { messageId, userId, emoji };
}

/** A valid value of `meta.schema`: a schema version up to `max`. */
export function isSchemaVersion(value: unknown, max = SCHEMA_VERSION): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
}

/** Generate a message id (client side): time-ordered prefix plus randomness. */
export function newMessageId(now: number = Date.now()): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  let rand = '';
  for (const b of bytes) rand += b.toString(36).padStart(2, '0');
  return `m${now.toString(36)}${rand}`.slice(0, 40);
}
