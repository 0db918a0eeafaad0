/**
 * Swipe a message sideways on a touch screen to reply to it (as in WhatsApp or Signal).
 * One set of pointer listeners on the host (the message list), delegated: a touch that
 * starts on a message (`.msg[data-message-id]`) slides its `.body` with the finger (up to
 * `MAX`), and letting go past `THRESHOLD` calls `onSwipe(id)`. Vertical moves stay with
 * the browser (messages have `touch-action: pan-y`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const THRESHOLD = 56;
const MAX = 80;

interface Swipe {
  id: string;
  body: HTMLElement;
  x: number;
  y: number;
  pointer: number;
  dx: number;
}

export class SwipeToReply implements ReactiveController {
  private swipe: Swipe | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onSwipe: (messageId: string) => void,
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
    const target = e.composedPath()[0];
    const msg = target instanceof Element ? target.closest('.msg[data-message-id]') : null;
    const body = msg?.querySelector<HTMLElement>('.body');
    const id = msg?.getAttribute('data-message-id');
    if (!body || !id) return;
    this.swipe = { id, body, x: e.clientX, y: e.clientY, pointer: e.pointerId, dx: 0 };
  };

  private readonly onMove = (e: PointerEvent): void => {
    const s = this.swipe;
    if (!s || e.pointerId !== s.pointer) return;
    const dx = e.clientX - s.x;
    if (s.dx === 0 && Math.abs(e.clientY - s.y) > Math.abs(dx)) {
      this.swipe = null; // a vertical scroll, not a swipe
      return;
    }
    s.dx = Math.max(0, Math.min(MAX, dx));
    s.body.style.transform = s.dx > 0 ? `translateX(${s.dx}px)` : '';
  };

  private readonly onUp = (e: PointerEvent): void => {
    const s = this.swipe;
    if (!s || e.pointerId !== s.pointer) return;
    this.onCancel();
    if (s.dx >= THRESHOLD) this.onSwipe(s.id);
  };

  private readonly onCancel = (): void => {
    if (this.swipe) this.swipe.body.style.transform = '';
    this.swipe = null;
  };
}
