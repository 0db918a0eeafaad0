/**
 * Notifications (issue #13): a device's push subscription, the user's notification
 * settings, and per-conversation mutes (kept on the server, so every device follows them).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { MuteDuration } from '../../shared/api';
import { AppError } from '../errors';
import type { Sessions } from '../auth/session';
import type { People } from '../people';
import type { Config } from '../config';
import type { PushStore } from '../push/push-store';
import type { PushSender } from '../push/sender';
import { endpointProblem } from '../push/endpoint-check';
import { locals, requireUser } from './middleware';
import { conversationParams, parse } from './schemas';

const base64url = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .max(max, `${label} is too long.`)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `${label} must be base64url.`);

export const subscriptionBody = z.object({
  endpoint: z
    .string({ error: 'endpoint is required.' })
    .min(1, 'endpoint is required.')
    .max(2048, 'endpoint is too long (at most 2,048 characters).'),
  keys: z.object(
    { p256dh: base64url('keys.p256dh', 200), auth: base64url('keys.auth', 64) },
    { error: 'keys must hold p256dh and auth.' },
  ),
});
export const endpointBody = z.object({
  endpoint: z.string({ error: 'endpoint is required.' }).max(2048, 'endpoint is too long.'),
});
export const settingsBody = z.object({
  enabled: z.boolean({ error: 'enabled must be true or false.' }),
  preview: z.enum(['name-and-message', 'name-only', 'nothing'], {
    error: 'preview must be name-and-message, name-only or nothing.',
  }),
});
export const muteBody = z.object({
  duration: z.enum(['1h', '8h', '1w', 'always'], {
    error: 'duration must be 1h, 8h, 1w or always.',
  }),
});

const HOUR = 60 * 60 * 1000;
const DURATION_MS: Record<Exclude<MuteDuration, 'always'>, number> = {
  '1h': HOUR,
  '8h': 8 * HOUR,
  '1w': 7 * 24 * HOUR,
};

export interface PushRouteDeps {
  sessions: Sessions;
  people: People;
  store: PushStore;
  sender: PushSender;
  config: Config['push'];
}

export function pushRouter(deps: PushRouteDeps): Router {
  const r = Router();
  const { store, people } = deps;
  r.use(['/push', '/settings/notifications', '/conversations/:id/mute'], requireUser(deps.sessions));

  r.get('/push/key', (_req, res) => {
    res.json({ publicKey: deps.sender.publicKey });
  });

  r.post('/push/subscriptions', async (req, res) => {
    const body = parse(subscriptionBody, req.body);
    const problem = await endpointProblem(body.endpoint, deps.config.allowPrivateEndpoints);
    if (problem) throw new AppError('invalid-input', problem);
    const { user, sid } = locals(res);
    await store.subscribe({
      endpoint: body.endpoint,
      userId: user.id,
      sessionId: sid,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
      userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300),
      created: Date.now(),
      lastSuccess: null,
    });
    res.status(201).json({ ok: true });
  });

  r.delete('/push/subscriptions', async (req, res) => {
    const body = parse(endpointBody, req.body);
    await store.unsubscribe(locals(res).user.id, body.endpoint);
    res.status(204).end();
  });

  r.get('/settings/notifications', async (_req, res) => {
    res.json({ settings: await store.settings(locals(res).user.id) });
  });

  r.put('/settings/notifications', async (req, res) => {
    const settings = parse(settingsBody, req.body);
    await store.setSettings(locals(res).user.id, settings);
    res.json({ settings });
  });

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

  r.put('/conversations/:id/mute', async (req, res) => {
    const self = locals(res).user.id;
    const id = await own(req.params, self);
    const { duration } = parse(muteBody, req.body);
    const until = duration === 'always' ? null : Date.now() + DURATION_MS[duration];
    await store.setMute(self, id, { until });
    people.notifyConversation(id); // every device of the user shows the new state
    res.json({ muted: { until } });
  });

  r.delete('/conversations/:id/mute', async (req, res) => {
    const self = locals(res).user.id;
    const id = await own(req.params, self);
    await store.setMute(self, id, null);
    people.notifyConversation(id);
    res.status(204).end();
  });

  return r;
}
