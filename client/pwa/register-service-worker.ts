/**
 * Registers the service worker (sw/sw.ts, built to /sw.js) through workbox-window and
 * tells the page when a new version is waiting. `applyUpdate()` asks that version to take
 * over (SKIP_WAITING: it never does so on its own) and reloads once it controls the page.
 */
import type { Workbox } from 'workbox-window';
import { SnapshotStore } from '../data/store';

export interface UpdateState {
  /** A new version is installed and waiting for the page to ask for it. */
  available: boolean;
  /** The page asked; it reloads as soon as the new version controls it. */
  applying: boolean;
}

export class ServiceWorkerUpdates extends SnapshotStore<UpdateState> {
  private wb: Workbox | null = null;
  private registering = false;

  constructor() {
    super({ available: false, applying: false });
  }

  /** Register `/sw.js`; a no-op where service workers are unavailable (dev server, http). */
  register(url = '/sw.js'): void {
    if (this.registering || typeof navigator === 'undefined' || !('serviceWorker' in navigator))
      return;
    this.registering = true;
    // workbox-window is its own chunk: registration waits for the page's first paint anyway.
    import('workbox-window').then(
      ({ Workbox }) => this.start(new Workbox(url)),
      (e: unknown) => console.warn('Service worker registration failed', e),
    );
  }

  private start(wb: Workbox): void {
    this.wb = wb;
    // Fires for a version installed while this page runs and for one that was already
    // waiting when the page loaded.
    wb.addEventListener('waiting', () => this.patch({ available: true }));
    wb.register().catch((e: unknown) => {
      // The app works without it (only offline start is lost); say so in the console.
      console.warn('Service worker registration failed', e);
    });
  }

  /** Look for a new version now (the browser also checks on navigations). */
  async checkForUpdate(): Promise<void> {
    await this.wb?.update();
  }

  /** Activate the waiting version and reload into it. */
  applyUpdate(): void {
    const wb = this.wb;
    if (!wb || !this.snapshot.available || this.snapshot.applying) return;
    this.patch({ applying: true });
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), {
      once: true,
    });
    wb.messageSkipWaiting();
  }
}
