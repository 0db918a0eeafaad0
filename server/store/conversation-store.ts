/** Conversations (one per pair), the messages projection, read markers and receipts: the seam. */
import type { AttachmentInfo, MessageRecord } from '../../shared/api';
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
  /** When the server accepted it (its clock); the edit window starts at min(at, stored). */
  stored: number;
  replyTo?: string;
  /** Stored without their upload tokens. */
  attachments?: AttachmentInfo[];
}

/** What the server knows of one message of the conversation (any epoch), for the validator. */
export interface MessageFacts {
  from: string;
  /** The message's own time (the writer's clock). */
  at: number;
  /** When the server stored it (its clock). */
  stored: number;
}

/** One reaction in the projection. */
export interface ReactionRow {
  messageId: string;
  userId: string;
  emoji: string;
}

/** What an accepted update changes in the projection. */
export interface ProjectionChange {
  added: NewMessage[];
  /** Deleted for everyone: the text, edit, reply, attachments and reactions leave the row. */
  deleted: string[];
  edited: { id: string; text: string; at: number }[];
  reads: { userId: string; upTo: string; at: number }[];
  /** Applied after `reactionsRemoved` (a re-set key is removed, then added). */
  reactionsAdded?: (ReactionRow & { at: number })[];
  reactionsRemoved?: ReactionRow[];
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
   * Author and times of a message (any epoch, deleted ones too) answered synchronously,
   * where the store can (SQLite): the update validator asks it for every message, reply and
   * edit. Stores without it preload `messageFactsOf` per room.
   */
  readonly messageFactsNow?: (
    conversationId: string,
    messageId: string,
  ) => MessageFacts | undefined;
  /** Every message of the conversation with its facts (rooms of asynchronous stores). */
  messageFactsOf(conversationId: string): Awaitable<Map<string, MessageFacts>>;
  /**
   * A read kept out of the shared document (read receipts off, a message request): moves
   * `userId`'s read marker forward to `upTo` (when the message exists) and recounts unread.
   */
  markRead(
    conversationId: string,
    participants: readonly [string, string],
    userId: string,
    upTo: string,
    at: number,
  ): Awaitable<void>;
  lastMessage(conversationId: string): Awaitable<MessageRecord | null>;
  unread(conversationId: string, userId: string): Awaitable<number>;
  /** Newest first; `before` is the cursor returned as `next` by the previous page. */
  page(
    conversationId: string,
    before: { at: number; id: string } | null,
    limit: number,
  ): Awaitable<MessageRecord[]>;
}
