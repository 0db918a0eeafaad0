/**
 * Re-renders a Lit host whenever a data-layer store changes. The store is chosen by a
 * selector, read on every access, so a host can follow a store that comes and goes
 * (the signed-in user's inbox) without managing subscriptions itself.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscribable } from '../data/store';

export class StoreController<T> implements ReactiveController {
  private source: Subscribable<T> | null = null;
  private unsubscribe: (() => void) | null = null;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly select: () => Subscribable<T> | null | undefined,
  ) {
    host.addController(this);
  }

  /** The selected store's snapshot, or undefined when there is no store. */
  get value(): T | undefined {
    this.follow();
    return this.source?.snapshot;
  }

  hostConnected(): void {
    this.connected = true;
    this.follow();
  }

  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Subscribe to the currently selected store (dropping the previous one). */
  private follow(): void {
    const next = this.select() ?? null;
    if (next === this.source && (this.unsubscribe !== null || !this.connected)) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.source = next;
    if (next && this.connected) this.unsubscribe = next.subscribe(() => this.host.requestUpdate());
  }
}
