/**
 * What a message carries besides its text, read from the document for the UI: the
 * reactions on it (from the `reactions` map), the quote of the message it replies to,
 * and whether you may still edit it. Pure functions, testable in Node.
 */
import * as Y from 'yjs';
import { Roots, isReactionValue, parseReactionKey } from '../../shared/schema';
import type { MessageView } from './message-state';

/** How long after sending a message its author may edit it (the server's default). */
export const DEFAULT_EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One emoji on one message: who reacted with it, oldest first. */
export interface ReactionView {
  emoji: string;
  users: string[];
  /** True when the signed-in user is among `users`. */
  mine: boolean;
}

/** The message a reply quotes. */
export interface ReplyQuote {
  id: string;
  /** Its author; '' when it is not loaded. */
  from: string;
  /** Its first line (current text), or null when it was deleted or is not loaded. */
  excerpt: string | null;
}

/** The longest excerpt a quote shows, in characters. */
const EXCERPT_CHARS = 120;

/**
 * Reactions per message id, each message's emoji in the order they were first used.
 * Keys that do not parse or values of the wrong shape are skipped (untrusted content).
 */
export function reactionsByMessage(doc: Y.Doc, me: string): Map<string, ReactionView[]> {
  const entries: { messageId: string; userId: string; emoji: string; at: number }[] = [];
  doc.getMap<unknown>(Roots.reactions).forEach((value, key) => {
    const parsed = parseReactionKey(key);
    if (parsed && isReactionValue(value)) entries.push({ ...parsed, at: value.at });
  });
  entries.sort((a, b) => a.at - b.at);
  const out = new Map<string, ReactionView[]>();
  for (const e of entries) {
    let list = out.get(e.messageId);
    if (!list) out.set(e.messageId, (list = []));
    let view = list.find((r) => r.emoji === e.emoji);
    if (!view) list.push((view = { emoji: e.emoji, users: [], mine: false }));
    if (!view.users.includes(e.userId)) view.users.push(e.userId);
    if (e.userId === me) view.mine = true;
  }
  return out;
}

/** The text a quote shows for a message: its first non-blank line, or what it attaches. */
export function excerptOf(view: MessageView): string | null {
  if (view.deleted) return null;
  const line = view.text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (line) return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line;
  const first = view.attachments[0];
  if (!first) return '';
  if (first.kind === 'image') return 'Photo';
  if (first.kind === 'voice') return 'Voice message';
  return first.name;
}

/**
 * Fill in the reply quotes of `views` from `views` themselves (every loaded epoch).
 * Returns the same array when no message replies to anything.
 */
export function withReplyQuotes(views: readonly MessageView[]): readonly MessageView[] {
  if (!views.some((v) => v.replyToId !== undefined)) return views;
  const byId = new Map<string, MessageView>();
  for (const v of views) byId.set(v.id, v);
  return views.map((v) => {
    if (v.replyToId === undefined || v.deleted) return v;
    const original = byId.get(v.replyToId);
    const replyTo: ReplyQuote = {
      id: v.replyToId,
      from: original?.from ?? '',
      excerpt: original ? excerptOf(original) : null,
    };
    return { ...v, replyTo };
  });
}

/** True while `at` (a message's time) is inside the edit window at `now`. */
export function withinEditWindow(at: number, now: number, windowMs: number): boolean {
  return now - at < windowMs;
}
