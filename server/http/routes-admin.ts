/**
 * The admin page's API (/api/admin/*): accounts, the registration mode, invites and the audit
 * log. Every request is checked for a signed-in admin; every change goes through
 * AdminActions, so it reaches every process and lands in the audit log.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { AdminActions } from '../admin/actions';
import { DAY_MS } from '../admin/secrets';
import type { AdminUserRow, InviteRow } from '../store/admin-store';
import { locals, requireUser, type Locals } from './middleware';
import {
  adminUsersQuery,
  inviteBody,
  inviteParams,
  parse,
  registrationBody,
  userParams,
} from './schemas';

export interface AdminRouteDeps {
  sessions: Sessions;
  actions: AdminActions;
}

/** A signed-in admin, checked on every request (the flag is read fresh from the database). */
function requireAdmin(sessions: Sessions) {
  const signedIn = requireUser(sessions);
  return (req: Request, res: Response<unknown, Locals>, next: NextFunction): void => {
    signedIn(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!res.locals.user.admin)
        return next(new AppError('forbidden', "This is for the server's admins only."));
      next();
    }).catch(next);
  };
}

/** Who did it, as the audit log names them. */
const actorOf = (res: Response): string => {
  const { user } = locals(res);
  return `admin ${user.email} (${user.id})`;
};

export const adminUserJson = (u: AdminUserRow) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  admin: u.admin,
  disabled: u.disabled,
  deleted: u.deleted,
  created: u.created,
  lastSeen: u.lastSeen,
});

export const inviteJson = (i: InviteRow) => ({ ...i });

export function adminRouter({ sessions, actions }: AdminRouteDeps): Router {
  const r = Router();
  r.use('/admin', requireAdmin(sessions));

  r.get('/admin/users', async (req, res) => {
    const { q } = parse(adminUsersQuery, req.query);
    res.json({ users: (await actions.listUsers(q)).map(adminUserJson) });
  });

  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    r.post(`/admin/users/:userId/${path}`, async (req, res) => {
      const { userId } = parse(userParams, req.params, {
        code: 'not-found',
        message: 'No such account.',
      });
      if (disabled && userId === locals(res).user.id)
        throw new AppError('conflict', 'You cannot disable your own account.');
      res.json({ user: adminUserJson(await actions.setDisabled(actorOf(res), userId, disabled)) });
    });
  }

  r.post('/admin/users/:userId/reset-link', async (req, res) => {
    const { userId } = parse(userParams, req.params, {
      code: 'not-found',
      message: 'No such account.',
    });
    res.json(await actions.resetLink(actorOf(res), userId));
  });

  r.get('/admin/registration', async (_req, res) => {
    res.json({ mode: await actions.registrationMode() });
  });

  r.put('/admin/registration', async (req, res) => {
    const { mode } = parse(registrationBody, req.body);
    await actions.setRegistrationMode(actorOf(res), mode);
    res.json({ mode });
  });

  r.get('/admin/invites', async (_req, res) => {
    res.json({ invites: (await actions.listInvites()).map(inviteJson) });
  });

  r.post('/admin/invites', async (req, res) => {
    const { uses, expiresDays } = parse(inviteBody, req.body ?? {});
    const made = await actions.createInvite(actorOf(res), {
      uses,
      validMs: expiresDays * DAY_MS,
    });
    res.status(201).json({ invite: inviteJson(made.invite), code: made.code, link: made.link });
  });

  r.delete('/admin/invites/:id', async (req, res) => {
    const { id } = parse(inviteParams, req.params, {
      code: 'not-found',
      message: 'No such invite.',
    });
    await actions.revokeInvite(actorOf(res), id);
    res.status(204).end();
  });

  r.get('/admin/audit', async (_req, res) => {
    res.json({ entries: await actions.auditLog(200) });
  });

  return r;
}
