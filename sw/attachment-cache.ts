/**
 * Attachment downloads, cache first: once seen, a photo, thumbnail, file or voice note is
 * answered from Cache Storage (`parley-attachments`), also offline. Only complete 200
 * answers are kept; a Range request (audio seeking) is cut from the cached copy.
 */
/// <reference lib="webworker" />
import type { RouteHandlerCallback } from 'workbox-core';

export const ATTACHMENT_CACHE = 'parley-attachments';
const PATH = /^\/api\/conversations\/[^/]+\/attachments\/a_[A-Za-z0-9_-]{20}(\/thumb)?$/;

export const isAttachmentRequest = (url: URL, request: Request): boolean =>
  request.method === 'GET' && url.origin === self.location.origin && PATH.test(url.pathname);

/** The cached copy of the whole file for `url`, fetching and keeping it when missing. */
async function whole(url: string): Promise<Response> {
  const cache = await caches.open(ATTACHMENT_CACHE);
  const hit = await cache.match(url);
  if (hit) return hit;
  const response = await fetch(url, { credentials: 'same-origin' });
  if (response.status === 200) await cache.put(url, response.clone());
  return response;
}

function slice(response: Response, blob: Blob, range: string): Response {
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  const size = blob.size;
  if (!m || (m[1] === '' && m[2] === '')) return response;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] !== '' && m[2] !== '' ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (start > end || start >= size)
    return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  const headers = new Headers(response.headers);
  headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
  headers.set('Content-Length', String(end - start + 1));
  return new Response(blob.slice(start, end + 1), { status: 206, headers });
}

export const serveAttachment: RouteHandlerCallback = async ({ request, url }) => {
  const range = request.headers.get('range');
  try {
    const response = await whole(url.href);
    if (!range || response.status !== 200) return response;
    return slice(response, await response.blob(), range);
  } catch {
    return Response.error();
  }
};
