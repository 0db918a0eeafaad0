/**
 * Attachments as messages carry them (contract of issue #12): `AttachmentRef` and its guard,
 * the upload headers and the path helpers. Runs in the browser, the server and the worker.
 */

export type AttachmentKind = 'image' | 'file' | 'voice';

/** One attachment of a message (`messages[i].attachments`). */
export interface AttachmentRef {
  id: string;
  kind: AttachmentKind;
  name: string;
  type: string;
  size: number;
  width?: number;
  height?: number;
  durationMs?: number;
  /** The server's proof that this user uploaded these bytes to this conversation. */
  token: string;
}

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

function isDimension(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1_000_000_000;
}

function optional(v: unknown, check: (v: unknown) => boolean): boolean {
  return v === undefined || check(v);
}

const ALLOWED = ['id', 'kind', 'name', 'type', 'size', 'width', 'height', 'durationMs', 'token'];

/** Strict shape check (the server's writes); readers may skip refs that fail it. */
export function isAttachmentRef(value: unknown): value is AttachmentRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const v = value as Record<string, unknown>;
  if (!Object.keys(v).every((k) => ALLOWED.includes(k))) return false;
  return (
    typeof v.id === 'string' &&
    ATTACHMENT_ID.test(v.id) &&
    (v.kind === 'image' || v.kind === 'file' || v.kind === 'voice') &&
    typeof v.name === 'string' &&
    v.name.length >= 1 &&
    v.name.length <= 255 &&
    typeof v.type === 'string' &&
    v.type.length >= 1 &&
    v.type.length <= 127 &&
    isDimension(v.size) &&
    optional(v.width, isDimension) &&
    optional(v.height, isDimension) &&
    optional(v.durationMs, isDimension) &&
    typeof v.token === 'string' &&
    v.token.length >= 16 &&
    v.token.length <= 128
  );
}

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
