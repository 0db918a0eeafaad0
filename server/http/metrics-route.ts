/**
 * Serving `/metrics` (Prometheus text format). Two ways, either or both:
 * - on the main port, to a request with `Authorization: Bearer <METRICS_TOKEN>` (401
 *   without it; 404 when no token is configured);
 * - on a listener of its own, bound to 127.0.0.1:METRICS_PORT (a scraper on the machine),
 *   which serves nothing else. With a token configured it asks for the token there too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import type { Metrics } from '../metrics';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Does the request carry the token? (Constant-time over the tokens' digests.) */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return false;
  return timingSafeEqual(digest(m[1]), digest(token));
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ error: { code, message } }));
}

async function answer(
  metrics: Metrics,
  token: string | null,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (token !== null && !bearerMatches(req.headers.authorization, token)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="parley-metrics"');
    return error(res, 401, 'unauthenticated', 'Metrics need the METRICS_TOKEN bearer token.');
  }
  const body = await metrics.text();
  res.statusCode = 200;
  res.setHeader('Content-Type', metrics.contentType);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

/** `GET /metrics` on the main port: only with a token configured, and only to its bearer. */
export function metricsOnMainPort(metrics: Metrics, token: string | null) {
  return (req: Request, res: Response): void => {
    if (token === null) return error(res, 404, 'not-found', 'Metrics are not served on this port.');
    answer(metrics, token, req, res).catch(() =>
      error(res, 500, 'internal', 'Collecting metrics failed.'),
    );
  };
}

/** The metrics-only listener on 127.0.0.1:`port` (0 picks a free port). */
export async function startMetricsServer(
  metrics: Metrics,
  port: number,
  token: string | null,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics')
      return error(res, 404, 'not-found', 'Only GET /metrics is served here.');
    answer(metrics, token, req, res).catch(() =>
      error(res, 500, 'internal', 'Collecting metrics failed.'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
