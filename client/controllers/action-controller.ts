/**
 * Tracks one async user action (sign in, open a conversation) for a Lit host: pending,
 * and the error text to show — lit's Task idea without the package.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorText } from '../errors';

export class ActionController implements ReactiveController {
  pending = false;
  error: string | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Run `fn` unless a run is pending; resolves true on success, false on failure. */
  async run(fn: () => Promise<unknown>): Promise<boolean> {
    if (this.pending) return false;
    this.pending = true;
    this.error = null;
    this.host.requestUpdate();
    try {
      await fn();
      return true;
    } catch (e) {
      this.error = errorText(e);
      return false;
    } finally {
      this.pending = false;
      this.host.requestUpdate();
    }
  }

  clearError(): void {
    if (this.error === null) return;
    this.error = null;
    this.host.requestUpdate();
  }

  hostConnected(): void {}
}
