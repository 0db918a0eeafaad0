/**
 * A click on a notification, when a Parley window is open: the service worker posts the
 * path to open (sw/push.ts) and the page routes there itself, keeping its state.
 */
import type { Router } from '../router';

export function followNotificationClicks(router: Router, nav: Navigator = navigator): void {
  nav.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown; path?: unknown } | null;
    if (data?.type !== 'parley:open' || typeof data.path !== 'string') return;
    // Only paths of this app (never another origin).
    if (!data.path.startsWith('/') || data.path.startsWith('//')) return;
    router.navigate(data.path);
  });
}
