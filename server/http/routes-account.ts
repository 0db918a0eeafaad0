/**
 * Your account: the devices (sessions) signed in as you and signing them out, the export
 * of your data, and deleting the account. Only ever about the user asking.
 */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { DeviceSession } from '../../shared/api';
import type { AdminActions } from '../admin/actions';
import { AppError } from '../errors';
import type { Passwords } from '../auth/passwords';
import type { Sessions } from '../auth/session';
import { waitInWords, type AttemptLimiter } from '../auth/limiter';
import { describeUserAgent } from '../auth/device';
import { buildExport } from '../account/export';
import { renderExportHtml } from '../account/export-html';
import type { People } from '../people';
import type { ConversationStore } from '../store/conversation-store';
import type { SessionRow } from '../store/user-store';
import { locals, requireUser } from './middleware';
import { deleteAccountBody, deviceParams, exportQuery, parse } from './schemas';

export interface AccountDeps {
  sessions: Sessions;
  passwords: Passwords;
  people: People;
  conversations: ConversationStore;
  /** Account deletion is the operator's "users delete", asked for by the owner. */
  actions: AdminActions;
  /** Password checks per account (shared with sign-in). */
  loginByAccount: AttemptLimiter;
  /** Close the open sockets and streams of one session (or of every session but `except`). */
  revokeSockets: (userId: string, sid: string | null, except?: string) => void;
}

/** The id a device has in the list: a hash of the session id, which itself stays secret. */
export const deviceId = (sid: string): string =>
  createHash('sha256').update(sid).digest('base64url').slice(0, 22);

const toDevice = (s: SessionRow, current: string): DeviceSession => ({
  id: deviceId(s.id),
  ...describeUserAgent(s.userAgent),
  address: s.address,
  created: s.created,
  lastActive: s.lastActive,
  current: s.id === current,
});

/** "parley-export-2026-11-30.json" */
const fileName = (ext: string, now = new Date()): string =>
  `parley-export-${now.toISOString().slice(0, 10)}.${ext}`;

export function accountRouter(deps: AccountDeps): Router {
  const r = Router();
  const { sessions, people } = deps;
  const users = people.users;
  r.use('/account', requireUser(sessions));

  r.get('/account/sessions', async (_req, res) => {
    const { user, sid } = locals(res);
    const rows = await users.sessionsOf(user.id);
    res.json({ sessions: rows.map((s) => toDevice(s, sid)) });
  });

  /** Sign out one device: its cookie stops working and its sockets and streams close. */
  r.delete('/account/sessions/:id', async (req, res) => {
    const { user, sid } = locals(res);
    const { id } = parse(deviceParams, req.params, {
      code: 'not-found',
      message: 'No such device.',
    });
    const target = (await users.sessionsOf(user.id)).find((s) => deviceId(s.id) === id);
    if (!target) throw new AppError('not-found', 'No such device.');
    if (target.id === sid) await sessions.end(req, res);
    else await users.revokeSession(target.id);
    deps.revokeSockets(user.id, target.id);
    res.status(204).end();
  });

  /** "Sign out everywhere else": every session but this one ends. */
  r.post('/account/sign-out-others', async (_req, res) => {
    const { user, sid } = locals(res);
    await users.revokeOtherSessions(user.id, sid);
    deps.revokeSockets(user.id, null, sid);
    res.status(204).end();
  });

  r.get('/account/export', async (req, res) => {
    const { user } = locals(res);
    const { format } = parse(exportQuery, req.query);
    const data = await buildExport(
      { people, conversations: deps.conversations },
      (await users.byId(user.id)) ?? user,
    );
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(format)}"`);
    if (format === 'html') res.type('text/html; charset=utf-8').send(renderExportHtml(data));
    else res.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
  });

  /**
   * Delete your account (password confirmation): sessions, contacts, requests and blocks go,
   * your messages' text leaves the server's documents, and the people you wrote with see
   * "Deleted account". This device's cookie is cleared too.
   */
  r.post('/account/delete', async (req, res) => {
    const { user } = locals(res);
    const { password } = parse(deleteAccountBody, req.body);
    const account = user.email.normalize('NFC');
    const wait = await deps.loginByAccount.take(account);
    if (wait > 0)
      throw new AppError('rate-limited', `Too many attempts. Try again in ${waitInWords(wait)}.`, {
        'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))),
      });
    if (!(await deps.passwords.verify(password, user.passwordHash)))
      throw new AppError('invalid-credentials', 'The password is wrong.');
    await deps.loginByAccount.refund(account);
    await deps.actions.deleteUser(user.id, user.id);
    await sessions.end(req, res);
    res.status(204).end();
  });

  return r;
}
