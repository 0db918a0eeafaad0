/**
 * Keeps the newest message in view when the message log changes size: a phone keyboard
 * opening, the window shrinking, the composer growing. If the log was at the bottom
 * before the resize (as the host last reported it, from a scroll or an update), it is
 * scrolled back to the end; if the person had scrolled up, nothing moves.
 *
 * A shrinking scroller keeps its scrollTop and fires no scroll event, so the host's last
 * known "at the bottom" is still the state from before the resize when this runs.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class PinToBottom implements ReactiveController {
  private observer: ResizeObserver | null = null;
  private observed: HTMLElement | null = null;
  private size = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The scroller. */
    private readonly scroller: () => HTMLElement | null,
    /** Whether the newest message was in view before this resize. */
    private readonly wasAtBottom: () => boolean,
    /** Scroll to the newest message. */
    private readonly toEnd: () => void,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const el = this.scroller();
    if (el === this.observed) return;
    this.observer?.disconnect();
    this.observed = el;
    this.size = '';
    if (!el || typeof ResizeObserver === 'undefined') return;
    this.observer ??= new ResizeObserver(this.onResize);
    this.observer.observe(el);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.observed = null;
  }

  private readonly onResize = (): void => {
    const el = this.observed;
    if (!el) return;
    // Narrower also counts: text wraps onto more lines and pushes the end down.
    const size = `${el.clientWidth}x${el.clientHeight}`;
    const changed = this.size !== '' && size !== this.size;
    this.size = size;
    if (changed && this.wasAtBottom()) this.toEnd();
  };
}
