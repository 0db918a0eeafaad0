/**
 * What the Notifications dialog is told about this device: unsupported, iOS needing the Home
 * Screen, blocked, off, on — and that the permission is asked only by `enable()`.
 */
import { describe, expect, it } from 'vitest';
import { Api } from '../../../../client/data/api';
import { PushNotifications, type PushEnvironment } from '../../../../client/data/push';

const api = (): Api =>
  new Api({
    fetch: (url) =>
      Promise.resolve(
        new Response(
          JSON.stringify(
            url.endsWith('/api/settings/notifications')
              ? { settings: { enabled: true, preview: 'name-only' } }
              : {},
          ),
          { status: 200, headers: { 'Content-Type': 'application/json' } },
        ),
      ),
  });

function env(over: Partial<PushEnvironment>, asked: string[] = []): PushEnvironment {
  return {
    notificationPermission: () => 'default',
    requestPermission: () => {
      asked.push('permission');
      return Promise.resolve('denied');
    },
    registration: () => Promise.resolve(null),
    isAppleMobile: false,
    standalone: false,
    ...over,
  };
}

describe('push notifications on this device', () => {
  it('says what the browser allows', async () => {
    expect(new PushNotifications(api(), env({ notificationPermission: () => null })).snapshot.availability).toBe('unsupported');
    expect(
      new PushNotifications(api(), env({ notificationPermission: () => null, isAppleMobile: true }))
        .snapshot.availability,
    ).toBe('needs-install');
    expect(new PushNotifications(api(), env({ notificationPermission: () => 'denied' })).snapshot.availability).toBe('blocked');
    const asked: string[] = [];
    const off = new PushNotifications(api(), env({}, asked));
    await off.refresh();
    expect(off.snapshot).toMatchObject({ availability: 'off', settings: { preview: 'name-only' } });
    // Reading the state never asks for the permission; turning it on does.
    expect(asked).toEqual([]);
    await off.enable();
    expect(asked).toEqual(['permission']);
    expect(off.snapshot.availability).toBe('blocked');
  });
});
