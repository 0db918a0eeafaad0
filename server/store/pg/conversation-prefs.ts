/** ConversationPrefsStore on PostgreSQL (cluster mode): one statement per method. */
import type pg from 'pg';
import {
  NO_PREFS,
  type ConversationPrefs,
  type ConversationPrefsStore,
  type ViewerState,
} from '../conversation-prefs';
import { toViewerState, viewerStateSql, type ViewerStateRow } from '../viewer-state';
import { toPrefs } from '../sqlite-conversation-prefs';
import { first, run, statement } from './pool';

const q = {
  viewerState: statement(viewerStateSql('$1', '$2')),
  get: statement(
    'SELECT pinned_at, archived, cleared_at FROM conversation_prefs WHERE user_id = $1 AND conversation_id = $2',
  ),
  // One statement: pinned already, or fewer than $4 other pins (two devices pinning at the
  // very same moment may each pass the count; the limit is a courtesy, not a security rule).
  pin: statement(
    `INSERT INTO conversation_prefs (user_id, conversation_id, pinned_at)
     SELECT $1, $2, $3
     WHERE EXISTS (SELECT 1 FROM conversation_prefs
                   WHERE user_id = $1 AND conversation_id = $2 AND pinned_at IS NOT NULL)
        OR (SELECT count(*) FROM conversation_prefs
            WHERE user_id = $1 AND conversation_id <> $2 AND pinned_at IS NOT NULL) < $4
     ON CONFLICT (user_id, conversation_id)
     DO UPDATE SET pinned_at = coalesce(conversation_prefs.pinned_at, excluded.pinned_at)`,
  ),
  unpin: statement(
    'UPDATE conversation_prefs SET pinned_at = NULL WHERE user_id = $1 AND conversation_id = $2',
  ),
  archive: statement(
    `INSERT INTO conversation_prefs (user_id, conversation_id, archived) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, conversation_id) DO UPDATE SET archived = excluded.archived`,
  ),
  clear: statement(
    `WITH prefs AS (
       INSERT INTO conversation_prefs (user_id, conversation_id, cleared_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, conversation_id) DO UPDATE SET pinned_at = NULL, archived = false,
         cleared_at = greatest(coalesce(conversation_prefs.cleared_at, 0), excluded.cleared_at)
       RETURNING 1
     )
     UPDATE unread_counts SET n = 0 WHERE user_id = $1 AND conversation_id = $2`,
  ),
};

export class PgConversationPrefs implements ConversationPrefsStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(userId: string, conversationId: string): Promise<ConversationPrefs> {
    const r = await first<{
      pinned_at: string | null;
      archived: boolean;
      cleared_at: string | null;
    }>(this.pool, q.get, [userId, conversationId]);
    return r ? toPrefs(r) : NO_PREFS;
  }

  async viewerState(userId: string, conversationId: string): Promise<ViewerState> {
    const r = await first<ViewerStateRow>(this.pool, q.viewerState, [userId, conversationId]);
    if (!r) throw new Error('the viewer state query answered no row');
    return toViewerState(r);
  }

  async setPinned(
    userId: string,
    conversationId: string,
    at: number | null,
    max: number,
  ): Promise<boolean> {
    if (at === null) {
      await run(this.pool, q.unpin, [userId, conversationId]);
      return true;
    }
    return (await run(this.pool, q.pin, [userId, conversationId, at, max])) > 0;
  }

  async setArchived(userId: string, conversationId: string, archived: boolean): Promise<void> {
    await run(this.pool, q.archive, [userId, conversationId, archived]);
  }

  async clear(userId: string, conversationId: string, at: number): Promise<void> {
    await run(this.pool, q.clear, [userId, conversationId, at]);
  }
}
