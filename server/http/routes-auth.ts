/** Register, sign in, sign out, change the password, and who am I. */
import { Router, type Request } from 'express';
import { normalizeEmail } from '../../shared/validate';
import type { User } from '../../shared/api';
import { AppError } from '../errors';
import type { Passwords } from '../auth/passwords';
import type { Sessions } from '../auth/session';
import { waitInWords, type AttemptLimiter } from '../auth/limiter';
import type { UserRow, UserStore } from '../store/user-store';
import type { AdminStore } from '../store/admin-store';
import { hashSecret } from '../admin/secrets';
import { requireUser, locals } from './middleware';
import { loginBody, parse, passwordBody, registerBody } from './schemas';

export interface AuthDeps {
  users: UserStore;
  /** The registration mode and invites. */
  admin: AdminStore;
  passwords: Passwords;
  sessions: Sessions;
  /** Password checks per account (sign-in and password change share it). */
  loginByAccount: AttemptLimiter;
  /** Password checks per client address (`req.ip`, see TRUST_PROXY). */
  loginByAddress: AttemptLimiter;
  registerByAddress: AttemptLimiter;
  /** Close the open sockets and streams of one session (or of every session but `except`, when sid is null). */
  revokeSockets: (userId: string, sid: string | null, except?: string) => void;
}

export const publicUser = (u: UserRow): User => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  admin: u.admin,
  about: u.about,
  avatar: u.avatar,
});

function throttled(ms: number): AppError {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return new AppError('rate-limited', `Too many attempts. Try again in ${waitInWords(ms)}.`, {
    'Retry-After': String(seconds),
  });
}

/** The client's address: the socket's, or the forwarded one when TRUST_PROXY trusts the hop. */
const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * Take a point from every limiter before the password is checked, so a parallel burst is
 * counted in full: of N simultaneous attempts only `points` reach bcrypt. When one limiter
 * refuses, the points already taken from the others are given back (the attempt never ran).
 */
async function takeAll(pairs: [AttemptLimiter, string][]): Promise<void> {
  const taken: [AttemptLimiter, string][] = [];
  for (const [limiter, key] of pairs) {
    const wait = await limiter.take(key);
    if (wait > 0) {
      await Promise.all(taken.map(([l, k]) => l.refund(k)));
      throw throttled(wait);
    }
    taken.push([limiter, key]);
  }
}

export function authRouter(deps: AuthDeps): Router {
  const r = Router();
  const { users, passwords, sessions } = deps;

  r.post('/auth/register', async (req, res) => {
    const { email, password, displayName, invite } = parse(registerBody, req.body);
    const mode = await deps.admin.registrationMode();
    if (mode === 'closed')
      throw new AppError(
        'registration-closed',
        "Registration is closed on this server. Ask the server's operator for an account.",
      );
    await takeAll([[deps.registerByAddress, clientAddress(req)]]);
    // Invite mode: take one use of the code atomically (of two sign-ups racing for its last
    // use, one wins); given back when the account is then not created.
    let inviteHash: string | null = null;
    if (mode === 'invite') {
      if (!invite?.trim())
        throw new AppError('invalid-invite', 'Sign-up on this server needs an invite code.');
      inviteHash = hashSecret(invite.trim());
      if (!(await deps.admin.useInvite(inviteHash, Date.now())))
        throw new AppError(
          'invalid-invite',
          'This invite code does not work: it may have expired, been used up or been revoked.',
        );
    }
    const hash = await passwords.hash(password);
    const user = await users.create(email, displayName, hash);
    if (!user && inviteHash) await deps.admin.returnInviteUse(inviteHash);
    if (!user)
      throw new AppError(
        'email-taken',
        'An account with this e-mail already exists. Sign in instead.',
      );
    await sessions.start(req, res, user.id);
    res.status(201).json({ user: publicUser(user) });
  });

  r.post('/auth/login', async (req, res) => {
    const b = parse(loginBody, req.body);
    const email = normalizeEmail(b.email);
    const account = email.ok ? email.value : b.email.trim().toLowerCase().slice(0, 254);
    const address = clientAddress(req);
    await takeAll([
      [deps.loginByAccount, account],
      [deps.loginByAddress, address],
    ]);
    const user = email.ok ? await users.byEmail(email.value) : null;
    const ok = await passwords.verify(b.password, user?.passwordHash ?? null);
    if (!ok || !user) throw new AppError('invalid-credentials', 'Wrong e-mail or password.');
    // Said only to someone who knows the password.
    if (user.disabled)
      throw new AppError(
        'account-disabled',
        "This account is disabled. Ask the server's operator.",
      );
    // A success gives back only its own point: failures before it still count, so a burst
    // that contains the right password is still cut off after the limit.
    await Promise.all([deps.loginByAccount.refund(account), deps.loginByAddress.refund(address)]);
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
    await users.revokeAllSessions(user.id);
    await sessions.end(req, res);
    deps.revokeSockets(user.id, null);
    res.status(204).end();
  });

  /**
   * Change the password: every session of the user is revoked and its sockets and streams
   * closed, the request's own included (its cookie may be the stolen one); this device goes
   * on with a new session.
   */
  r.post('/auth/password', requireUser(sessions), async (req, res) => {
    const { user } = locals(res);
    const b = parse(passwordBody, req.body);
    const account = user.email.normalize('NFC'); // the sign-in bucket of this account
    await takeAll([[deps.loginByAccount, account]]);
    if (!(await passwords.verify(b.currentPassword, user.passwordHash)))
      throw new AppError('invalid-credentials', 'The current password is wrong.');
    await deps.loginByAccount.refund(account);
    await users.setPassword(user.id, await passwords.hash(b.newPassword));
    await users.revokeAllSessions(user.id);
    const fresh = await sessions.start(req, res, user.id);
    deps.revokeSockets(user.id, null, fresh);
    res.status(204).end();
  });

  r.get('/me', requireUser(sessions), (_req, res) => {
    res.json({ user: publicUser(locals(res).user) });
  });

  return r;
}
