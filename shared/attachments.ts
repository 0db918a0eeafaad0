/**
 * Attachments as messages carry them (contract of issue #12): `AttachmentRef` and its guard,
 * the upload headers and the path helpers. Runs in the browser, the server and the worker.
 */

export type { AttachmentKind, AttachmentRef } from './schema';
export { isAttachmentRef } from './schema';

export const ATTACHMENT_ID = /^a_[A-Za-z0-9_-]{20}$/;
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** Longest voice note (client-declared duration, ms): 30 minutes. */
export const MAX_VOICE_MS = 30 * 60 * 1000;

/** Request headers of `POST /api/conversations/:id/attachments` (the body is the raw bytes). */
export const UploadHeaders = {
  /** Client-chosen key: a retried upload with the same key returns the same attachment. */
  key: 'upload-key',
  /** The file's name, percent-encoded (encodeURIComponent). */
  name: 'x-file-name',
  /** `voice` for a recorded voice note; anything else is detected from the bytes. */
  kind: 'x-attachment-kind',
  /** A voice note's duration in whole milliseconds, as the recorder measured it. */
  durationMs: 'x-duration-ms',
} as const;

export const UPLOAD_KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** Types the server re-encodes and serves inline (everything else is a download). */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
]);

export const attachmentsPath = (conversationId: string): string =>
  `/api/conversations/${encodeURIComponent(conversationId)}/attachments`;

export const attachmentPath = (conversationId: string, id: string, thumb = false): string =>
  `${attachmentsPath(conversationId)}/${encodeURIComponent(id)}${thumb ? '/thumb' : ''}`;

/** "2.4 MB" */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** "0:07", "12:34" */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
