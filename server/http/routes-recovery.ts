/**
 * Getting back into an account: what this server allows (`/auth/policy`), "Forgot password?"
 * (a one-time link by e-mail, when SMTP is configured) and using a one-time link
 * (`/auth/reset`: sets the password, ends every other session, signs in).
 */
import { Router, type Request } from 'express';
import { normalizeEmail } from '../../shared/validate';
import { AppError } from '../errors';
import type { Passwords } from '../auth/passwords';
import type { Sessions } from '../auth/session';
import { waitInWords, type AttemptLimiter } from '../auth/limiter';
import type { Mailer } from '../auth/mailer';
import type { AdminActions } from '../admin/actions';
import { SECRET_PATTERN, hashSecret } from '../admin/secrets';
import type { AdminStore } from '../store/admin-store';
import type { UserStore } from '../store/user-store';
import type { Logger } from '../logger';
import { forgotBody, parse, resetBody } from './schemas';
import { publicUser } from './routes-auth';

export interface RecoveryDeps {
  users: UserStore;
  admin: AdminStore;
  actions: AdminActions;
  passwords: Passwords;
  sessions: Sessions;
  /** Null without SMTP: the sign-in page sends people to the operator instead. */
  mailer: Mailer | null;
  /** "Forgot password?" requests per client address. */
  forgotByAddress: AttemptLimiter;
  /** "Forgot password?" requests per typed address (whether or not it has an account). */
  forgotByAccount: AttemptLimiter;
  /** One-time link uses per client address. */
  resetByAddress: AttemptLimiter;
  revokeSockets: (userId: string, sid: string | null, except?: string) => void;
  log: Logger;
}

const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

async function take(limiter: AttemptLimiter, key: string): Promise<void> {
  const wait = await limiter.take(key);
  if (wait > 0)
    throw new AppError('rate-limited', `Too many requests. Try again in ${waitInWords(wait)}.`, {
      'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))),
    });
}

const BAD_LINK =
  'This link does not work: it may have expired or been used already. Ask for a new one.';

export const FORGOT_ANSWER =
  'If an account uses this e-mail, a link to set a new password is on its way. It works for 1 hour.';

export function recoveryRouter(deps: RecoveryDeps): Router {
  const r = Router();

  r.get('/auth/policy', async (_req, res) => {
    res.json({
      registration: await deps.admin.registrationMode(),
      passwordRecovery: deps.mailer ? 'email' : 'operator',
    });
  });

  r.post('/auth/forgot', async (req, res) => {
    const { email } = parse(forgotBody, req.body);
    const mailer = deps.mailer;
    if (!mailer)
      throw new AppError(
        'not-found',
        "Password recovery by e-mail is not set up on this server. Ask the server's operator for a reset link.",
      );
    const normalized = normalizeEmail(email);
    const account = normalized.ok ? normalized.value : email.trim().toLowerCase();
    await take(deps.forgotByAddress, clientAddress(req));
    await take(deps.forgotByAccount, account);
    // The same answer at once whether or not the account exists; the lookup and the mail
    // happen after it, so the timing says nothing either.
    res.status(202).json({ ok: true, message: FORGOT_ANSWER });
    if (!normalized.ok) return;
    void (async () => {
      const user = await deps.users.byEmail(normalized.value);
      if (!user || user.disabled) return;
      const { link } = await deps.actions.resetLink(null, user.id);
      await mailer.send({
        to: user.email,
        subject: 'Set a new Parley password',
        text: [
          `Hello ${user.displayName},`,
          '',
          'Someone (hopefully you) asked to set a new password for your Parley account.',
          'Open this link within 1 hour to choose one; it works once:',
          '',
          link,
          '',
          'Setting a new password signs you out everywhere else.',
          'If you did not ask, ignore this e-mail: your password stays as it is.',
        ].join('\n'),
      });
    })().catch((e: unknown) =>
      deps.log.warn('password recovery mail failed', { error: String(e) }),
    );
  });

  r.post('/auth/reset', async (req, res) => {
    const { token, password } = parse(resetBody, req.body);
    if (!SECRET_PATTERN.test(token)) throw new AppError('invalid-link', BAD_LINK);
    await take(deps.resetByAddress, clientAddress(req));
    const used = await deps.admin.useToken(hashSecret(token), Date.now());
    const user = used ? await deps.users.byId(used.userId) : null;
    if (!user || user.disabled) throw new AppError('invalid-link', BAD_LINK);
    await deps.users.setPassword(user.id, await deps.passwords.hash(password));
    await deps.users.revokeAllSessions(user.id);
    const fresh = await deps.sessions.start(req, res, user.id);
    deps.revokeSockets(user.id, null, fresh);
    res.json({ user: publicUser(user) });
  });

  return r;
}
