/**
 * Attachments over HTTP: upload (a participant, streamed, limited, typed from the bytes) and
 * download (participants only; until a committed message references it, its uploader only).
 * Downloads are sandboxed and never sniffed; anything but a re-encoded photo is a download.
 */
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  ATTACHMENT_ID,
  INLINE_IMAGE_TYPES,
  MAX_VOICE_MS,
  UPLOAD_KEY,
  UploadHeaders,
  type AttachmentRef,
} from '../../shared/attachments';
import { CONVERSATION_ID } from '../../shared/protocol';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { ConversationRow, ConversationStore } from '../store/conversation-store';
import type { AttachmentRow, AttachmentStore } from '../attachments/attachment-store';
import type { BlobStore } from '../attachments/blob-store';
import type { AttachmentTokens } from '../attachments/attachment-token';
import type { AttachmentLifecycle } from '../attachments/attachment-lifecycle';
import { receiveUpload } from '../attachments/receive-upload';
import { inspectAndStore } from '../attachments/inspect-upload';
import { locals, requireUser } from './middleware';
import { parse } from './schemas';

export interface AttachmentDeps {
  sessions: Sessions;
  conversations: ConversationStore;
  store: AttachmentStore;
  blobs: BlobStore;
  tokens: AttachmentTokens;
  lifecycle: AttachmentLifecycle;
  maxUploadBytes: number;
  /** Bytes of attachments one user may store in all. */
  quotaBytes: number;
  /** Where uploads wait while they are inspected (a local directory). */
  tmpDir: string;
}

const noSuchConversation = { code: 'not-found', message: 'No such conversation.' } as const;
const noSuchAttachment = { code: 'not-found', message: 'No such attachment.' } as const;

const conversationParams = z.object({ id: z.string().regex(CONVERSATION_ID) });
const attachmentParams = z.object({
  id: z.string().regex(CONVERSATION_ID),
  attId: z.string().regex(ATTACHMENT_ID),
});

const uploadHeaders = z.object({
  [UploadHeaders.key]: z
    .string({ error: 'The Upload-Key header is required (16–64 letters, digits, - or _).' })
    .regex(UPLOAD_KEY, 'The Upload-Key header must be 16–64 letters, digits, - or _.'),
  [UploadHeaders.name]: z
    .string()
    .max(2000, 'The file name is too long.')
    .optional()
    .transform((raw) => cleanName(raw)),
  [UploadHeaders.kind]: z.enum(['voice', 'file', 'image']).optional(),
  [UploadHeaders.durationMs]: z
    .string()
    .regex(/^[0-9]{1,8}$/, 'X-Duration-Ms must be whole milliseconds.')
    .transform(Number)
    .pipe(z.number().int().max(MAX_VOICE_MS, 'A voice note may be at most 30 minutes long.'))
    .optional(),
});

/** Control characters and bidirectional overrides: never in a displayed name. */
const isInvisible = (c: number): boolean =>
  c < 0x20 ||
  (c >= 0x7f && c <= 0x9f) ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2066 && c <= 0x2069);

/** A display name from the client's percent-encoded header: no paths, no control characters. */
function cleanName(raw: string | undefined): string {
  let name = '';
  try {
    name = raw ? decodeURIComponent(raw) : '';
  } catch {
    name = '';
  }
  name = [...name]
    .filter((ch) => !isInvisible(ch.codePointAt(0) ?? 0))
    .join('')
    .split(/[/\\]/)
    .pop()!
    .trim();
  if (name.length > 255) name = name.slice(-255);
  return name === '' || name === '.' || name === '..' ? 'file' : name;
}

export function toRef(tokens: AttachmentTokens, row: AttachmentRow): AttachmentRef {
  const ref: Omit<AttachmentRef, 'token'> = {
    id: row.id,
    kind: row.kind,
    name: row.name,
    type: row.type,
    size: row.size,
    ...(row.width !== null ? { width: row.width } : {}),
    ...(row.height !== null ? { height: row.height } : {}),
    ...(row.durationMs !== null ? { durationMs: row.durationMs } : {}),
  };
  return { ...ref, token: tokens.sign(row.conversationId, row.uploader, ref) };
}

/** A `filename` parameter safe in a header, with the exact name in `filename*`. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** One `bytes=a-b` range within `size`, or null (whole body), or 'invalid' (416). */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

