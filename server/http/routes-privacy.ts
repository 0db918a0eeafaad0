/**
 * Privacy settings (read receipts, who sees your last seen, typing indicators, finding you
 * by e-mail) and reads kept out of the shared document (docs/protocol.md, "Private reads").
 */
import { Router } from 'express';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { People } from '../people';
import { locals, requireUser } from './middleware';
import { conversationParams, parse, privacyBody, readBody } from './schemas';

export interface PrivacyDeps {
  sessions: Sessions;
  people: People;
}

const noSuchConversation = { code: 'not-found', message: 'No such conversation.' } as const;

export function privacyRouter(deps: PrivacyDeps): Router {
  const r = Router();
  const { people } = deps;
  r.use(['/settings/privacy', '/conversations/:id/read'], requireUser(deps.sessions));

  r.get('/settings/privacy', async (_req, res) => {
    res.json({ settings: await people.store.privacyOf(locals(res).user.id) });
  });

  r.put('/settings/privacy', async (req, res) => {
    const settings = parse(privacyBody, req.body);
    await people.privacyChanged(locals(res).user.id, settings);
    res.json({ settings });
  });

  /**
   * A read that the other person is not told about: read receipts are off in this
   * conversation, or it is a message request you received. Your unread count clears on
   * every device; nothing enters the shared document.
   */
  r.post('/conversations/:id/read', async (req, res) => {
    const { user } = locals(res);
    const { id } = parse(conversationParams, req.params, noSuchConversation);
    const { upTo } = parse(readBody, req.body);
    const c = await people.conversations.byId(id);
    if (!c) throw new AppError(noSuchConversation.code, noSuchConversation.message);
    if (c.userA !== user.id && c.userB !== user.id)
      throw new AppError('forbidden', 'You are not part of this conversation.');
    await people.conversations.markRead(c.id, [c.userA, c.userB], user.id, upTo, Date.now());
    people.readPrivately(c.id, user.id);
    res.status(204).end();
  });

  return r;
}
