/**
 * Notifications in the service worker (issue #13): a push shows, replaces or closes the
 * conversation's notification; the text comes from the decrypted payload and is set as
 * text (the Notifications API renders no HTML). A click focuses an open Parley window on
 * that conversation, or opens one.
 */
/// <reference lib="webworker" />
import { notificationTag, parsePushPayload, type PushPayload } from '../shared/push';

declare const self: ServiceWorkerGlobalScope;

interface NotificationData {
  url: string;
  conversationId: string;
  messageId: string | null;
}

async function onPush(payload: PushPayload | null): Promise<void> {
  if (!payload) return;
  const tag = notificationTag(payload.conversationId);
  const shown = await self.registration.getNotifications({ tag });
  switch (payload.type) {
    case 'clear':
      for (const n of shown) n.close();
      return;
    case 'retract':
      for (const n of shown)
        if ((n.data as NotificationData | null)?.messageId === payload.messageId) n.close();
      return;
    case 'request':
    case 'message': {
      const data: NotificationData = {
        url: payload.url,
        conversationId: payload.conversationId,
        messageId: payload.type === 'message' ? payload.messageId : null,
      };
      await self.registration.showNotification(payload.title, {
        body: payload.body,
        tag,
        data,
        icon: '/icons/icon-192.png',
        badge: '/icons/favicon-32.png',
        // A request is announced once and quietly; a new message in a conversation that
        // already shows one replaces it and alerts again.
        silent: payload.type === 'request',
        ...({ renotify: payload.type === 'message' } as NotificationOptions),
      });
      return;
    }
  }
}

self.addEventListener('push', (event: PushEvent) => {
  let raw: unknown = null;
  try {
    raw = event.data?.json();
  } catch {
    raw = null;
  }
  event.waitUntil(onPush(parsePushPayload(raw)));
});

self.addEventListener('notificationclick', (event: NotificationEvent) => {
  event.notification.close();
  const data = event.notification.data as NotificationData | null;
  const path = data?.url?.startsWith('/') ? data.url : '/';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        // The page routes itself (client/pwa/notification-clicks.ts): no reload, no lost state.
        open.postMessage({ type: 'parley:open', path });
        await open.focus().catch(() => undefined);
        return;
      }
      await self.clients.openWindow(path);
    })(),
  );
});
