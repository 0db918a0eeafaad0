/**
 * One attachment upload over XMLHttpRequest (fetch cannot report upload progress): the raw
 * bytes as the body, the name and the retry key in headers. Resolves with the server's
 * `AttachmentRef` (carrying its token) or rejects with an `ApiError`; `signal` cancels.
 */
import { isApiErrorBody } from '../../shared/errors';
import {
  UploadHeaders,
  attachmentsPath,
  isAttachmentRef,
  type AttachmentRef,
} from '../../shared/attachments';
import { ApiError } from './api';

export interface UploadInput {
  conversationId: string;
  blob: Blob;
  name: string;
  /** Client-chosen, kept with the queued file: a retry returns the same attachment. */
  key: string;
  voice?: { durationMs: number };
}

export type UploadFn = (
  input: UploadInput,
  onProgress: (sent: number, total: number) => void,
  signal: AbortSignal,
) => Promise<AttachmentRef>;

export const cancelled = (): ApiError => new ApiError('network', 'The upload was cancelled.', 0);

export const uploadAttachment: UploadFn = (input, onProgress, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelled());
    const xhr = new XMLHttpRequest();
    xhr.open('POST', attachmentsPath(input.conversationId));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader(UploadHeaders.key, input.key);
    xhr.setRequestHeader(UploadHeaders.name, encodeURIComponent(input.name));
    if (input.voice) {
      xhr.setRequestHeader(UploadHeaders.kind, 'voice');
      xhr.setRequestHeader(UploadHeaders.durationMs, String(Math.round(input.voice.durationMs)));
    }
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : input.blob.size);
    const abort = (): void => xhr.abort();
    signal.addEventListener('abort', abort, { once: true });
    xhr.onabort = () => reject(cancelled());
    xhr.onerror = () => reject(new ApiError('network', "Can't reach Parley. Check your connection.", 0));
    xhr.onload = () => {
      signal.removeEventListener('abort', abort);
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const ref = (body as { attachment?: unknown } | null)?.attachment;
        if (isAttachmentRef(ref)) return resolve(ref);
        return reject(new ApiError('internal', 'The server sent an unexpected answer.', xhr.status));
      }
      if (isApiErrorBody(body))
        return reject(new ApiError(body.error.code, body.error.message, xhr.status));
      // Something in front of Parley answered (a proxy while the server restarts): retry later.
      reject(new ApiError('network', "Can't reach Parley. Check your connection.", xhr.status));
    };
    xhr.send(input.blob);
  });
