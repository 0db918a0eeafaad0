/** Contacts, contact requests and blocks. Every change is a POST or DELETE. */
import { Router } from 'express';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { People } from '../people';
import { locals, requireUser } from './middleware';
import { contactRequestBody, parse, requestParams, userParams } from './schemas';

const noSuchRequest = { code: 'not-found', message: 'No such request.' } as const;

export function contactsRouter(deps: { sessions: Sessions; people: People }): Router {
  const r = Router();
  const { people } = deps;
  const { users, store } = people;
  r.use(['/contacts', '/blocks'], requireUser(deps.sessions));

  /** The user named by `{ userId }` (a body or the path); 404 when there is none. */
  const userParam = async (input: unknown, schema = userParams): Promise<string> => {
    const { userId } = parse(schema, input);
    if (!(await users.byId(userId))) throw new AppError('not-found', 'No such user.');
    return userId;
  };
  const person = async (viewer: string, id: string) => {
    const u = await users.byId(id);
    if (!u) throw new Error(`missing user ${id}`);
    return people.directoryUser(viewer, u);
  };
  const all = <T, R>(items: T[], f: (item: T) => Promise<R>): Promise<R[]> =>
    Promise.all(items.map(f));

  r.get('/contacts', async (_req, res) => {
    const me = locals(res).user.id;
    const [contacts, incoming, outgoing, blocked] = await Promise.all([
      store.contactsOf(me),
      store.incoming(me),
      store.outgoing(me),
      store.blockedBy(me),
    ]);
    res.json({
      contacts: await all(contacts, (id) => person(me, id)),
      incoming: await all(incoming, async (q) => ({
        id: q.id,
        from: await person(me, q.from),
        created: q.created,
      })),
      outgoing: await all(outgoing, async (q) => ({
        id: q.id,
        to: await person(me, q.to),
        created: q.created,
      })),
      blocked: await all(blocked, (id) => person(me, id)),
    });
  });

  r.post('/contacts/requests', async (req, res) => {
    const me = locals(res).user.id;
    const to = await userParam(req.body, contactRequestBody);
    if (to === me) throw new AppError('invalid-input', 'You cannot add yourself.');
    if (await store.blockedBetween(me, to))
      throw new AppError('forbidden', 'You cannot send a request to this person.');
    if (await store.areContacts(me, to))
      throw new AppError('conflict', 'You are already contacts.');
    // They already asked you: asking back accepts.
    const theirs = await store.requestBetween(to, me);
    if (theirs) {
      await store.connect(me, to);
      await people.conversations.acceptPair(me, to);
      people.changed(me, to);
      res.status(201).json({
        request: { id: theirs.id, from: me, to, created: theirs.created, accepted: true },
      });
      return;
    }
    const request = await store.request(me, to);
    people.changed(me, to);
    res.status(201).json({ request: { ...request, accepted: false } });
  });

  /**
   * A request `me` is part of: 404 for anyone else. `recipient`: only the person asked may
   * answer it (403 for its sender); `either`: the sender may also take it back.
   */
  const ownRequest = async (params: unknown, me: string, as: 'recipient' | 'either') => {
    const { id } = parse(requestParams, params, noSuchRequest);
    const q = await store.requestById(id);
    if (!q || (q.to !== me && q.from !== me))
      throw new AppError(noSuchRequest.code, noSuchRequest.message);
    if (as === 'recipient' && q.to !== me)
      throw new AppError('forbidden', 'Only the person who received this request can answer it.');
    return q;
  };

  r.post('/contacts/requests/:id/accept', async (req, res) => {
    const me = locals(res).user.id;
    const q = await ownRequest(req.params, me, 'recipient');
    await store.connect(q.from, q.to);
    await people.conversations.acceptPair(q.from, q.to);
    people.changed(q.from, q.to);
    res.json({ contact: await person(me, q.from) });
  });

  /**
   * Decline (the recipient) or cancel (the sender): both sides may end a pending request, and
   * only the recipient's decline also hides the sender's message request from the recipient.
   */
  const decline = async (params: unknown, me: string): Promise<void> => {
    const q = await ownRequest(params, me, 'either');
    await store.deleteRequest(q.id);
    if (q.to === me) {
      const c = await people.conversations.byPair(q.from, q.to);
      if (c && !c.accepted) await store.hideConversation(c.id, me);
    }
    people.changed(q.from, q.to);
  };
  r.post('/contacts/requests/:id/decline', async (req, res) => {
    await decline(req.params, locals(res).user.id);
    res.json({});
  });
  r.delete('/contacts/requests/:id', async (req, res) => {
    await decline(req.params, locals(res).user.id);
    res.status(204).end();
  });

  r.delete('/contacts/:userId', async (req, res) => {
    const me = locals(res).user.id;
    const other = await userParam(req.params);
    await store.disconnect(me, other);
    people.changed(me, other);
    res.status(204).end();
  });

  /** Block: the policy signal closes the blocked person's sockets on every process. */
  r.post('/blocks/:userId', async (req, res) => {
    const me = locals(res).user.id;
    const other = await userParam(req.params);
    if (other === me) throw new AppError('invalid-input', 'You cannot block yourself.');
    await store.block(me, other);
    people.changed(me, other);
    res.status(204).end();
  });

  r.delete('/blocks/:userId', async (req, res) => {
    const me = locals(res).user.id;
    const other = await userParam(req.params);
    await store.unblock(me, other);
    people.changed(me, other);
    res.status(204).end();
  });

  return r;
}
