/** Directory search and conversations: open one per pair, list, history pages. */
import { Router } from 'express';
import type { ConversationSummary, DirectoryUser } from '../../shared/api';
import { CONVERSATION_ID, Limits, USER_ID } from '../../shared/protocol';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { ConversationRow, ConversationStore } from '../store/conversation-store';
import type { UserRow, UserStore } from '../store/user-store';
import type { Presence } from '../presence';
import { requireUser, locals } from './middleware';
import { isObject } from '../../shared/validate';

export interface PeopleDeps {
  users: UserStore;
  conversations: ConversationStore;
  sessions: Sessions;
  presence: Presence;
}

export function peopleRouter(deps: PeopleDeps): Router {
  const r = Router();
  const { users, conversations, presence } = deps;
  r.use(['/users', '/conversations'], requireUser(deps.sessions));

  const directoryUser = (u: UserRow): DirectoryUser => ({
    id: u.id,
    displayName: u.displayName,
    online: presence.isOnline(u.id),
    lastSeen: presence.isOnline(u.id) ? null : u.lastSeen,
  });

  const summary = (c: ConversationRow, self: string): ConversationSummary => {
    const peerId = c.userA === self ? c.userB : c.userA;
    const peer = users.byId(peerId);
    if (!peer) throw new Error(`conversation ${c.id} names a missing user`);
    const lastMessage = conversations.lastMessage(c.id);
    return {
      id: c.id,
      doc: c.id,
      peer: directoryUser(peer),
      lastMessage,
      unread: conversations.unread(c.id, self),
      request: false,
      activity: Math.max(c.activity, lastMessage?.at ?? 0),
    };
  };

  /** The conversation if `self` takes part in it; 404 when it does not exist, 403 when not theirs. */
  const own = (id: string, self: string): ConversationRow => {
    if (!CONVERSATION_ID.test(id)) throw new AppError('not-found', 'No such conversation.');
    const c = conversations.byId(id);
    if (!c) throw new AppError('not-found', 'No such conversation.');
    if (c.userA !== self && c.userB !== self)
      throw new AppError('forbidden', 'You are not part of this conversation.');
    return c;
  };

  r.get('/users', (req, res) => {
    const { user } = locals(res);
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    if (q.length > 100)
      throw new AppError('invalid-input', 'The search text is too long (100 characters at most).');
    res.json({ users: users.search(user.id, q, 50).map(directoryUser) });
  });

  r.get('/conversations', (_req, res) => {
    const { user } = locals(res);
    const list = conversations.forUser(user.id).map((c) => summary(c, user.id));
    list.sort((a, b) => b.activity - a.activity);
    res.json({ conversations: list });
  });

  r.post('/conversations', (req, res) => {
    const { user } = locals(res);
    const peerId = isObject(req.body) ? req.body.peerId : undefined;
    if (typeof peerId !== 'string' || !USER_ID.test(peerId))
      throw new AppError('invalid-input', 'peerId must be a user id.');
    if (peerId === user.id)
      throw new AppError('invalid-input', 'You cannot open a conversation with yourself.');
    if (!users.byId(peerId)) throw new AppError('not-found', 'No such user.');
    const { conversation, created } = conversations.openPair(user.id, peerId);
    res.status(created ? 201 : 200).json({ conversation: summary(conversation, user.id) });
  });

  r.get('/conversations/:id', (req, res) => {
    const { user } = locals(res);
    res.json({ conversation: summary(own(req.params.id, user.id), user.id) });
  });

  r.get('/conversations/:id/messages', (req, res) => {
    const { user } = locals(res);
    const c = own(req.params.id, user.id);
    const limitRaw = req.query.limit;
    let limit: number = Limits.historyPageDefault;
    if (limitRaw !== undefined) {
      limit = Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > Limits.historyPageMax) {
        throw new AppError(
          'invalid-input',
          `limit must be an integer from 1 to ${Limits.historyPageMax}.`,
        );
      }
    }
    let before: { at: number; id: string } | null = null;
    if (req.query.before !== undefined && req.query.before !== '') {
      const m =
        typeof req.query.before === 'string'
          ? /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/.exec(req.query.before)
          : null;
      if (!m || !m[1] || !m[2])
        throw new AppError('invalid-input', 'before must be a cursor returned as next.');
      before = { at: Number(m[1]), id: m[2] };
    }
    const messages = conversations.page(c.id, before, limit + 1);
    const more = messages.length > limit;
    const page = more ? messages.slice(0, limit) : messages;
    const last = page[page.length - 1];
    res.json({ messages: page, next: more && last ? `${last.at}.${last.id}` : null });
  });

  return r;
}
