/**
 * Database rows as both storages return them, and their mapping to the stores' types: one
 * copy for SQLite and PostgreSQL (SQLite answers booleans as 0/1, PostgreSQL as booleans).
 */
import type { MessageRecord } from '../../shared/api';
import type { ConversationRow } from './conversation-store';
import type { ContactRequestRow } from './people-store';
import type { UserRow } from './user-store';

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
};

export const toUser = (r: RawUser): UserRow => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  lastSeen: r.last_seen,
  admin: isSet(r.admin),
  disabled: isSet(r.disabled),
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

export type RawMessage = {
  conversation_id: string;
  id: string;
  sender: string;
  text: string;
  created: number;
  edited: number | null;
  deleted: Flag;
};

export const toMessage = (r: RawMessage): MessageRecord => ({
  id: r.id,
  conversationId: r.conversation_id,
  from: r.sender,
  text: r.text,
  at: r.created,
  edited: r.edited,
  deleted: isSet(r.deleted),
});
