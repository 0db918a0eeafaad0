/** Register, sign in, sign out, and who am I. */
import { Router, type Request } from 'express';
import { checkDisplayName, checkPassword, isObject, normalizeEmail } from '../../shared/validate';
import type { User } from '../../shared/api';
import { AppError } from '../errors';
import type { Passwords } from '../auth/passwords';
import type { Sessions } from '../auth/session';
import type { Throttle } from '../auth/throttle';
import type { UserRow, UserStore } from '../store/user-store';
import { requireUser, locals } from './middleware';

export interface AuthDeps {
  users: UserStore;
  passwords: Passwords;
  sessions: Sessions;
  loginByAccount: Throttle;
  loginByAddress: Throttle;
  registerByAddress: Throttle;
  /** Close the open sockets and streams of one session (or of every session but `except`, when sid is null). */
  revokeSockets: (userId: string, sid: string | null, except?: string) => void;
}

export const publicUser = (u: UserRow): User => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
});

const body = (req: Request): Record<string, unknown> => {
  if (!isObject(req.body)) throw new AppError('invalid-input', 'Send a JSON object.');
  return req.body;
};

function field<T>(r: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!r.ok) throw new AppError('invalid-input', r.message);
  return r.value;
}

function throttled(ms: number): AppError {
  const seconds = Math.ceil(ms / 1000);
  return new AppError('rate-limited', `Too many attempts. Try again in ${seconds} seconds.`, {
    'Retry-After': String(seconds),
  });
}

export function authRouter(deps: AuthDeps): Router {
  const r = Router();
  const { users, passwords, sessions } = deps;

  r.post('/auth/register', async (req, res) => {
    const b = body(req);
    const email = field(normalizeEmail(b.email));
    const password = field(checkPassword(b.password));
    const displayName = field(checkDisplayName(b.displayName));
    const ip = req.socket.remoteAddress ?? 'unknown';
    const wait = deps.registerByAddress.retryAfter(ip);
    if (wait > 0) throw throttled(wait);
    deps.registerByAddress.record(ip);
    const hash = await passwords.hash(password);
    const user = users.create(email, displayName, hash);
    if (!user)
      throw new AppError(
        'email-taken',
        'An account with this e-mail already exists. Sign in instead.',
      );
    await sessions.start(req, res, user.id);
    res.status(201).json({ user: publicUser(user) });
  });

  r.post('/auth/login', async (req, res) => {
    const b = body(req);
    const email = normalizeEmail(b.email);
    if (typeof b.password !== 'string' || b.password.length > 1000) {
      throw new AppError('invalid-input', 'Password is required.');
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    const key = email.ok ? email.value : String(b.email).slice(0, 100);
    const wait = Math.max(deps.loginByAccount.retryAfter(key), deps.loginByAddress.retryAfter(ip));
    if (wait > 0) throw throttled(wait);
    const user = email.ok ? users.byEmail(email.value) : null;
    const ok = await passwords.verify(b.password, user?.passwordHash ?? null);
    if (!ok || !user) {
      deps.loginByAccount.record(key);
      deps.loginByAddress.record(ip);
      throw new AppError('invalid-credentials', 'Wrong e-mail or password.');
    }
    deps.loginByAccount.reset(key);
    await sessions.start(req, res, user.id);
    res.json({ user: publicUser(user) });
  });

  r.post('/auth/logout', async (req, res) => {
    const found = await sessions.fromRequest(req);
    await sessions.end(req, res);
    if (found) deps.revokeSockets(found.user.id, found.sid);
    res.status(204).end();
  });

  r.post('/auth/logout-everywhere', requireUser(sessions), async (req, res) => {
    const { user } = locals(res);
    users.revokeAllSessions(user.id);
    await sessions.end(req, res);
    deps.revokeSockets(user.id, null);
    res.status(204).end();
  });

  /** Change the password: every other session of the user is revoked and its sockets closed. */
  r.post('/auth/password', requireUser(sessions), async (req, res) => {
    const { user, sid } = locals(res);
    const b = body(req);
    if (typeof b.currentPassword !== 'string' || b.currentPassword.length > 1000) {
      throw new AppError('invalid-input', 'Current password is required.');
    }
    const next = field(checkPassword(b.newPassword));
    const wait = deps.loginByAccount.retryAfter(user.email);
    if (wait > 0) throw throttled(wait);
    if (!(await passwords.verify(b.currentPassword, user.passwordHash))) {
      deps.loginByAccount.record(user.email);
      throw new AppError('invalid-credentials', 'The current password is wrong.');
    }
    users.setPassword(user.id, await passwords.hash(next));
    users.revokeAllSessions(user.id);
    // This device stays signed in with a fresh session; every other one is signed out.
    await sessions.start(req, res, user.id);
    deps.revokeSockets(user.id, null, sid);
    res.status(204).end();
  });

  r.get('/me', requireUser(sessions), (_req, res) => {
    res.json({ user: publicUser(locals(res).user) });
  });

  return r;
}
