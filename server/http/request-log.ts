/**
 * The request log (pino-http): one line per finished HTTP request with its id, method, path,
 * status and time. The id is the trusted proxy's `X-Request-Id` when it sent a well-formed
 * one (nginx's `$request_id`, so its access log and ours name the same request), otherwise
 * a fresh one; it is echoed back in `X-Request-Id`.
 *
 * What never reaches a line: bodies, headers (cookies, authorization), query values (a
 * reset or invite link's token), the signed-in session. Only paths and query *names*.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import pino from 'pino';
import type { Logger } from '../logger';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The path with each query value replaced: `/x?token=[redacted]`. */
export function safeUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => `${p.split('=')[0] ?? ''}=[redacted]`);
  return `${url.slice(0, q)}?${names.join('&')}`;
}

/** The request's whole path (Express shortens `url` inside routers), query values redacted. */
const urlOf = (req: IncomingMessage & { originalUrl?: string }): string =>
  safeUrl(req.originalUrl ?? req.url ?? '');

/**
 * @param trusted whether a request's immediate peer is a trusted proxy (Express's compiled
 *   `trust proxy` function applied to the socket's address)
 */
export function requestLog(
  log: Logger,
  trusted: (address: string | undefined) => boolean,
): RequestHandler {
  const logger = log.pino ?? pino({ level: 'silent' });
  const middleware = pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id =
        typeof given === 'string' && REQUEST_ID.test(given) && trusted(req.socket.remoteAddress)
          ? given
          : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Health probes every few seconds would drown everything else.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${urlOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${urlOf(req)} ${res.statusCode}`,
    // Raw objects in, only these fields out (no headers, no body, no session).
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id?: unknown; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: urlOf(req),
        ip: req.ip,
      }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
  });
  return middleware;
}
