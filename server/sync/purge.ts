/**
 * What remains of messages deleted for everyone in the document's other roots: their edit
 * and every reaction to them. `purgeDeleted` deletes those map entries in one transaction
 * (a delete-only update: no new items, no client id of the server's).
 */
import * as Y from 'yjs';
import { Roots, parseReactionKey } from '../../shared/schema';
import type { ReactionRow } from '../store/conversation-store';

/** Delete the edits and reactions of messages `ids`; returns the reactions removed. */
export function purgeDeleted(
  doc: Y.Doc,
  ids: readonly string[],
  origin: unknown,
): { edits: string[]; reactions: ReactionRow[] } {
  const gone = new Set(ids);
  const edits = doc.getMap<unknown>(Roots.edits);
  const reactions = doc.getMap<unknown>(Roots.reactions);
  const editKeys = ids.filter((id) => edits.has(id));
  const reactionRows: (ReactionRow & { key: string })[] = [];
  for (const key of reactions.keys()) {
    const r = parseReactionKey(key);
    if (r && gone.has(r.messageId)) reactionRows.push({ ...r, key });
  }
  if (editKeys.length + reactionRows.length > 0)
    doc.transact(() => {
      for (const id of editKeys) edits.delete(id);
      for (const r of reactionRows) reactions.delete(r.key);
    }, origin);
  return {
    edits: editKeys,
    reactions: reactionRows.map(({ key: _, ...r }) => r),
  };
}

/**
 * A deleted account (`npm run admin -- users delete`): its messages, their edits and every
 * reaction to them, and its own reactions to the other person's messages, deleted in one
 * transaction (delete-only, like `purgeDeleted`). Returns what was removed.
 */
export function eraseAuthor(
  doc: Y.Doc,
  userId: string,
  origin: unknown,
): { messages: string[]; reactions: ReactionRow[] } {
  const messages = doc.getArray<unknown>(Roots.messages);
  const ids: string[] = [];
  const indexes: number[] = [];
  messages.forEach((value, i) => {
    const m = value as { id?: unknown; from?: unknown } | null;
    if (m?.from === userId && typeof m.id === 'string') {
      ids.push(m.id);
      indexes.push(i);
    }
  });
  const gone = new Set(ids);
  const edits = doc.getMap<unknown>(Roots.edits);
  const reactions = doc.getMap<unknown>(Roots.reactions);
  const editKeys = ids.filter((id) => edits.has(id));
  const reactionRows: (ReactionRow & { key: string })[] = [];
  for (const key of reactions.keys()) {
    const r = parseReactionKey(key);
    if (r && (gone.has(r.messageId) || r.userId === userId)) reactionRows.push({ ...r, key });
  }
  if (ids.length + editKeys.length + reactionRows.length > 0)
    doc.transact(() => {
      for (let k = indexes.length - 1; k >= 0; k--) messages.delete(indexes[k]!, 1);
      for (const id of editKeys) edits.delete(id);
      for (const r of reactionRows) reactions.delete(r.key);
    }, origin);
  return { messages: ids, reactions: reactionRows.map(({ key: _, ...r }) => r) };
}
