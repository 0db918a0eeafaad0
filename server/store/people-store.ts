/** Contacts, contact requests, blocks and declined conversations: the seam. */
import type { PrivacySettings } from '../../shared/api';
import type { Awaitable } from './storage';

export interface ContactRequestRow {
  id: string;
  from: string;
  to: string;
  created: number;
}

export interface PeopleStore {
  contactsOf(userId: string): Awaitable<string[]>;
  areContacts(a: string, b: string): Awaitable<boolean>;
  /** Make `a` and `b` contacts and drop any requests between them. */
  connect(a: string, b: string): Awaitable<void>;
  disconnect(a: string, b: string): Awaitable<void>;
  /** The pending request from `from` to `to`, created when missing. */
  request(from: string, to: string): Awaitable<ContactRequestRow>;
  requestBetween(from: string, to: string): Awaitable<ContactRequestRow | null>;
  requestById(id: string): Awaitable<ContactRequestRow | null>;
  incoming(userId: string): Awaitable<ContactRequestRow[]>;
  outgoing(userId: string): Awaitable<ContactRequestRow[]>;
  deleteRequest(id: string): Awaitable<void>;
  /** Block: also ends the contact and any requests between the two. */
  block(blocker: string, blocked: string): Awaitable<void>;
  unblock(blocker: string, blocked: string): Awaitable<void>;
  blockedBy(userId: string): Awaitable<string[]>;
  /** True when either has blocked the other. */
  blockedBetween(a: string, b: string): Awaitable<boolean>;
  hasBlocked(blocker: string, blocked: string): Awaitable<boolean>;
  hideConversation(conversationId: string, userId: string): Awaitable<void>;
  /** New activity brings a declined conversation back. */
  unhideConversation(conversationId: string): Awaitable<void>;
  /** True when someone declined (hid) this conversation. */
  anyHidden(conversationId: string): Awaitable<boolean>;
  isHidden(conversationId: string, userId: string): Awaitable<boolean>;
  /** The user's privacy settings (`DEFAULT_PRIVACY` when never set). */
  privacyOf(userId: string): Awaitable<PrivacySettings>;
  setPrivacy(userId: string, settings: PrivacySettings): Awaitable<void>;
  /**
   * Drop any answers cached in this process (another process changed contacts, requests
   * or blocks: the `policy` signal).
   */
  forget(): void;
}
