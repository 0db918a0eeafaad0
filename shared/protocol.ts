/**
 * The wire contract shared by server, client and service worker: document names,
 * WebSocket close codes, app-specific sync message types and size limits.
 */

/** Conversation ids are opaque: `c_` followed by 20 url-safe characters. */
export const CONVERSATION_ID = /^c_[A-Za-z0-9_-]{20}$/;
/** User ids: `u_` followed by 20 url-safe characters. */
export const USER_ID = /^u_[A-Za-z0-9_-]{20}$/;

/** A document name the sync endpoint accepts: `<conversation id>` or `<conversation id>.<epoch>`. */
export type DocName = string;

/** A conversation's document of one epoch (docs/architecture.md, "Epochs"). */
export interface DocRef {
  conversationId: string;
  /** 0 for the conversation's first document, then 1, 2, … as documents are sealed. */
  epoch: number;
}

/** Highest epoch number a document name may carry. */
export const MAX_EPOCH = 1_000_000;

/** The name of a conversation's document of `epoch`: the id itself for epoch 0. */
export function docNameOf(conversationId: string, epoch: number): DocName {
  return epoch === 0 ? conversationId : `${conversationId}.${epoch}`;
}

/** Parse a document name strictly; null for anything that is not one. */
export function parseDocName(name: string): DocRef | null {
  const m = /^(c_[A-Za-z0-9_-]{20})(?:\.([1-9][0-9]{0,6}))?$/.exec(name);
  if (!m || !m[1]) return null;
  const epoch = m[2] === undefined ? 0 : Number(m[2]);
  return epoch <= MAX_EPOCH ? { conversationId: m[1], epoch } : null;
}

/** Parse `/sync/<doc>` strictly; returns null for anything that does not match. */
export function parseSyncPath(pathname: string): DocRef | null {
  const m = /^\/sync\/([A-Za-z0-9_.-]{1,64})$/.exec(pathname);
  if (!m || !m[1]) return null;
  return parseDocName(m[1]);
}

/**
 * WebSocket close codes. 4400–4499 are final for the y-websocket client (it stops
 * reconnecting); every other code is retried with backoff.
 */
export const CloseCode = {
  /** Normal closure (server shutting down, room unloaded). Retried. */
  normal: 1000,
  /** The server is going away (restart). Retried. */
  goingAway: 1001,
  /** A frame over `MAX_FRAME_BYTES`. Retried after backoff. */
  tooLarge: 1009,
  /** Slow down: a rate limit was exceeded. Retried after backoff. */
  tryAgainLater: 1013,
  /** The update broke a rule of the document schema. Final. */
  invalidUpdate: 4400,
  /** Not signed in, or the session was revoked. Final: sign in again. */
  unauthenticated: 4401,
  /** Signed in but not a participant, or blocked. Final. */
  forbidden: 4403,
  /**
   * The user's storage quota on the server is used up (`USER_QUOTA_MB`): the update was not
   * stored. Final: the client keeps its unsent messages and says why it stopped syncing.
   */
  quotaExceeded: 4413,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** y-websocket message types, plus Parley's own. */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /**
   * Server -> client: the clocks of this user's client ids that are on disk (committed),
   * sent after an update from this connection was stored, on connect, after sync step 1
   * and a resend. Never more than is committed: items at or below it are "sent".
   */
  ack: 100,
  /**
   * Server -> client: the other participant's acknowledged state vector (what their
   * device holds), clamped by the server to what it has committed (unknown client ids
   * dropped). Items at or below it are "delivered". Client -> server: this device's state
   * vector after applying remote updates.
   */
  received: 101,
  /**
   * Server -> client: this document is sealed (it reached the epoch size); new messages go
   * to the document named in the payload (a var string). Sent on connect to a sealed
   * document and instead of applying an update that adds messages to one.
   */
  sealed: 102,
} as const;

/** Limits enforced on both sides (the server is the authority). */
export const Limits = {
  /** Longest message text, in characters, after trimming. */
  maxMessageChars: 4000,
  /** Largest WebSocket frame the server accepts. */
  maxFrameBytes: 2 * 1024 * 1024,
  /** Largest JSON body the HTTP API accepts. */
  maxJsonBytes: 64 * 1024,
  /**
   * Most structs (items, GC runs) one document update may carry; more is refused (4400).
   * Bounds the validator's work per frame. Five times the default epoch size, so that a
   * whole live document re-sent in one sync step 2 still fits.
   */
  maxUpdateStructs: 50_000,
  /**
   * Most list items Yjs may have to scan past to place one update's new items: each item
   * anchored on a held item costs the length of the list behind that item, plus the
   * update's own items in that list. Appends to the end cost next to nothing; the limit is
   * a few hundred milliseconds of integration work at worst.
   */
  maxUpdateScanSteps: 1_000_000,
  /** Most delete-set ranges one document update may carry (a sync step 2 sends them all). */
  maxUpdateDeleteRanges: 100_000,
  /** Largest awareness state (JSON) per client. */
  maxAwarenessBytes: 1024,
  /**
   * How far a message's `at` may lie in the future of the server's clock. Generous, because a
   * refused update is final for the client and device clocks drift.
   */
  maxClockSkewMs: 60 * 60 * 1000,
  /** How far in the past a message's `at` may lie (offline for a long time). */
  maxMessageAgeMs: 366 * 24 * 60 * 60 * 1000,
  minPasswordChars: 10,
  maxPasswordChars: 200,
  maxDisplayNameChars: 60,
  maxEmailChars: 254,
  /**
   * Bytes a socket may have queued for sending before the server drops it (terminates the
   * connection): a reader this slow holds the server's memory. The client reconnects.
   */
  maxSocketBufferBytes: 4 * 1024 * 1024,
  /**
   * One frame may be larger than `maxSocketBufferBytes` (a big document's first sync); a
   * socket still holding more than that after this long is dropped the same way.
   */
  drainTimeoutMs: 30_000,
  /** The window of the byte budgets below (the frame count shares it). */
  budgetWindowMs: 10_000,
  /**
   * Bytes the server sends per socket per window in answer to sync step 1. A new device's
   * first sync of a full 10,000-message epoch is ~1.4 MB. Past it: close 1013.
   */
  maxSyncAnswerBytesPerSocket: 8 * 1024 * 1024,
  /** The same for all of one user's sockets together. */
  maxSyncAnswerBytesPerUser: 32 * 1024 * 1024,
  /**
   * Bytes the server accepts per socket per window (every frame). A reconnecting device's
   * sync step 2 is one frame (at most 2 MB; ~1.4 MB for a full epoch). Past it: close 1013.
   */
  maxIncomingBytesPerSocket: 6 * 1024 * 1024,
  /**
   * The same for all of one user's sockets together. It also bounds how fast one user can
   * grow a document, and so the cost of re-encoding it for the next sync step 1.
   */
  maxIncomingBytesPerUser: 12 * 1024 * 1024,
  /**
   * Bytes a socket may send while its document is still being read from the storage (they
   * wait, then are handled in order); past it the socket is closed with 1013.
   */
  maxFramesBytesWhileLoading: 4 * 1024 * 1024,
  /** Awareness-only client ids (never wrote to the document) kept per user per document. */
  maxAwarenessClientsPerUser: 32,
  historyPageMax: 200,
  historyPageDefault: 50,
} as const;
