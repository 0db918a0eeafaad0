/** Contacts, contact requests and blocks. Every change is a POST or DELETE. */
import { Router } from 'express';
import { USER_ID } from '../../shared/protocol';
import { isObject } from '../../shared/validate';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { People } from '../people';
import { locals, requireUser } from './middleware';

const REQUEST_ID = /^r_[A-Za-z0-9_-]{20}$/;

export function contactsRouter(deps: {
  sessions: Sessions;
  people: People;
  closeSockets: (userId: string, peerId: string) => void;
}): Router {
  const r = Router();
  const { people } = deps;
  const { users, store } = people;
  r.use(['/contacts', '/blocks'], requireUser(deps.sessions));

  const userParam = (raw: unknown): string => {
    if (typeof raw !== 'string' || !USER_ID.test(raw))
      throw new AppError('invalid-input', 'userId must be a user id.');
    if (!users.byId(raw)) throw new AppError('not-found', 'No such user.');
    return raw;
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
    const to = userParam(isObject(req.body) ? req.body.userId : undefined);
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

  const ownRequest = (id: unknown, me: string, as: 'recipient' | 'either') => {
    if (typeof id !== 'string' || !REQUEST_ID.test(id))
      throw new AppError('not-found', 'No such request.');
    const q = store.requestById(id);
    if (!q || (q.to !== me && (as === 'recipient' || q.from !== me)))
      throw new AppError('not-found', 'No such request.');
    return q;
  };

  r.post('/contacts/requests/:id/accept', (req, res) => {
    const me = locals(res).user.id;
    const q = ownRequest(req.params.id, me, 'recipient');
    store.connect(q.from, q.to);
    people.conversations.acceptPair(q.from, q.to);
    people.changed(q.from, q.to);
    res.json({ contact: person(me, q.from) });
  });

  /** Decline (the recipient) or cancel (the sender). Declining also hides their message request. */
  const decline = (reqId: unknown, me: string): void => {
    const q = ownRequest(reqId, me, 'either');
    store.deleteRequest(q.id);
    if (q.to === me) {
      const c = people.conversations.byPair(q.from, q.to);
      if (c && !c.accepted) store.hideConversation(c.id, me);
    }
    people.changed(q.from, q.to);
  };
  r.post('/contacts/requests/:id/decline', (req, res) => {
    decline(req.params.id, locals(res).user.id);
    res.json({});
  });
  r.delete('/contacts/requests/:id', (req, res) => {
    decline(req.params.id, locals(res).user.id);
    res.status(204).end();
  });

  r.delete('/contacts/:userId', (req, res) => {
    const me = locals(res).user.id;
    const other = userParam(req.params.userId);
    store.disconnect(me, other);
    people.changed(me, other);
    res.status(204).end();
  });

  r.post('/blocks/:userId', (req, res) => {
    const me = locals(res).user.id;
    const other = userParam(req.params.userId);
    if (other === me) throw new AppError('invalid-input', 'You cannot block yourself.');
    store.block(me, other);
    deps.closeSockets(other, me);
    people.changed(me, other);
    res.status(204).end();
  });

  r.delete('/blocks/:userId', (req, res) => {
    const me = locals(res).user.id;
    const other = userParam(req.params.userId);
    store.unblock(me, other);
    people.changed(me, other);
    res.status(204).end();
  });

  return r;
}
