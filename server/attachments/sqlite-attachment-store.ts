/** Attachment rows in the embedded SQLite file. */
import type { Db } from '../store/database';
import {
  COLUMNS,
  fromDb,
  toDb,
  type AttachmentDbRow,
  type AttachmentRow,
  type AttachmentStore,
} from './attachment-store';

export class SqliteAttachmentStore implements AttachmentStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO attachments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id, uploader, upload_key) DO NOTHING`,
      ),
      byKey: db.prepare<[string, string, string], AttachmentDbRow>(
        `SELECT ${COLUMNS} FROM attachments WHERE conversation_id = ? AND uploader = ? AND upload_key = ?`,
      ),
      byId: db.prepare<[string], AttachmentDbRow>(
        `SELECT ${COLUMNS} FROM attachments WHERE id = ?`,
      ),
      bind: db.prepare<[string, string, string]>(
        'UPDATE attachments SET message_id = ? WHERE id = ? AND conversation_id = ? AND message_id IS NULL',
      ),
      forMessage: db.prepare<[string, string], AttachmentDbRow>(
        `SELECT ${COLUMNS} FROM attachments WHERE conversation_id = ? AND message_id = ?`,
      ),
      unbound: db.prepare<[number], AttachmentDbRow>(
        `SELECT ${COLUMNS} FROM attachments WHERE message_id IS NULL AND created < ?`,
      ),
      delete: db.prepare<[string]>('DELETE FROM attachments WHERE id = ?'),
      bytesOf: db.prepare<[string], { n: number | null }>(
        'SELECT sum(size) AS n FROM attachments WHERE uploader = ?',
      ),
      uses: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM attachments WHERE sha256 = ? OR thumb_sha256 = ? LIMIT 1',
      ),
    };
  }

  insert(row: AttachmentRow): Promise<{ row: AttachmentRow; created: boolean }> {
    const created = this.q.insert.run(...toDb(row)).changes === 1;
    const stored = this.q.byKey.get(row.conversationId, row.uploader, row.uploadKey);
    if (!stored) throw new Error('attachment row vanished');
    return Promise.resolve({ row: fromDb(stored), created });
  }

  byKey(conversationId: string, uploader: string, key: string): Promise<AttachmentRow | null> {
    const r = this.q.byKey.get(conversationId, uploader, key);
    return Promise.resolve(r ? fromDb(r) : null);
  }

  byId(id: string): Promise<AttachmentRow | null> {
    const r = this.q.byId.get(id);
    return Promise.resolve(r ? fromDb(r) : null);
  }

  bind(conversationId: string, messageId: string, ids: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const id of ids) this.q.bind.run(messageId, id, conversationId);
    })();
    return Promise.resolve();
  }

  deleteForMessages(
    conversationId: string,
    messageIds: readonly string[],
  ): Promise<AttachmentRow[]> {
    const gone = this.db.transaction(() => {
      const out: AttachmentRow[] = [];
      for (const m of messageIds)
        for (const r of this.q.forMessage.all(conversationId, m)) {
          this.q.delete.run(r.id);
          out.push(fromDb(r));
        }
      return out;
    })();
    return Promise.resolve(gone);
  }

  deleteUnboundBefore(before: number): Promise<AttachmentRow[]> {
    const gone = this.db.transaction(() => {
      const rows = this.q.unbound.all(before);
      for (const r of rows) this.q.delete.run(r.id);
      return rows.map(fromDb);
    })();
    return Promise.resolve(gone);
  }

  bytesOf(uploader: string): Promise<number> {
    return Promise.resolve(this.q.bytesOf.get(uploader)?.n ?? 0);
  }

  uses(sha256: string): Promise<boolean> {
    return Promise.resolve(this.q.uses.get(sha256, sha256) !== undefined);
  }
}
