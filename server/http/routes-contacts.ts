/** Contacts, contact requests and blocks. Every change is a POST or DELETE. */
import { Router } from 'express';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { People } from '../people';
import { locals, requireUser } from './middleware';
import { contactRequestBody, parse, requestParams, userParams } from './schemas';

const noSuchRequest = { code: 'not-found', message: 'No such request.' } as const;

export function contactsRouter(deps: {
  sessions: Sessions;
  people: People;
  closeSockets: (userId: string, peerId: string) => void;
}): Router {
  const r = Router();
  const { people } = deps;
  const { users, store } = people;
  r.use(['/contacts', '/blocks'], requireUser(deps.sessions));

  /** The user named by `{ userId }` (a body or the path); 404 when there is none. */
  const userParam = (input: unknown, schema = userParams): string => {
    const { userId } = parse(schema, input);
    if (!users.byId(userId)) throw new AppError('not-found', 'No such user.');
    return userId;
  };
  const person = (viewer: string, id: string) => {
    const u = users.byId(id);
    if (!u) throw new Error(`missing user ${id}`);
    return people.directoryUser(viewer, u);
  };

  r.get('/contacts', (_req, res) => {
    const me = locals(res).user.id;
    res.json({
      contacts: store.contactsOf(me).map((id) => person(me, id)),
      incoming: store
        .incoming(me)
        .map((q) => ({ id: q.id, from: person(me, q.from), created: q.created })),
      outgoing: store
        .outgoing(me)
        .map((q) => ({ id: q.id, to: person(me, q.to), created: q.created })),
      blocked: store.blockedBy(me).map((id) => person(me, id)),
    });
  });

  r.post('/contacts/requests', (req, res) => {
    const me = locals(res).user.id;
    const to = userParam(req.body, contactRequestBody);
    if (to === me) throw new AppError('invalid-input', 'You cannot add yourself.');
    if (store.blockedBetween(me, to))
      throw new AppError('forbidden', 'You cannot send a request to this person.');
    if (store.areContacts(me, to)) throw new AppError('conflict', 'You are already contacts.');
    // They already asked you: asking back accepts.
    const theirs = store.requestBetween(to, me);
    if (theirs) {
      store.connect(me, to);
      people.conversations.acceptPair(me, to);
      people.changed(me, to);
      res.status(201).json({
        request: { id: theirs.id, from: me, to, created: theirs.created, accepted: true },
      });
      return;
    }
    const request = store.request(me, to);
    people.changed(me, to);
    res.status(201).json({ request: { ...request, accepted: false } });
  });

  /**
   * A request `me` is part of: 404 for anyone else. `recipient`: only the person asked may
   * answer it (403 for its sender); `either`: the sender may also take it back.
   */
  const ownRequest = (params: unknown, me: string, as: 'recipient' | 'either') => {
    const { id } = parse(requestParams, params, noSuchRequest);
    const q = store.requestById(id);
    if (!q || (q.to !== me && q.from !== me))
      throw new AppError(noSuchRequest.code, noSuchRequest.message);
    if (as === 'recipient' && q.to !== me)
      throw new AppError('forbidden', 'Only the person who received this request can answer it.');
    return q;
  };

  r.post('/contacts/requests/:id/accept', (req, res) => {
    const me = locals(res).user.id;
    const q = ownRequest(req.params, me, 'recipient');
    store.connect(q.from, q.to);
    people.conversations.acceptPair(q.from, q.to);
    people.changed(q.from, q.to);
    res.json({ contact: person(me, q.from) });
  });

  /**
   * Decline (the recipient) or cancel (the sender): both sides may end a pending request, and
   * only the recipient's decline also hides the sender's message request from the recipient.
   */
  const decline = (params: unknown, me: string): void => {
    const q = ownRequest(params, me, 'either');
    store.deleteRequest(q.id);
    if (q.to === me) {
      const c = people.conversations.byPair(q.from, q.to);
      if (c && !c.accepted) store.hideConversation(c.id, me);
    }
    people.changed(q.from, q.to);
  };
  r.post('/contacts/requests/:id/decline', (req, res) => {
    decline(req.params, locals(res).user.id);
    res.json({});
  });
  r.delete('/contacts/requests/:id', (req, res) => {
    decline(req.params, locals(res).user.id);
    res.status(204).end();
  });

  r.delete('/contacts/:userId', (req, res) => {
    const me = locals(res).user.id;
    const other = userParam(req.params);
    store.disconnect(me, other);
    people.changed(me, other);
    res.status(204).end();
  });

  r.post('/blocks/:userId', (req, res) => {
    const me = locals(res).user.id;
    const other = userParam(req.params);
    if (other === me) throw new AppError('invalid-input', 'You cannot block yourself.');
    store.block(me, other);
    deps.closeSockets(other, me);
    people.changed(me, other);
    res.status(204).end();
  });

  r.delete('/blocks/:userId', (req, res) => {
    const me = locals(res).user.id;
    const other = userParam(req.params);
    store.unblock(me, other);
    people.changed(me, other);
    res.status(204).end();
  });

  return r;
}
