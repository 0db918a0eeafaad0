/** Types of the HTTP API's JSON bodies, shared by server and client. */
import type { SnippetSegment } from './search-text';

export interface User {
  id: string;
  email: string;
  displayName: string;
}

export interface DirectoryUser {
  id: string;
  displayName: string;
  online: boolean;
  /** Epoch ms of the last disconnect, or null when never seen or hidden. */
  lastSeen: number | null;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  from: string;
  text: string;
  at: number;
  edited: number | null;
  deleted: boolean;
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
  /** Notifications muted by you (on every device): until `until` (ms), or always (null). */
  muted: { until: number | null } | null;
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
