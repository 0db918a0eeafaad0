/** Conversations (one per pair), the messages projection, read markers and receipts: the seam. */
import type { MessageRecord } from '../../shared/api';
import type { Awaitable } from './storage';

export interface ConversationRow {
  id: string;
  userA: string;
  userB: string;
  openedBy: string;
  created: number;
  activity: number;
  /** False while the conversation is a message request the other person has not accepted. */
  accepted: boolean;
  /** The live document's epoch (docs/architecture.md, "Epochs"). */
  epoch: number;
}

/** Unread counts stop at this number (shown as "999+"). */
export const UNREAD_CAP = 1000;

export interface NewMessage {
  id: string;
  from: string;
  text: string;
  at: number;
}

/** What an accepted update changes in the projection. */
export interface ProjectionChange {
  added: NewMessage[];
  deleted: string[];
  edited: { id: string; text: string; at: number }[];
  reads: { userId: string; upTo: string; at: number }[];
}

export interface ConversationStore {
  /** The pair's conversation, created when missing; the same id from either side, even concurrently. */
  openPair(
    self: string,
    peer: string,
    accepted: boolean,
  ): Awaitable<{ conversation: ConversationRow; created: boolean }>;
  /** Mark the pair's conversation (if any) as accepted: no longer a message request. */
  acceptPair(x: string, y: string): Awaitable<void>;
  byPair(x: string, y: string): Awaitable<ConversationRow | null>;
  byId(id: string): Awaitable<ConversationRow | null>;
  forUser(userId: string): Awaitable<ConversationRow[]>;
  /** The state vectors each participant's device last reported holding (type 101), per user. */
  received(doc: string): Awaitable<Map<string, Uint8Array>>;
  setReceived(doc: string, userId: string, sv: Uint8Array): Awaitable<void>;
  /**
   * Seal the live document of `epoch` (one conditional update: decided once, even when two
   * processes race): the next epoch becomes live. Returns the live epoch afterwards.
   */
  sealEpoch(conversationId: string, epoch: number): Awaitable<number>;
  /** The author of a message in the projection (any epoch), or undefined. */
  senderOf(conversationId: string, messageId: string): Awaitable<string | undefined>;
  /**
   * The same question answered synchronously, where the store can (SQLite): the update
   * validator asks it for every message. Stores without it preload `authorsOf` per room.
   */
  readonly senderOfNow?: (conversationId: string, messageId: string) => string | undefined;
  /** Every message id of the conversation and its author (rooms of asynchronous stores). */
  authorsOf(conversationId: string): Awaitable<Map<string, string>>;
  lastMessage(conversationId: string): Awaitable<MessageRecord | null>;
  unread(conversationId: string, userId: string): Awaitable<number>;
  /** Newest first; `before` is the cursor returned as `next` by the previous page. */
  page(
    conversationId: string,
    before: { at: number; id: string } | null,
    limit: number,
  ): Awaitable<MessageRecord[]>;
}
