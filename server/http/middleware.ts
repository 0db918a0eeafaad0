/** Express middleware: security headers, Origin (CSRF) check, session guard, errors. */
import type { NextFunction, Request, Response } from 'express';
import type { UserRow } from '../store/user-store';
import type { Sessions } from '../auth/session';
import { AppError } from '../errors';
import type { Logger } from '../logger';

export interface Locals {
  user: UserRow;
  sid: string;
}

/** The signed-in user of a request that passed `requireUser`. */
export const locals = (res: Response): Locals => res.locals as Locals;

export function securityHeaders(secure: boolean) {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

/** Refuse state-changing requests whose Origin is not the app's own. */
export function originCheck(isAllowedOrigin: (origin: string | undefined) => boolean) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    if (!isAllowedOrigin(req.headers.origin)) {
      return next(
        new AppError(
          'forbidden',
          'This request must come from the Parley app (Origin check failed).',
        ),
      );
    }
    next();
  };
}

/** Resolve the session; 401 when there is none. Stores the user in `res.locals`. */
export function requireUser(sessions: Sessions) {
  return async (
    req: Request,
    res: Response<unknown, Locals>,
    next: NextFunction,
  ): Promise<void> => {
    const found = await sessions.fromRequest(req);
    if (!found) return next(new AppError('unauthenticated', 'Sign in to continue.'));
    res.locals.user = found.user;
    res.locals.sid = found.sid;
    next();
  };
}

export function errorMiddleware(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      res.status(err.status).json({ error: { code: err.code, message: err.message } });
      return;
    }
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: { code: 'too-large', message: 'The request body is too large.' } });
      return;
    }
    if (
      e.type === 'entity.parse.failed' ||
      e.type === 'encoding.unsupported' ||
      e.type === 'charset.unsupported'
    ) {
      res
        .status(400)
        .json({ error: { code: 'invalid-input', message: 'The request body is not valid JSON.' } });
      return;
    }
    log.error('unhandled error', {
      method: req.method,
      path: req.path,
      error: String((err as Error)?.stack ?? err),
    });
    res
      .status(500)
      .json({ error: { code: 'internal', message: 'Something went wrong, try again.' } });
  };
}
