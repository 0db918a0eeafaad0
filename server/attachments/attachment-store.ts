/**
 * The attachments' rows: who uploaded what to which conversation, its blob and thumbnail,
 * and the message it belongs to once one references it. SQLite (embedded) and PostgreSQL
 * (cluster) implement it (sqlite-attachment-store.ts, pg-attachment-store.ts).
 */
import type { AttachmentKind } from '../../shared/attachments';

export interface AttachmentRow {
  id: string;
  conversationId: string;
  uploader: string;
  uploadKey: string;
  sha256: string;
  thumbSha256: string | null;
  kind: AttachmentKind;
  type: string;
  name: string;
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  created: number;
  /** The message referencing it, once committed; null while only its uploader may fetch it. */
  messageId: string | null;
}

export interface AttachmentStore {
  /** Insert `row`, or return the row stored earlier under the same conversation, uploader and key. */
  insert(row: AttachmentRow): Promise<{ row: AttachmentRow; created: boolean }>;
  byKey(conversationId: string, uploader: string, uploadKey: string): Promise<AttachmentRow | null>;
  byId(id: string): Promise<AttachmentRow | null>;
  /** Bind unbound uploads of this conversation to `messageId`. */
  bind(conversationId: string, messageId: string, ids: readonly string[]): Promise<void>;
  /** Delete the rows of these messages; returns them. */
  deleteForMessages(
    conversationId: string,
    messageIds: readonly string[],
  ): Promise<AttachmentRow[]>;
  /** Delete uploads never referenced by a message and created before `before`; returns them. */
  deleteUnboundBefore(before: number): Promise<AttachmentRow[]>;
  /** Bytes of every attachment `uploader` stored (ATTACHMENT_QUOTA_MB). */
  bytesOf(uploader: string): Promise<number>;
  /** Does any row still use this hash (as its bytes or as its thumbnail)? */
  uses(sha256: string): Promise<boolean>;
}

/** Column names <-> row fields, shared by both dialects. */
export const COLUMNS =
  'id, conversation_id, uploader, upload_key, sha256, thumb_sha256, kind, type, name, size, width, height, duration_ms, created, message_id';

export interface AttachmentDbRow {
  id: string;
  conversation_id: string;
  uploader: string;
  upload_key: string;
  sha256: string;
  thumb_sha256: string | null;
  kind: AttachmentKind;
  type: string;
  name: string;
  size: number;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  created: number;
  message_id: string | null;
}

export function fromDb(r: AttachmentDbRow): AttachmentRow {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    uploader: r.uploader,
    uploadKey: r.upload_key,
    sha256: r.sha256,
    thumbSha256: r.thumb_sha256,
    kind: r.kind,
    type: r.type,
    name: r.name,
    size: r.size,
    width: r.width,
    height: r.height,
    durationMs: r.duration_ms,
    created: r.created,
    messageId: r.message_id,
  };
}

export function toDb(r: AttachmentRow): unknown[] {
  return [
    r.id,
    r.conversationId,
    r.uploader,
    r.uploadKey,
    r.sha256,
    r.thumbSha256,
    r.kind,
    r.type,
    r.name,
    r.size,
    r.width,
    r.height,
    r.durationMs,
    r.created,
    r.messageId,
  ];
}
