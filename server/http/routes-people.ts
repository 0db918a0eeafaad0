/** Directory search and conversations: open one per pair, list, history pages. */
import { Router } from 'express';
import type { ConversationSummary, DirectoryUser } from '../../shared/api';
import { CONVERSATION_ID, Limits, USER_ID, docNameOf } from '../../shared/protocol';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { ConversationRow } from '../store/conversation-store';
import type { UserRow } from '../store/user-store';
import type { People } from '../people';
import type { EventHub } from '../events';
import { requireUser, locals } from './middleware';
import { isObject } from '../../shared/validate';

export interface PeopleDeps {
  sessions: Sessions;
  people: People;
  events: EventHub;
  /** A sealed document's content missing from state vector `sv` (a Yjs update). */
  sealedDocUpdate: (doc: string, sv: Uint8Array | null) => Uint8Array;
}

export function peopleRouter(deps: PeopleDeps): Router {
  const r = Router();
  const { people } = deps;
  const { users, conversations, presence } = people;
  r.use(['/users', '/conversations', '/events'], requireUser(deps.sessions));

  const directoryUser = (viewer: string, u: UserRow): DirectoryUser =>
    people.directoryUser(viewer, u);
  const summary = (c: ConversationRow, viewer: string): ConversationSummary =>
    people.summary(c, viewer);

  /** The conversation if `self` takes part in it; 404 when it does not exist, 403 when not theirs. */
  const own = (id: string, self: string): ConversationRow => {
    if (!CONVERSATION_ID.test(id)) throw new AppError('not-found', 'No such conversation.');
    const c = conversations.byId(id);
    if (!c) throw new AppError('not-found', 'No such conversation.');
    if (c.userA !== self && c.userB !== self)
      throw new AppError('forbidden', 'You are not part of this conversation.');
    return c;
  };

  /** The user-level live channel (Server-Sent Events); an open stream counts as online. */
  r.get('/events', (req, res) => {
    const { user, sid } = locals(res);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const off = deps.events.add(user.id, sid, res);
    presence.connected(user.id);
    req.on('close', () => {
      off();
      presence.disconnected(user.id);
    });
  });

  r.get('/users', (req, res) => {
    const { user } = locals(res);
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    if (q.length > 100)
      throw new AppError('invalid-input', 'The search text is too long (100 characters at most).');
    res.json({
      users: users
        .search(user.id, q, 50)
        .filter((u) => !people.store.hasBlocked(u.id, user.id))
        .map((u) => directoryUser(user.id, u)),
    });
  });

  r.get('/conversations', (_req, res) => {
    const { user } = locals(res);
    res.json({ conversations: people.listFor(user.id) });
  });

  r.post('/conversations', (req, res) => {
    const { user } = locals(res);
    const peerId = isObject(req.body) ? req.body.peerId : undefined;
    if (typeof peerId !== 'string' || !USER_ID.test(peerId))
      throw new AppError('invalid-input', 'peerId must be a user id.');
    if (peerId === user.id)
      throw new AppError('invalid-input', 'You cannot open a conversation with yourself.');
    if (!users.byId(peerId)) throw new AppError('not-found', 'No such user.');
    if (people.store.blockedBetween(user.id, peerId)) {
      throw new AppError('forbidden', 'You cannot start a conversation with this person.');
    }
    const contacts = people.store.areContacts(user.id, peerId);
    const { conversation, created } = conversations.openPair(user.id, peerId, contacts);
    if (created) {
      // A first conversation from a non-contact arrives as a message request.
      if (!contacts && !people.store.requestBetween(peerId, user.id))
        people.store.request(user.id, peerId);
      people.changed(user.id, peerId);
    } else if (people.store.isHidden(conversation.id, user.id)) {
      people.store.unhideConversation(conversation.id);
    }
    res.status(created ? 201 : 200).json({ conversation: summary(conversation, user.id) });
  });

  /** Accept a message request: you become contacts. */
  r.post('/conversations/:id/accept', (req, res) => {
    const { user } = locals(res);
    const c = own(req.params.id, user.id);
    const peer = people.peerOf(c, user.id);
    if (people.store.blockedBetween(user.id, peer))
      throw new AppError('forbidden', 'Unblock this person first.');
    people.store.connect(user.id, peer);
    conversations.acceptPair(user.id, peer);
    people.changed(user.id, peer);
    res.json({ conversation: summary(conversations.byId(c.id) ?? c, user.id) });
  });

  /** Decline a message request: it leaves your list (it comes back if they write again). */
  r.post('/conversations/:id/decline', (req, res) => {
    const { user } = locals(res);
    const c = own(req.params.id, user.id);
    const peer = people.peerOf(c, user.id);
    const q = people.store.requestBetween(peer, user.id);
    if (q) people.store.deleteRequest(q.id);
    people.store.hideConversation(c.id, user.id);
    people.changed(user.id, peer);
    res.json({});
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

  /**
   * A sealed document (epoch below the live one), as one Yjs update: everything, or what a
   * device holding state vector `sv` (base64url) lacks. History beyond the live document.
   */
  r.get('/conversations/:id/epochs/:epoch', (req, res) => {
    const { user } = locals(res);
    const c = own(req.params.id, user.id);
    const raw = req.params.epoch;
    const epoch = /^(0|[1-9][0-9]{0,6})$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(epoch)) throw new AppError('invalid-input', 'epoch must be a number.');
    if (epoch >= c.epoch)
      throw new AppError('not-found', 'No such sealed document; the live one is synced at /sync.');
    let sv: Uint8Array | null = null;
    if (typeof req.query.sv === 'string' && req.query.sv !== '') {
      if (req.query.sv.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(req.query.sv))
        throw new AppError('invalid-input', 'sv must be a base64url state vector.');
      sv = new Uint8Array(Buffer.from(req.query.sv, 'base64url'));
    }
    let update: Uint8Array;
    try {
      update = deps.sealedDocUpdate(docNameOf(c.id, epoch), sv);
    } catch {
      throw new AppError('invalid-input', 'sv must be a base64url state vector.');
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Cache-Control', 'no-store');
    res.end(Buffer.from(update.buffer, update.byteOffset, update.byteLength));
  });

  return r;
}
