/**
 * Per-user conversation preferences (issue #14): pin, archive and "delete chat for me".
 * Kept on the server for the signed-in user only (the other participant's list and history
 * do not change), so every device of the user agrees; each change pushes the conversation's
 * new summary (or its removal) to the user's event streams.
 */
import { Router } from 'express';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { People } from '../people';
import { MAX_PINS, type ConversationPrefsStore } from '../store/conversation-prefs';
import { locals, requireUser } from './middleware';
import { conversationParams, parse } from './schemas';

export interface ConversationPrefsDeps {
  sessions: Sessions;
  people: People;
  store: ConversationPrefsStore;
  /** How many conversations one user may pin (MAX_PINS by default). */
  maxPins?: number;
}

export function conversationPrefsRouter(deps: ConversationPrefsDeps): Router {
  const r = Router();
  const { people, store } = deps;
  const maxPins = deps.maxPins ?? MAX_PINS;
  r.use(
    ['/conversations/:id/pin', '/conversations/:id/archive', '/conversations/:id/clear'],
    requireUser(deps.sessions),
  );

  /** The conversation if the user takes part in it (404 unknown, 403 not theirs). */
  const own = async (params: unknown, self: string): Promise<string> => {
    const noSuch = { code: 'not-found', message: 'No such conversation.' } as const;
    const { id } = parse(conversationParams, params, noSuch);
    const c = await people.conversations.byId(id);
    if (!c) throw new AppError(noSuch.code, noSuch.message);
    if (c.userA !== self && c.userB !== self)
      throw new AppError('forbidden', 'You are not part of this conversation.');
    return c.id;
  };

  /** Answer with the user's fresh summary and tell their other devices. */
  const done = async (id: string, self: string, res: import('express').Response) => {
    people.notifyConversation(id);
    const c = await people.conversations.byId(id);
    res.json({ conversation: c ? await people.summary(c, self) : null });
  };

  r.put('/conversations/:id/pin', async (req, res) => {
    const self = locals(res).user.id;
    const id = await own(req.params, self);
    if (!(await store.setPinned(self, id, Date.now(), maxPins)))
      throw new AppError('conflict', `You can pin up to ${maxPins} chats. Unpin one first.`);
    await done(id, self, res);
  });

  r.delete('/conversations/:id/pin', async (req, res) => {
    const self = locals(res).user.id;
    const id = await own(req.params, self);
    await store.setPinned(self, id, null, maxPins);
    await done(id, self, res);
  });

  r.put('/conversations/:id/archive', async (req, res) => {
    const self = locals(res).user.id;
    const id = await own(req.params, self);
    await store.setArchived(self, id, true);
    await done(id, self, res);
  });

  r.delete('/conversations/:id/archive', async (req, res) => {
    const self = locals(res).user.id;
    const id = await own(req.params, self);
    await store.setArchived(self, id, false);
    await done(id, self, res);
  });

  /**
   * Delete the chat for me: everything written up to now (or up to the newest message, when
   * a device's clock put it later) is gone for the signed-in user; the other person keeps it.
   */
  r.post('/conversations/:id/clear', async (req, res) => {
    const self = locals(res).user.id;
    const id = await own(req.params, self);
    const last = await people.conversations.lastMessage(id);
    const at = Math.max(Date.now(), last?.at ?? 0);
    await store.clear(self, id, at);
    people.notifyConversation(id);
    res.json({ clearedAt: at });
  });

  return r;
}
