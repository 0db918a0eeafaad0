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
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** y-websocket message types, plus Parley's own. */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /**
   * Server -> client: the server's state vector after it durably stored an update
   * from this connection (or on connect). Items at or below it are "sent".
   */
  ack: 100,
  /**
   * Server -> client: the other participant's acknowledged state vector (what their
   * device holds). Items at or below it are "delivered". Client -> server: this
   * device's state vector after applying remote updates.
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
  historyPageMax: 200,
  historyPageDefault: 50,
} as const;
