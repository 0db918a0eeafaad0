/** Types of the HTTP API's JSON bodies, shared by server and client. */
import type { AttachmentRef } from './schema';
import type { SnippetSegment } from './search-text';

export interface User {
  id: string;
  email: string;
  displayName: string;
  /** May open the admin page (docs/security.md, "Admin"). */
  admin: boolean;
  /** The profile's "about" line ('' when none). */
  about?: string;
  /** The profile photo's version (its URL is `photoUrl(id, avatar)`), or null: initials. */
  avatar?: string | null;
}

export interface DirectoryUser {
  id: string;
  displayName: string;
  online: boolean;
  /** Epoch ms of the last disconnect, or null when never seen or hidden. */
  lastSeen: number | null;
  /** The profile's "about" line ('' when none). */
  about?: string;
  /** The profile photo's version (its URL is `photoUrl(id, avatar)`), or null: initials. */
  avatar?: string | null;
}

/** An attachment as the history API shows it: the reference without its upload token. */
export type AttachmentInfo = Omit<AttachmentRef, 'token'>;

export interface MessageRecord {
  id: string;
  conversationId: string;
  from: string;
  /** The current text: the latest edit when there is one ('' once deleted). */
  text: string;
  at: number;
  /** Epoch ms of the latest edit, or null. */
  edited: number | null;
  deleted: boolean;
  /** The id of the message this one replies to (any epoch), or null. */
  replyTo: string | null;
  /** Each emoji with who reacted with it, in the order first used. */
  reactions: { emoji: string; users: string[] }[];
  attachments: AttachmentInfo[];
}

export interface ConversationSummary {
  id: string;
  /** The live document's name, synced at `/sync/<doc>`. */
  doc: string;
  /**
   * The live document's epoch: documents of epochs 0 … epoch − 1 are sealed (read-only
   * history, fetched from `/api/conversations/<id>/epochs/<n>`).
   */
  epoch: number;
  peer: DirectoryUser;
  lastMessage: MessageRecord | null;
  unread: number;
  /** True when the other person opened it and you are not contacts yet. */
  request: boolean;
  /** Epoch ms of the latest activity (last message, or creation). */
  activity: number;
  /** How long after sending a message may be edited (the server's EDIT_WINDOW_HOURS), in ms. */
  editWindowMs?: number;
  /** Notifications muted by you (on every device): until `until` (ms), or always (null). */
  muted: { until: number | null } | null;
  /**
   * False when read receipts are off in this conversation (either of you turned them off,
   * or it is a message request you received): your reads go to the server only
   * (`POST /api/conversations/:id/read`), never into the shared document, and the other
   * person's reads are not shown. Absent means true.
   */
  receipts?: boolean;
  /** Pinned by you (on every device): when, in ms (the latest pin is on top), or null. */
  pinned?: number | null;
  /** Archived by you: shown under "Archived", not in the main list. */
  archived?: boolean;
  /**
   * "Delete chat for me": messages whose `at` is at or before this (ms) are gone for you —
   * from history, the preview, unread and search, and from this device's view. null: never.
   */
  clearedAt?: number | null;
}

/** What a push notification shows (`GET`/`PUT /api/settings/notifications`). */
export interface NotificationSettings {
  /** The global switch. */
  enabled: boolean;
  preview: 'name-and-message' | 'name-only' | 'nothing';
}

/** How long `PUT /api/conversations/:id/mute` mutes. */
export type MuteDuration = '1h' | '8h' | '1w' | 'always';

export interface HistoryPage {
  messages: MessageRecord[];
  /** Cursor for the next (older) page, or null at the beginning. */
  next: string | null;
}

/** One message found by `GET /api/search`. */
export interface SearchResult {
  conversationId: string;
  /** The other participant of the conversation. */
  peer: DirectoryUser;
  message: MessageRecord;
  /** The message text around the match; `match` segments are the words found (render as text). */
  snippet: SnippetSegment[];
}

export interface SearchResults {
  results: SearchResult[];
}

/** Who sees your online status and last seen. */
export type LastSeenAudience = 'everyone' | 'contacts' | 'nobody';

/**
 * Your privacy settings (`GET`/`PUT /api/settings/privacy`), enforced by the server. Each
 * is reciprocal: what you do not share, you do not see of others.
 */
export interface PrivacySettings {
  /** Read receipts: off, nobody sees when you read their messages and you do not see theirs. */
  readReceipts: boolean;
  /** Online status and last seen: who sees yours (and so whose you see). */
  lastSeen: LastSeenAudience;
  /** Typing indicators: off, you neither send nor see "typing…". */
  typing: boolean;
  /** Whether someone who types your whole e-mail address finds you. */
  discoverableByEmail: boolean;
}

export const DEFAULT_PRIVACY: PrivacySettings = {
  readReceipts: true,
  lastSeen: 'everyone',
  typing: true,
  discoverableByEmail: true,
};
/** One signed-in device (session) of yours: `GET /api/account/sessions`. */
export interface DeviceSession {
  /** The device's id in this list (not the session's secret id). */
  id: string;
  /** "Firefox", "Chrome", "Safari" … from its User-Agent. */
  browser: string;
  /** "Windows", "macOS", "Android", "iOS", "Linux" … */
  platform: string;
  /** A location-free hint of the address it signed in from ("192.168.1.x"), or ''. */
  address: string;
  /** When it signed in (epoch ms). */
  created: number;
  /** When it was last active (epoch ms, up to a minute stale), or null. */
  lastActive: number | null;
  /** True for the device asking. */
  current: boolean;
}
