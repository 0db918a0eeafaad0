/**
 * The conversation document's schema: root names, value shapes and guards.
 * Both the server's update validator and the client's readers use these guards,
 * because document contents written by the other participant are untrusted.
 */
import { Limits } from './protocol';

export const Roots = {
  messages: 'messages',
  reads: 'reads',
  edits: 'edits',
  reactions: 'reactions',
} as const;
export type RootName = (typeof Roots)[keyof typeof Roots];
export const ARRAY_ROOTS: ReadonlySet<string> = new Set([Roots.messages]);
export const MAP_ROOTS: ReadonlySet<string> = new Set([Roots.reads, Roots.edits, Roots.reactions]);

/** An entry of the `messages` array. Immutable once written. */
export interface ChatMessage {
  id: string;
  from: string;
  text: string;
  at: number;
  replyTo?: string;
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

const MESSAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_EMOJI_CHARS = 16;

export function isMessageId(value: unknown): value is string {
  return typeof value === 'string' && MESSAGE_ID.test(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function hasOnlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(value).every((k) => allowed.includes(k));
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

export function isChatMessage(value: unknown): value is ChatMessage {
  if (!isPlainObject(value)) return false;
  if (!hasOnlyKeys(value, ['id', 'from', 'text', 'at', 'replyTo'])) return false;
  return (
    isMessageId(value.id) &&
    typeof value.from === 'string' &&
    value.from.length > 0 &&
    value.from.length <= 64 &&
    isValidText(value.text) &&
    isTimestamp(value.at) &&
    (value.replyTo === undefined || isMessageId(value.replyTo))
  );
}

export function isReadMarker(value: unknown): value is ReadMarker {
  return (
    isPlainObject(value) &&
    hasOnlyKeys(value, ['upTo', 'at']) &&
    isMessageId(value.upTo) &&
    isTimestamp(value.at)
  );
}

export function isMessageEdit(value: unknown): value is MessageEdit {
  return (
    isPlainObject(value) &&
    hasOnlyKeys(value, ['text', 'at']) &&
    isValidText(value.text) &&
    isTimestamp(value.at)
  );
}

export function isReaction(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_EMOJI_CHARS;
}

/** Key of the `reactions` map. */
export function reactionKey(messageId: string, userId: string): string {
  return `${messageId}:${userId}`;
}

/** Generate a message id (client side): time-ordered prefix plus randomness. */
export function newMessageId(now: number = Date.now()): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  let rand = '';
  for (const b of bytes) rand += b.toString(36).padStart(2, '0');
  return `m${now.toString(36)}${rand}`.slice(0, 40);
}
