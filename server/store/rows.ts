/**
 * Database rows as both storages return them, and their mapping to the stores' types: one
 * copy for SQLite and PostgreSQL (SQLite answers booleans as 0/1, PostgreSQL as booleans).
 */
import type { AttachmentInfo, MessageRecord, PrivacySettings } from '../../shared/api';
import type { ConversationRow, MessageFacts } from './conversation-store';
import type { ContactRequestRow } from './people-store';
import type { SessionRow, UserRow } from './user-store';

/** A SQLite 0/1 or a PostgreSQL boolean. */
type Flag = number | boolean;
const isSet = (v: Flag): boolean => v === true || v === 1;

export type RawUser = {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  last_seen: number | null;
  admin: Flag;
  disabled: Flag;
  /** Absent from rows selected before profiles existed. */
  about?: string | null;
  avatar?: string | null;
};

export const toUser = (r: RawUser): UserRow => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  lastSeen: r.last_seen,
  admin: isSet(r.admin),
  disabled: isSet(r.disabled),
  about: r.about ?? '',
  avatar: r.avatar ?? null,
});

export type RawSession = {
  id: string;
  created: number;
  user_agent: string;
  address: string;
  last_active: number | null;
};

export const toSession = (r: RawSession): SessionRow => ({
  id: r.id,
  created: r.created,
  userAgent: r.user_agent,
  address: r.address,
  lastActive: r.last_active,
});

export type RawRequest = { id: string; from_user: string; to_user: string; created: number };

export const toRequest = (r: RawRequest): ContactRequestRow => ({
  id: r.id,
  from: r.from_user,
  to: r.to_user,
  created: r.created,
});

export type RawConversation = {
  id: string;
  user_a: string;
  user_b: string;
  opened_by: string;
  created: number;
  activity: number;
  accepted: Flag;
  epoch: number;
};

export const toConversation = (r: RawConversation): ConversationRow => ({
  id: r.id,
  userA: r.user_a,
  userB: r.user_b,
  openedBy: r.opened_by,
  created: r.created,
  activity: r.activity,
  accepted: isSet(r.accepted),
  epoch: r.epoch,
});

/** The message columns both storages select (`RawMessage`). */
export const MESSAGE_COLUMNS =
  'conversation_id, id, sender, text, created, edited, deleted, reply_to, attachments';

export type RawMessage = {
  conversation_id: string;
  id: string;
  sender: string;
  text: string;
  created: number;
  edited: number | null;
  deleted: Flag;
  reply_to: string | null;
  /** JSON of `AttachmentInfo[]` (the projection writes it, never a client). */
  attachments: string | null;
};

export type RawReaction = { message_id: string; user_id: string; emoji: string };

/** A message row and its reactions (ordered by time) as the history API shows them. */
export const toMessage = (r: RawMessage, reactions: readonly RawReaction[] = []): MessageRecord => {
  const grouped: MessageRecord['reactions'] = [];
  for (const x of reactions) {
    if (x.message_id !== r.id) continue;
    let g = grouped.find((e) => e.emoji === x.emoji);
    if (!g) grouped.push((g = { emoji: x.emoji, users: [] }));
    g.users.push(x.user_id);
  }
  return {
    id: r.id,
    conversationId: r.conversation_id,
    from: r.sender,
    text: r.text,
    at: r.created,
    edited: r.edited,
    deleted: isSet(r.deleted),
    replyTo: r.reply_to,
    reactions: grouped,
    attachments: r.attachments ? (JSON.parse(r.attachments) as AttachmentInfo[]) : [],
  };
};

/** The JSON the projection stores for a message's attachments, tokens left out. */
export function attachmentsJson(list: readonly AttachmentInfo[] | undefined): string | null {
  if (!list || list.length === 0) return null;
  return JSON.stringify(list);
}

export type RawFacts = { id: string; sender: string; created: number; stored: number | null };

/** Facts for the validator; rows from before `stored` existed count from their own time. */
export const toFacts = (r: RawFacts): MessageFacts => ({
  from: r.sender,
  at: r.created,
  stored: r.stored ?? r.created,
});

export interface RawPrivacy {
  read_receipts: number | boolean;
  last_seen: string;
  typing: number | boolean;
  discoverable: number | boolean;
}

/** A stored row as settings (PostgreSQL booleans, SQLite 0/1; an unknown audience is the strictest). */
export function toPrivacy(r: RawPrivacy): PrivacySettings {
  const lastSeen =
    r.last_seen === 'everyone' || r.last_seen === 'contacts' ? r.last_seen : 'nobody';
  return {
    readReceipts: Boolean(r.read_receipts),
    lastSeen,
    typing: Boolean(r.typing),
    discoverableByEmail: Boolean(r.discoverable),
  };
}
