/**
 * Re-renders its host every `intervalMs` (30 s by default) so relative times such as
 * "last seen 5 minutes ago" age on screen; `now` is the time of the latest tick.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class NowController implements ReactiveController {
  now = Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly intervalMs = 30_000,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.timer ??= setInterval(() => {
      this.now = Date.now();
      this.host.requestUpdate();
    }, this.intervalMs);
  }

  hostUpdate(): void {
    this.now = Date.now();
  }

  hostDisconnected(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
