/** Attachment rows in PostgreSQL (cluster mode). */
import type pg from 'pg';
import { first, rows, run, statement } from '../store/pg/pool';
import {
  COLUMNS,
  fromDb,
  toDb,
  type AttachmentDbRow,
  type AttachmentRow,
  type AttachmentStore,
} from './attachment-store';

const q = {
  insert: statement(
    `INSERT INTO attachments (${COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (conversation_id, uploader, upload_key) DO NOTHING`,
  ),
  byKey: statement(
    `SELECT ${COLUMNS} FROM attachments WHERE conversation_id = $1 AND uploader = $2 AND upload_key = $3`,
  ),
  byId: statement(`SELECT ${COLUMNS} FROM attachments WHERE id = $1`),
  bind: statement(
    `UPDATE attachments SET message_id = $1
     WHERE id = ANY($2::text[]) AND conversation_id = $3 AND message_id IS NULL`,
  ),
  deleteForMessages: statement(
    `DELETE FROM attachments WHERE conversation_id = $1 AND message_id = ANY($2::text[])
     RETURNING ${COLUMNS}`,
  ),
  deleteUnbound: statement(
    `DELETE FROM attachments WHERE message_id IS NULL AND created < $1 RETURNING ${COLUMNS}`,
  ),
  bytesOf: statement(
    'SELECT coalesce(sum(size), 0)::bigint AS n FROM attachments WHERE uploader = $1',
  ),
  uses: statement(
    'SELECT 1 AS one FROM attachments WHERE sha256 = $1 OR thumb_sha256 = $1 LIMIT 1',
  ),
};

export class PgAttachmentStore implements AttachmentStore {
  constructor(private readonly pool: pg.Pool) {}

  async insert(row: AttachmentRow): Promise<{ row: AttachmentRow; created: boolean }> {
    const created = (await run(this.pool, q.insert, toDb(row))) === 1;
    const stored = await this.byKey(row.conversationId, row.uploader, row.uploadKey);
    if (!stored) throw new Error('attachment row vanished');
    return { row: stored, created };
  }

  async byKey(
    conversationId: string,
    uploader: string,
    key: string,
  ): Promise<AttachmentRow | null> {
    const r = await first<AttachmentDbRow>(this.pool, q.byKey, [conversationId, uploader, key]);
    return r ? fromDb(r) : null;
  }

  async byId(id: string): Promise<AttachmentRow | null> {
    const r = await first<AttachmentDbRow>(this.pool, q.byId, [id]);
    return r ? fromDb(r) : null;
  }

  async bind(conversationId: string, messageId: string, ids: readonly string[]): Promise<void> {
    await run(this.pool, q.bind, [messageId, ids, conversationId]);
  }

  async deleteForMessages(
    conversationId: string,
    messageIds: readonly string[],
  ): Promise<AttachmentRow[]> {
    const r = await rows<AttachmentDbRow>(this.pool, q.deleteForMessages, [
      conversationId,
      messageIds,
    ]);
    return r.map(fromDb);
  }

  async deleteUnboundBefore(before: number): Promise<AttachmentRow[]> {
    return (await rows<AttachmentDbRow>(this.pool, q.deleteUnbound, [before])).map(fromDb);
  }

  async bytesOf(uploader: string): Promise<number> {
    return (await first<{ n: number }>(this.pool, q.bytesOf, [uploader]))?.n ?? 0;
  }

  async uses(sha256: string): Promise<boolean> {
    return (await first(this.pool, q.uses, [sha256])) !== undefined;
  }
}
