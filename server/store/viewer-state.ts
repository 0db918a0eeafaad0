/**
 * `ConversationPrefsStore.viewerState` in SQL, for both databases: the viewer's preferences,
 * mute, "declined" and unread count of one conversation in one statement. `user` and
 * `conversation` are the placeholders (`?` twice each for SQLite, `$1`/`$2` for PostgreSQL).
 */
import type { ViewerState } from './conversation-prefs';
import { toPrefs } from './sqlite-conversation-prefs';

export function viewerStateSql(user: string, conversation: string): string {
  return `SELECT p.pinned_at, p.archived, p.cleared_at,
       m.user_id IS NOT NULL AS muted, m.until,
       EXISTS (SELECT 1 FROM conversation_hidden h
               WHERE h.conversation_id = ${conversation} AND h.user_id = ${user}) AS hidden,
       coalesce((SELECT u.n FROM unread_counts u
                 WHERE u.conversation_id = ${conversation} AND u.user_id = ${user}), 0) AS unread
     FROM (SELECT 1) AS one
     LEFT JOIN conversation_prefs p ON p.user_id = ${user} AND p.conversation_id = ${conversation}
     LEFT JOIN conversation_mutes m ON m.user_id = ${user} AND m.conversation_id = ${conversation}`;
}

/** A row of `viewerStateSql` (SQLite answers 0/1 and numbers, PostgreSQL booleans and strings). */
export interface ViewerStateRow {
  pinned_at: number | string | null;
  archived: number | boolean | null;
  cleared_at: number | string | null;
  muted: number | boolean;
  until: number | string | null;
  hidden: number | boolean;
  unread: number | string;
}

export function toViewerState(r: ViewerStateRow): ViewerState {
  const muted = r.muted === true || r.muted === 1;
  return {
    prefs: toPrefs({ ...r, archived: r.archived ?? false }),
    mute: muted ? { until: r.until === null ? null : Number(r.until) } : null,
    hidden: r.hidden === true || r.hidden === 1,
    unread: Number(r.unread),
  };
}
