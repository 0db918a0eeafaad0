/**
 * Swipe a message sideways on a touch screen to reply to it (as in WhatsApp or Signal).
 * Follows touch pointers on the host: the element returned by `target()` slides with the
 * finger (up to `MAX`), and letting go past `THRESHOLD` calls `onSwipe`. Vertical moves
 * stay with the browser (the host sets `touch-action: pan-y`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const THRESHOLD = 56;
const MAX = 80;

export class SwipeToReply implements ReactiveController {
  private start: { x: number; y: number; id: number } | null = null;
  private dx = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly target: () => HTMLElement | null,
    private readonly onSwipe: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('pointerdown', this.onDown);
    this.host.addEventListener('pointermove', this.onMove);
    this.host.addEventListener('pointerup', this.onUp);
    this.host.addEventListener('pointercancel', this.onCancel);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('pointerdown', this.onDown);
    this.host.removeEventListener('pointermove', this.onMove);
    this.host.removeEventListener('pointerup', this.onUp);
    this.host.removeEventListener('pointercancel', this.onCancel);
  }

  private readonly onDown = (e: PointerEvent): void => {
    if (e.pointerType !== 'touch' || !e.isPrimary) return;
    this.start = { x: e.clientX, y: e.clientY, id: e.pointerId };
    this.dx = 0;
  };

  private readonly onMove = (e: PointerEvent): void => {
    const s = this.start;
    if (!s || e.pointerId !== s.id) return;
    const dx = e.clientX - s.x;
    if (Math.abs(e.clientY - s.y) > Math.abs(dx) && this.dx === 0) {
      this.start = null; // a vertical scroll, not a swipe
      return;
    }
    this.dx = Math.max(0, Math.min(MAX, dx));
    this.slide(this.dx);
  };

  private readonly onUp = (e: PointerEvent): void => {
    if (!this.start || e.pointerId !== this.start.id) return;
    const swiped = this.dx >= THRESHOLD;
    this.onCancel();
    if (swiped) this.onSwipe();
  };

  private readonly onCancel = (): void => {
    this.start = null;
    this.dx = 0;
    this.slide(0);
  };

  private slide(px: number): void {
    const el = this.target();
    if (el) el.style.transform = px > 0 ? `translateX(${px}px)` : '';
  }
}
