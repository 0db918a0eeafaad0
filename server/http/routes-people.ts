/** Directory search and conversations: open one per pair, list, history pages. */
import { Router } from 'express';
import type { ConversationSummary, DirectoryUser } from '../../shared/api';
import { docNameOf } from '../../shared/protocol';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { ConversationRow } from '../store/conversation-store';
import type { UserRow } from '../store/user-store';
import type { People } from '../people';
import type { EventHub } from '../events';
import { requireUser, locals } from './middleware';
import {
  conversationParams,
  epochParams,
  epochQuery,
  historyQuery,
  parse,
  peerBody,
  searchQuery,
} from './schemas';

const noSuchConversation = { code: 'not-found', message: 'No such conversation.' } as const;

export interface PeopleDeps {
  sessions: Sessions;
  people: People;
  events: EventHub;
  /** A sealed document's content missing from state vector `sv` (a Yjs update). */
  sealedDocUpdate: (doc: string, sv: Uint8Array | null) => Promise<Uint8Array | null>;
}

export function peopleRouter(deps: PeopleDeps): Router {
  const r = Router();
  const { people } = deps;
  const { users, conversations, presence } = people;
  r.use(['/users', '/conversations', '/events'], requireUser(deps.sessions));

  const directoryUser = (viewer: string, u: UserRow): Promise<DirectoryUser> =>
    people.directoryUser(viewer, u);
  const summary = (c: ConversationRow, viewer: string): Promise<ConversationSummary> =>
    people.summary(c, viewer);

  /** The conversation if `self` takes part in it; 404 when it does not exist, 403 when not theirs. */
  const own = async (params: unknown, self: string): Promise<ConversationRow> => {
    const { id } = parse(conversationParams, params, noSuchConversation);
    const c = await conversations.byId(id);
    if (!c) throw new AppError(noSuchConversation.code, noSuchConversation.message);
    if (c.userA !== self && c.userB !== self)
      throw new AppError('forbidden', 'You are not part of this conversation.');
    return c;
  };

  /**
   * A message request `self` received (only its recipient may accept or decline it): 403 for
   * the person who sent it, or when the conversation is no request at all.
   */
  const receivedRequest = async (params: unknown, self: string): Promise<ConversationRow> => {
    const c = await own(params, self);
    if (!people.isRequestFor(c, self))
      throw new AppError(
        'forbidden',
        c.accepted
          ? 'This conversation is not a message request.'
          : 'Only the person who received this message request can answer it.',
      );
    return c;
  };

  /** The user-level live channel (Server-Sent Events); an open stream counts as online. */
  r.get('/events', (req, res) => {
    const { user, sid } = locals(res);
    const refused = deps.events.refusal(user.id, sid);
    if (refused) throw new AppError('rate-limited', refused, { 'Retry-After': '30' });
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

  r.get('/users', async (req, res) => {
    const { user } = locals(res);
    const { q } = parse(searchQuery, req.query);
    const found = await people.search(user.id, q, 50);
    res.json({ users: await Promise.all(found.map((u) => directoryUser(user.id, u))) });
  });

  r.get('/conversations', async (_req, res) => {
    const { user } = locals(res);
    res.json({ conversations: await people.listFor(user.id) });
  });

  r.post('/conversations', async (req, res) => {
    const { user } = locals(res);
    const { peerId } = parse(peerBody, req.body);
    if (peerId === user.id)
      throw new AppError('invalid-input', 'You cannot open a conversation with yourself.');
    if (!(await users.byId(peerId))) throw new AppError('not-found', 'No such user.');
    if (await people.store.blockedBetween(user.id, peerId)) {
      throw new AppError('forbidden', 'You cannot start a conversation with this person.');
    }
    const contacts = await people.store.areContacts(user.id, peerId);
    const { conversation, created } = await conversations.openPair(user.id, peerId, contacts);
    if (created) {
      // A first conversation from a non-contact arrives as a message request.
      if (!contacts && !(await people.store.requestBetween(peerId, user.id)))
        await people.store.request(user.id, peerId);
      people.changed(user.id, peerId);
    } else if (await people.store.isHidden(conversation.id, user.id)) {
      await people.store.unhideConversation(conversation.id);
    }
    res.status(created ? 201 : 200).json({ conversation: await summary(conversation, user.id) });
  });

  /** Accept a message request you received: you become contacts. */
  r.post('/conversations/:id/accept', async (req, res) => {
    const { user } = locals(res);
    const c = await receivedRequest(req.params, user.id);
    const peer = people.peerOf(c, user.id);
    if (await people.store.blockedBetween(user.id, peer))
      throw new AppError('forbidden', 'Unblock this person first.');
    await people.store.connect(user.id, peer);
    await conversations.acceptPair(user.id, peer);
    people.changed(user.id, peer);
    res.json({ conversation: await summary((await conversations.byId(c.id)) ?? c, user.id) });
  });

  /** Decline a message request you received: it leaves your list (it comes back if they write again). */
  r.post('/conversations/:id/decline', async (req, res) => {
    const { user } = locals(res);
    const c = await receivedRequest(req.params, user.id);
    const peer = people.peerOf(c, user.id);
    const q = await people.store.requestBetween(peer, user.id);
    if (q) await people.store.deleteRequest(q.id);
    await people.store.hideConversation(c.id, user.id);
    people.changed(user.id, peer);
    res.json({});
  });

  r.get('/conversations/:id', async (req, res) => {
    const { user } = locals(res);
    res.json({ conversation: await summary(await own(req.params, user.id), user.id) });
  });

  r.get('/conversations/:id/messages', async (req, res) => {
    const { user } = locals(res);
    const c = await own(req.params, user.id);
    const { limit, before } = parse(historyQuery, req.query);
    const { clearedAt } = await people.prefsOf(user.id, c.id);
    const all = await conversations.page(c.id, before, limit + 1);
    // Pages run newest first by `at`: after "delete chat for me" they end at the cleared point.
    const messages = clearedAt === null ? all : all.filter((m) => m.at > clearedAt);
    const more = messages.length > limit;
    const page = more ? messages.slice(0, limit) : messages;
    const last = page[page.length - 1];
    res.json({ messages: page, next: more && last ? `${last.at}.${last.id}` : null });
  });

  /**
   * A sealed document (epoch below the live one), as one Yjs update: everything, or what a
   * device holding state vector `sv` (base64url) lacks. History beyond the live document.
   */
  r.get('/conversations/:id/epochs/:epoch', async (req, res) => {
    const { user } = locals(res);
    const c = await own({ id: req.params.id }, user.id);
    const { epoch } = parse(epochParams, req.params);
    const query = parse(epochQuery, req.query);
    if (epoch >= c.epoch)
      throw new AppError('not-found', 'No such sealed document; the live one is synced at /sync.');
    const sv = query.sv === '' ? null : new Uint8Array(Buffer.from(query.sv, 'base64url'));
    const update = await deps.sealedDocUpdate(docNameOf(c.id, epoch), sv);
    if (update === null)
      throw new AppError('invalid-input', 'sv must be a base64url state vector.');
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Cache-Control', 'no-store');
    res.end(Buffer.from(update.buffer, update.byteOffset, update.byteLength));
  });

  return r;
}
