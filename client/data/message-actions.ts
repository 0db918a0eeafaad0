/**
 * The writes a person makes to a conversation document: send, edit, react, delete. Pure
 * functions over a Y.Doc (the `Conversation` calls them on its live document), each one
 * Yjs transaction, so an action made offline is one change that syncs once.
 */
import * as Y from 'yjs';
import { Limits } from '../../shared/protocol';
import {
  META_SCHEMA_KEY,
  Roots,
  SCHEMA_VERSION,
  isEmoji,
  isMessageId,
  newMessageId,
  parseReactionKey,
  readChatMessage,
  reactionKey,
  type AttachmentRef,
  type ChatMessage,
  type MessageEdit,
  type ReactionValue,
} from '../../shared/schema';
import { DEFAULT_EDIT_WINDOW_MS, withinEditWindow } from './message-extras';
import { serverNow } from './server-clock';

export interface SendOptions {
  /** The id of the message this one answers (any epoch of the conversation). */
  replyTo?: string;
  /** Uploaded files (from the upload route, with their tokens); 1..10. */
  attachments?: AttachmentRef[];
}

/** Record the schema version this code writes, unless the document already says as much. */
function markSchema(doc: Y.Doc): void {
  const meta = doc.getMap<unknown>(Roots.meta);
  const current = meta.get(META_SCHEMA_KEY);
  if (typeof current === 'number' && current >= SCHEMA_VERSION) return;
  meta.set(META_SCHEMA_KEY, SCHEMA_VERSION);
}

/** The schema version the document declares (1 when it declares none). */
export function documentSchema(doc: Y.Doc): number {
  const v = doc.getMap<unknown>(Roots.meta).get(META_SCHEMA_KEY);
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
}

/**
 * Append a message from `me`. Text is trimmed and cut at the length limit; it may be
 * empty only with attachments. Returns the new id, or null when there is nothing to send.
 */
export function sendMessage(
  doc: Y.Doc,
  me: string,
  text: string,
  opts: SendOptions = {},
  now = serverNow(),
): string | null {
  const trimmed = text.trim().slice(0, Limits.maxMessageChars);
  const attachments = opts.attachments?.slice(0, 10) ?? [];
  if (trimmed.length === 0 && attachments.length === 0) return null;
  if (opts.replyTo !== undefined && !isMessageId(opts.replyTo)) return null;
  const message: ChatMessage = { id: newMessageId(now), from: me, text: trimmed, at: now };
  if (opts.replyTo !== undefined) message.replyTo = opts.replyTo;
  if (attachments.length > 0) message.attachments = attachments;
  doc.transact(() => {
    markSchema(doc);
    doc.getArray<ChatMessage>(Roots.messages).push([message]);
  });
  return message.id;
}

/** Your message `id` in `doc`, with its index, or null. */
function findOwn(doc: Y.Doc, me: string, id: string): { index: number; at: number } | null {
  const values = doc.getArray<unknown>(Roots.messages).toArray();
  for (let i = 0; i < values.length; i++) {
    const m = readChatMessage(values[i]);
    if (m && m.id === id) return m.from === me ? { index: i, at: m.at } : null;
  }
  return null;
}

/** True when `doc` holds message `id` (anyone's). */
function holds(doc: Y.Doc, id: string): boolean {
  return doc
    .getArray<unknown>(Roots.messages)
    .toArray()
    .some((v) => readChatMessage(v)?.id === id);
}

/**
 * Replace the text of your message `id`. False when it is not yours, not in `doc`, the
 * edit window is over, or the text is blank. Editing again overwrites the previous edit.
 */
export function editMessage(
  doc: Y.Doc,
  me: string,
  id: string,
  text: string,
  now = serverNow(),
  editWindowMs = DEFAULT_EDIT_WINDOW_MS,
): boolean {
  const trimmed = text.trim().slice(0, Limits.maxMessageChars);
  const own = findOwn(doc, me, id);
  if (!own || trimmed.length === 0 || !withinEditWindow(own.at, now, editWindowMs)) return false;
  const edits = doc.getMap<MessageEdit>(Roots.edits);
  if (edits.get(id)?.text === trimmed) return true;
  doc.transact(() => {
    markSchema(doc);
    edits.set(id, { text: trimmed, at: now });
  });
  return true;
}

/**
 * Add your `emoji` reaction to message `id`, or remove it when it is there. Does nothing
 * for a message not in `doc` or a value that is not one emoji. Returns whether it changed.
 */
export function toggleReaction(
  doc: Y.Doc,
  me: string,
  id: string,
  emoji: string,
  now = serverNow(),
): boolean {
  if (!isEmoji(emoji) || !holds(doc, id)) return false;
  const key = reactionKey(id, me, emoji);
  const reactions = doc.getMap<ReactionValue>(Roots.reactions);
  doc.transact(() => {
    if (reactions.has(key)) reactions.delete(key);
    else {
      markSchema(doc);
      reactions.set(key, { at: now });
    }
  });
  return true;
}

/**
 * Delete your message `id` for everyone: the item leaves the `messages` array, and with it
 * its edit and your reactions (the server removes the other person's). False when there
 * is no such message of yours in `doc`.
 */
export function deleteMessage(doc: Y.Doc, me: string, id: string): boolean {
  const own = findOwn(doc, me, id);
  if (!own) return false;
  const reactions = doc.getMap<unknown>(Roots.reactions);
  doc.transact(() => {
    doc.getArray<unknown>(Roots.messages).delete(own.index, 1);
    doc.getMap<unknown>(Roots.edits).delete(id);
    for (const key of [...reactions.keys()]) {
      const r = parseReactionKey(key);
      if (r && r.messageId === id && r.userId === me) reactions.delete(key);
    }
  });
  return true;
}
