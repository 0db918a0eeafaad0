/**
 * Pure helpers that shape the message list for the view: placeholders for messages
 * deleted for everyone during this session, and where the "New messages" divider goes.
 */
import type { MessageView } from './message-state';

/** A message deleted while this session watched, shown as "Message deleted" in its place. */
export interface Tombstone {
  view: MessageView;
  /** The id of the entry just before it when it was deleted (null: it was first). */
  after: string | null;
}

/**
 * Put placeholders for `tombstones` (in deletion order) back into `views` where the
 * messages were. A placeholder whose anchor is gone follows the anchor's own placeholder
 * or, failing that, goes first.
 */
export function withTombstones(
  views: readonly MessageView[],
  tombstones: readonly Tombstone[],
): readonly MessageView[] {
  if (tombstones.length === 0) return views;
  const out = [...views];
  for (const t of tombstones) {
    if (out.some((m) => m.id === t.view.id)) continue; // it came back (cannot happen; be safe)
    const anchor = t.after === null ? -1 : out.findIndex((m) => m.id === t.after);
    out.splice(anchor + 1, 0, {
      ...t.view,
      text: '',
      state: null,
      deleted: true,
      canEdit: false,
      reactions: [],
      attachments: [],
    });
  }
  return out;
}

/**
 * The id of the first unread message when a conversation opens with `unread` unread
 * messages: the `unread`-th last message of the other person. Null when none.
 */
export function firstUnreadId(messages: readonly MessageView[], unread: number): string | null {
  if (unread <= 0) return null;
  let left = unread;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m || m.mine || m.deleted) continue;
    if (--left === 0) return m.id;
  }
  return null;
}
