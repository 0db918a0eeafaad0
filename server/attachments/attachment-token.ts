/**
 * The attachment token: an HMAC proving that the server stored these bytes for this uploader
 * in this conversation, with exactly these fields. The validator checks it synchronously
 * (`ValidationContext.verifyAttachment`) before a message referencing the attachment is
 * accepted, so nobody can reference someone else's upload or change a field.
 * The key is derived from SESSION_SECRET (the same on every process of a cluster).
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { AttachmentRef } from '../../shared/attachments';

export class AttachmentTokens {
  private readonly key: Buffer;

  constructor(sessionSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', sessionSecret, 'parley', 'attachment-token v1', 32));
  }

  /** The token for `ref` (its `token` field is ignored) uploaded by `uploader` to `conversationId`. */
  sign(conversationId: string, uploader: string, ref: Omit<AttachmentRef, 'token'>): string {
    const fields = [
      conversationId,
      uploader,
      ref.id,
      ref.kind,
      ref.name,
      ref.type,
      ref.size,
      ref.width ?? null,
      ref.height ?? null,
      ref.durationMs ?? null,
    ];
    return createHmac('sha256', this.key).update(JSON.stringify(fields)).digest('base64url');
  }

  /** True when `ref.token` is the server's token for `userId` uploading `ref` to `conversationId`. */
  verify(conversationId: string, ref: AttachmentRef, userId: string): boolean {
    if (typeof ref.token !== 'string') return false;
    const expected = Buffer.from(this.sign(conversationId, userId, ref));
    const given = Buffer.from(ref.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