export function attachmentsRouter(deps: AttachmentDeps): Router {
  const r = Router();
  const { conversations, store, blobs, tokens } = deps;
  const signedIn = requireUser(deps.sessions);

  const own = async (id: string, self: string): Promise<ConversationRow> => {
    const c = await conversations.byId(id);
    if (!c) throw new AppError(noSuchConversation.code, noSuchConversation.message);
    if (c.userA !== self && c.userB !== self)
      throw new AppError('forbidden', 'You are not part of this conversation.');
    return c;
  };

  r.post('/conversations/:id/attachments', signedIn, async (req, res) => {
    const me = locals(res).user.id;
    const { id } = parse(conversationParams, req.params, noSuchConversation);
    const c = await own(id, me);
    const headers = parse(uploadHeaders, req.headers);
    const key = headers[UploadHeaders.key];
    const length = req.headers['content-length'];
    const received = await receiveUpload(
      req,
      length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
      deps.maxUploadBytes,
      deps.tmpDir,
    );
    try {
      // A retry of an upload that was stored (its answer was lost): the same attachment.
      const earlier = await store.byKey(c.id, me, key);
      if (earlier) {
        res.status(200).json({ attachment: toRef(tokens, earlier) });
        return;
      }
      if ((await store.bytesOf(me)) + received.size > deps.quotaBytes)
        throw new AppError(
          'too-large',
          'Your attachment storage is full: delete messages with attachments to make room.',
        );
      const wantsVoice = headers[UploadHeaders.kind] === 'voice';
      const got = await inspectAndStore(received.path, received.size, wantsVoice, blobs);
      const duration = headers[UploadHeaders.durationMs];
      const { row, created } = await store.insert({
        id: `a_${randomBytes(15).toString('base64url')}`,
        conversationId: c.id,
        uploader: me,
        uploadKey: key,
        sha256: got.sha256,
        thumbSha256: got.thumbSha256,
        kind: got.kind,
        type: got.type,
        name: headers[UploadHeaders.name],
        size: got.size,
        width: got.width,
        height: got.height,
        durationMs: got.kind === 'voice' ? (duration ?? 0) : null,
        created: Date.now(),
        messageId: null,
      });
      res.status(created ? 201 : 200).json({ attachment: toRef(tokens, row) });
    } finally {
      await received.discard();
    }
  });

  /** The row if `me` may download it now. */
  const readable = async (req: Request, res: Response): Promise<AttachmentRow> => {
    const me = locals(res).user.id;
    const { id, attId } = parse(attachmentParams, req.params, noSuchAttachment);
    const c = await own(id, me);
    let row = await store.byId(attId);
    if (!row || row.conversationId !== c.id)
      throw new AppError(noSuchAttachment.code, noSuchAttachment.message);
    if (row.messageId === null && row.uploader !== me) {
      // The message may have committed a moment ago: its binding is on its way.
      await deps.lifecycle.settled();
      for (let i = 0; i < 10 && row?.messageId === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        row = await store.byId(attId);
      }
      if (!row) throw new AppError(noSuchAttachment.code, noSuchAttachment.message);
      if (row.messageId === null)
        throw new AppError('forbidden', 'This attachment has not been sent to you.');
    }
    return row;
  };

  const send = async (req: Request, res: Response, thumb: boolean): Promise<void> => {
    const row = await readable(req, res);
    const sha = thumb ? row.thumbSha256 : row.sha256;
    if (!sha) throw new AppError(noSuchAttachment.code, 'This attachment has no thumbnail.');
    const info = await blobs.stat(sha);
    if (!info) throw new AppError(noSuchAttachment.code, noSuchAttachment.message);
    const inline = thumb || (row.kind === 'image' && INLINE_IMAGE_TYPES.has(row.type));
    const type = thumb
      ? 'image/webp'
      : inline || row.kind === 'voice'
        ? row.type
        : 'application/octet-stream';
    res.setHeader('Content-Type', type);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Content-Disposition', disposition(inline ? 'inline' : 'attachment', row.name));
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.setHeader('ETag', `"${sha}"`);
    res.setHeader('Accept-Ranges', 'bytes');
    if (req.headers['if-none-match'] === `"${sha}"`) {
      res.status(304).end();
      return;
    }
    const range = parseRange(req.headers.range, info.size);
    if (range === 'invalid') {
      res.setHeader('Content-Range', `bytes */${info.size}`);
      res.status(416).end();
      return;
    }
    const stream = await blobs.get(sha, range ?? undefined);
    if (!stream) throw new AppError(noSuchAttachment.code, noSuchAttachment.message);
    if (range) {
      res.status(206);
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
      res.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      res.setHeader('Content-Length', String(info.size));
    }
    if (req.method === 'HEAD') {
      stream.destroy();
      res.end();
      return;
    }
    try {
      await pipeline(stream, res);
    } catch (e) {
      // The client went away mid-download (or a read failed after the headers went out):
      // nothing more can be said on this response.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      throw e;
    }
  };

  r.get('/conversations/:id/attachments/:attId', signedIn, (req, res) => send(req, res, false));
  r.get('/conversations/:id/attachments/:attId/thumb', signedIn, (req, res) =>
    send(req, res, true),
  );

  return r;
}
