/**
 * Push notifications end to end: Alice turns them on from the Notifications dialog, Bob writes,
 * the server pushes to a push endpoint on 127.0.0.1, the decrypted push is delivered to
 * Alice's service worker (DevTools protocol, `ServiceWorker.deliverPushMessage`), the
 * notification shows, a click lands in the conversation, and muting stops them.
 *
 * Chromium cannot reach a real push service here (no network; and Playwright's contexts are
 * off-the-record, where Chromium refuses push subscriptions), so the page's
 * `PushManager.subscribe` is replaced by one that returns a subscription to the local
 * endpoint, with keys made by the page's Web Crypto. Everything of Parley's is real.
 */
import type { CDPSession } from '@playwright/test';
import type { PushPayload } from '../../shared/push';
import { PushService } from '../helpers/push-service';
import { expect, test } from './fixtures/actors';
import { connect, listEntry, waitForServiceWorker } from './helpers/local-first';

/** Replace the browser's push service with the local endpoint (runs in the page). */
function fakePushService(endpoint: string): void {
  type Keys = { privateKey: string; auth: string };
  const w = window as unknown as { __push?: { sub: PushSubscription | null; keys: Keys | null } };
  w.__push ??= { sub: null, keys: null };
  const state = w.__push;
  const b64 = (buf: ArrayBuffer | Uint8Array): string =>
    btoa(String.fromCharCode(...new Uint8Array(buf)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(state.sub);
  };
  PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
      'deriveBits',
    ]);
    const pub = await crypto.subtle.exportKey('raw', pair.publicKey);
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const auth = crypto.getRandomValues(new Uint8Array(16));
    const key = options?.applicationServerKey as Uint8Array;
    const json = { endpoint, expirationTime: null, keys: { p256dh: b64(pub), auth: b64(auth) } };
    const sub = {
      endpoint,
      options: { applicationServerKey: key.slice().buffer, userVisibleOnly: true },
      toJSON: () => json,
      unsubscribe: () => {
        state.sub = null;
        return Promise.resolve(true);
      },
    } as unknown as PushSubscription;
    state.sub = sub;
    state.keys = { privateKey: jwk.d!, auth: b64(auth) };
    return sub;
  };
}

test('a push shows a notification; clicking it opens the conversation; muting stops it', async ({
  alice,
  bob,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const pushService = await PushService.start();
  try {
    const endpoint = `${pushService.origin}/push/alice-browser`;
    await alice.context.addInitScript(fakePushService, endpoint);
    await alice.context.grantPermissions(['notifications'], { origin: baseURL });
    await connect(alice, bob);
    await alice.page.reload();
    await waitForServiceWorker(alice.page);

    // Turned on only from the button, after the explanation.
    await alice.page.getByRole('button', { name: 'Notifications' }).click();
    const dialog = alice.page.getByRole('dialog', { name: 'Notifications' });
    await expect(dialog.getByRole('status')).toContainText('Turn on notifications');
    await dialog.getByRole('button', { name: 'Turn on notifications' }).click();
    await expect(dialog.getByRole('status')).toContainText('On for this device');
    await expect(dialog.getByRole('radio', { name: 'Name and message' })).toBeChecked();
    await dialog.getByRole('button', { name: 'Close' }).click();
    const keys = await alice.page.evaluate(
      () =>
        (window as unknown as { __push: { keys: { privateKey: string; auth: string } } }).__push
          .keys,
    );
    const device = pushService.device(
      'alice-browser',
      {
        privateKey: Buffer.from(keys.privateKey, 'base64url'),
        auth: Buffer.from(keys.auth, 'base64url'),
      },
      endpoint,
    );

    // Alice leaves the conversation; Bob writes.
    await alice.page.goto('/');
    await expect(listEntry(alice.page, bob.name)).toBeVisible();
    await bob.chat.send('Are you coming tonight?');
    await pushService.waitFor(() => pushService.for(device).length === 1, 'the push');
    const payload = pushService.for(device)[0]!;

    // The push service's message reaches Alice's service worker, which shows it as text.
    const cdp = await alice.context.newCDPSession(alice.page);
    const registrationId = await swRegistration(cdp);
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: new URL(baseURL!).origin,
      registrationId,
      data: JSON.stringify(payload satisfies PushPayload),
    });
    await expect
      .poll(() =>
        alice.page.evaluate(async () =>
          (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
            title: n.title,
            body: n.body,
          })),
        ),
      )
      .toEqual([{ title: bob.name, body: 'Are you coming tonight?' }]);

    // A click lands in the conversation.
    const [sw] = alice.context.serviceWorkers();
    await sw!.evaluate(async () => {
      // The worker's globals, typed here by hand (this file is compiled with the DOM library).
      const scope = self as unknown as {
        registration: { getNotifications(): Promise<Notification[]> };
        dispatchEvent(e: Event): boolean;
        NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
      };
      const [n] = await scope.registration.getNotifications();
      try {
        scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification: n! }));
      } catch {
        // waitUntil refuses an untrusted event; the handler's work has started anyway.
      }
    });
    await expect(alice.page.getByRole('heading', { name: bob.name })).toBeVisible();
    await expect(alice.page).toHaveURL(/\/c\/c_/);

    // Muted for 8 hours (from the conversation's menu): Bob's next message sends no push.
    await alice.page.getByRole('button', { name: 'Conversation options' }).click();
    await alice.page.getByRole('menuitem', { name: 'Mute for 8 hours' }).click();
    await expect(alice.page.getByRole('img', { name: 'Notifications muted' })).toBeVisible();
    await alice.page.goto('/');
    await expect(listEntry(alice.page, bob.name)).toContainText('muted');
    await bob.chat.send('Muted message');
    await expect(listEntry(alice.page, bob.name)).toContainText('Muted message');
    // Unmuted: the next one is pushed, and the muted one never was (pushes keep their order).
    await listEntry(alice.page, bob.name).click();
    await alice.page.getByRole('button', { name: 'Conversation options' }).click();
    await alice.page.getByRole('menuitem', { name: 'Unmute notifications' }).click();
    await expect(alice.page.getByRole('img', { name: 'Notifications muted' })).toHaveCount(0);
    await alice.page.goto('/');
    await bob.chat.send('Loud again');
    const messages = () => pushService.for(device).filter((p) => p.type === 'message');
    await pushService.waitFor(() => messages().length === 2, 'the second push');
    expect(messages()[1]).toMatchObject({ body: 'Loud again' });
    // Opening the conversation read it: the notification was cleared on every device.
    expect(pushService.for(device)).toContainEqual({
      type: 'clear',
      conversationId: payload.conversationId,
    });
  } finally {
    await pushService.close();
  }
});

/** The registration id of the page's service worker, from the DevTools protocol. */
async function swRegistration(cdp: CDPSession): Promise<string> {
  const id = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
      const reg = e.registrations.find((r) => !r.isDeleted);
      if (reg) resolve(reg.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return await id;
}
