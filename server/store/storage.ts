/**
 * Storage: everything durable one deployment holds, behind one seam with two
 * implementations — SQLite (embedded, synchronous) and PostgreSQL (cluster, asynchronous).
 * Methods return `Awaitable` values: SQLite answers at once, PostgreSQL with a promise, and
 * callers `await` both. The storage owns the transaction of a document write: "append the
 * update + bind its client ids + project it + count the user's bytes" is one unit.
 */
import type { AdminStore } from './admin-store';
import type { ConversationStore, ProjectionChange } from './conversation-store';
import type { DocStore } from './doc-store';
import type { MessageSearch } from './message-search';
import type { PeopleStore } from './people-store';
import type { UserStore } from './user-store';
import type { PushStore } from '../push/push-store';
import type { ConversationPrefsStore } from './conversation-prefs';

/** A value now (SQLite) or later (PostgreSQL). */
export type Awaitable<T> = T | Promise<T>;

/** One accepted document update and everything stored with it. */
export interface DocWrite {
  doc: string;
  conversationId: string;
  participants: readonly [string, string];
  update: Uint8Array;
  /** The user whose socket sent it (client-id bindings, the storage quota). */
  userId: string;
  /** Yjs client ids this update is the first to write with: bound to `userId`. */
  newClients: readonly number[];
  /** What it changes in the messages projection, or null when nothing. */
  projection: ProjectionChange | null;
}

/** Per write of a batch: its log sequence, or why it was not stored. */
export type WriteResult = { ok: true; seq: number } | { ok: false; error: unknown };

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly users: UserStore;
  readonly people: PeopleStore;
  readonly conversations: ConversationStore;
  readonly docs: DocStore;
  /** Web Push subscriptions, notification settings and mutes. */
  readonly push: PushStore;
  /** Per-user conversation preferences: pinned, archived, "delete chat for me". */
  readonly prefs: ConversationPrefsStore;
  /** Admins, registration mode, invites, one-time links, audit log. */
  readonly admin: AdminStore;
  /** Full-text search over the messages projection. */
  readonly search: MessageSearch;
  /**
   * Commit a batch of writes in one transaction, each all-or-nothing (a savepoint each: one
   * failing write fails only itself). Resolves once the batch is durable.
   */
  commit(writes: readonly DocWrite[]): Awaitable<WriteResult[]>;
  /** Bytes of updates `userId` has stored (the storage quota). */
  storedBytes(userId: string): Awaitable<number>;
  /** Release connections and files. */
  close(): Promise<void>;
}
