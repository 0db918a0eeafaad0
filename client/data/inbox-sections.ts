/**
 * The conversation list's order (issue #14): pinned chats first, the one pinned last
 * on top (as WhatsApp does); then the rest by latest activity; archived chats apart (pins and activity alike).
 */
import type { ConversationSummary } from '../../shared/api';

export interface InboxSections {
  pinned: ConversationSummary[];
  recent: ConversationSummary[];
  archived: ConversationSummary[];
}

/** Split a list (newest activity first, as the inbox keeps it) into its sections. */
export function inboxSections(conversations: readonly ConversationSummary[]): InboxSections {
  const pinned: ConversationSummary[] = [];
  const recent: ConversationSummary[] = [];
  const archived: ConversationSummary[] = [];
  for (const c of conversations) {
    if (c.archived) archived.push(c);
    else if (typeof c.pinned === 'number') pinned.push(c);
    else recent.push(c);
  }
  pinned.sort((a, b) => (b.pinned ?? 0) - (a.pinned ?? 0));
  return { pinned, recent, archived };
}
