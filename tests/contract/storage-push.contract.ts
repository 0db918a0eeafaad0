/** The push part of the Storage contract: subscriptions, settings, mutes, what shows, keys. */
import { describe, expect, it } from 'vitest';
import { makeUsers, withStorage, type StorageSetup } from './storage.contract';
import type { PushSubscriptionRow } from '../../server/push/push-store';

const sub = (userId: string, sessionId: string, n: number): PushSubscriptionRow => ({
  endpoint: `https://push.example.test/${userId}/${n}`,
  userId,
  sessionId,
  p256dh: `key${n}`,
  auth: `auth${n}`,
  userAgent: 'Test/1.0',
  created: 1000 + n,
  lastSuccess: null,
});

export function pushContract(setup: StorageSetup): void {
  describe('push', () => {
    it(
      'keeps each device’s subscription until it is removed, its session ends or the push service says it is gone',
      withStorage(setup, async (s, other) => {
        const [a, b] = await makeUsers(s, 2);
        const sa = await s.users.createSession(a!);
        const sa2 = await s.users.createSession(a!);
        const sb = await s.users.createSession(b!);
        await s.push.subscribe(sub(a!, sa, 1));
        await s.push.subscribe(sub(a!, sa2, 2));
        await s.push.subscribe(sub(b!, sb, 3));
        expect((await other.push.subscriptions(a!)).map((x) => x.endpoint)).toEqual([
          sub(a!, sa, 1).endpoint,
          sub(a!, sa2, 2).endpoint,
        ]);
        // Someone else's endpoint cannot be removed by another user.
        expect(await other.push.unsubscribe(b!, sub(a!, sa, 1).endpoint)).toBe(false);
        await other.push.succeeded(sub(a!, sa, 1).endpoint, 5000);
        expect((await s.push.subscriptions(a!))[0]).toEqual({
          ...sub(a!, sa, 1),
          lastSuccess: 5000,
        });
        // Sign-out of one device removes that device's subscription only.
        await s.users.revokeSession(sa);
        expect((await other.push.subscriptions(a!)).map((x) => x.sessionId)).toEqual([sa2]);
        await other.push.removeEndpoint(sub(a!, sa2, 2).endpoint);
        expect(await s.push.subscriptions(a!)).toEqual([]);
        // Sign-out everywhere (and a password change) ends every session: no subscription left.
        await s.users.revokeAllSessions(b!);
        expect(await other.push.subscriptions(b!)).toEqual([]);
      }),
    );

    it(
      'keeps settings, mutes, what shows and the one request notice per user',
      withStorage(setup, async (s, other) => {
        const [a] = await makeUsers(s, 1);
        expect(await s.push.settings(a!)).toEqual({ enabled: true, preview: 'name-and-message' });
        await s.push.setSettings(a!, { enabled: false, preview: 'nothing' });
        expect(await other.push.settings(a!)).toEqual({ enabled: false, preview: 'nothing' });
        expect(await s.push.mute(a!, 'c1')).toBeNull();
        await s.push.setMute(a!, 'c1', { until: 123 });
        expect(await other.push.mute(a!, 'c1')).toEqual({ until: 123 });
        await other.push.setMute(a!, 'c1', { until: null });
        expect(await s.push.mute(a!, 'c1')).toEqual({ until: null });
        await s.push.setMute(a!, 'c1', null);
        expect(await other.push.mute(a!, 'c1')).toBeNull();
        expect(await s.push.showing(a!, 'c1')).toBeNull();
        await s.push.setShowing(a!, 'c1', 'm1');
        expect(await other.push.showing(a!, 'c1')).toBe('m1');
        expect(await other.push.requestNotified(a!, 'c1')).toBe(false);
        await other.push.setRequestNotified(a!, 'c1');
        expect(await s.push.requestNotified(a!, 'c1')).toBe(true);
        expect(await s.push.showing(a!, 'c1')).toBe('m1');
      }),
    );

    it(
      'generates the VAPID keys once: the first process to store them wins',
      withStorage(setup, async (s, other) => {
        const [k1, k2] = await Promise.all([
          s.push.vapidKeys({ publicKey: 'p1', privateKey: 's1' }),
          other.push.vapidKeys({ publicKey: 'p2', privateKey: 's2' }),
        ]);
        expect(k1).toEqual(k2);
        expect(await s.push.vapidKeys({ publicKey: 'p3', privateKey: 's3' })).toEqual(k1);
      }),
    );
  });
}
