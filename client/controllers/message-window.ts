/**
 * The windowed scroll of the message list: which slice of the messages is in the DOM, and
 * keeping what is on screen in place while that slice (or the array under it) changes.
 *
 * Only `[start, end)` of the messages is rendered (the newest `INITIAL_WINDOW` when a
 * conversation opens). Scrolling near the top of the slice adds a page of older messages
 * above, near its bottom a page of newer ones below, and the far side is dropped once the
 * slice holds more than `MAX_WINDOW`. Every update keeps the first visible message where
 * it was on screen (the browser's own scroll anchoring is off), so nothing jumps.
 *
 * The host calls, in order: `before()` from `willUpdate`, then `after()` from `updated`
 * (which restores the anchor); `shift()` on scroll. Plain DOM geometry, no Lit.
 */
import type { MessageView } from '../data/message-state';

/** How close to the end (px) still counts as "at the bottom". */
export const BOTTOM_SLACK = 48;
/** Messages rendered when a conversation opens: the newest ones. */
export const INITIAL_WINDOW = 100;
/** Messages added above or below the slice at a time. */
export const PAGE = 25;
/** The most messages kept in the DOM; beyond it, the far side of the slice is dropped. */
export const MAX_WINDOW = 200;

/** What the list's rows look like to the window: any element with a stable position. */
const ROW_SELECTOR = 'li.msg-row';

export class MessageWindow {
  /** The rendered slice of the messages: indexes [start, end). */
  start = 0;
  end = 0;
  /** The first message on screen before an update, and its offset from the log's top. */
  private anchor: { el: Element; top: number } | null = null;

  /** True when the newest of `length` messages is in view in `log`. */
  isAtBottom(log: HTMLElement | null, length: number): boolean {
    if (!log) return true;
    if (this.end < length) return false;
    return log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK;
  }

  /** Render the newest slice of `length` messages; true if the slice moved. */
  toEnd(length: number): boolean {
    if (this.end >= length) return false;
    this.start = Math.max(0, length - INITIAL_WINDOW);
    this.end = length;
    return true;
  }

  /** Render a slice around `index` (revealing a message far from the current slice). */
  around(index: number, length: number): boolean {
    if (index >= this.start && index < this.end) return false;
    this.start = Math.max(0, index - PAGE / 2);
    this.end = Math.min(length, this.start + INITIAL_WINDOW);
    this.start = Math.max(0, Math.min(this.start, this.end - INITIAL_WINDOW));
    return true;
  }

  /** Move the slice onto a new array: the same first (and last) message stay rendered. */
  rebase(before: readonly MessageView[], now: readonly MessageView[], wasAtBottom: boolean): void {
    const length = now.length;
    const followed = this.end >= before.length;
    const startId = before[this.start]?.id;
    const endId = before[this.end - 1]?.id;
    if (before.length === 0 || length === 0) {
      this.start = Math.max(0, length - INITIAL_WINDOW);
      this.end = length;
      return;
    }
    const start = startId === undefined ? -1 : indexOf(now, startId, this.start);
    this.start = Math.min(start >= 0 ? start : this.start, length);
    if (followed) {
      this.end = length;
      // At the bottom, new messages push the oldest rendered ones out of the DOM.
      if (wasAtBottom && this.end - this.start > MAX_WINDOW) this.start = this.end - MAX_WINDOW;
    } else {
      const end = endId === undefined ? -1 : indexOf(now, endId, this.end - 1);
      this.end = Math.min(Math.max(end >= 0 ? end + 1 : this.end, this.start), length);
    }
  }

  /**
   * Opening with unread messages: render from a little before the first of them. Returns
   * false when that cut the newest messages off (the list is no longer at the bottom).
   */
  includeIndex(index: number): boolean {
    if (index < 0 || index >= this.start) return true;
    this.start = Math.max(0, index - 10);
    if (this.end - this.start > MAX_WINDOW) {
      this.end = this.start + MAX_WINDOW;
      return false;
    }
    return true;
  }

  /** Remember the first visible row (call before an update that may move rows). */
  capture(root: ParentNode, log: HTMLElement | null): void {
    this.anchor = log ? firstVisible(root, log) : null;
  }

  /** Forget the anchor (the update follows the newest message instead). */
  release(): void {
    this.anchor = null;
  }

  /** Put the anchor back where it was on screen (content above it was added or dropped). */
  restore(log: HTMLElement | null): void {
    const anchor = this.anchor;
    this.anchor = null;
    if (!log || !anchor || !anchor.el.isConnected) return;
    const moved = anchor.el.getBoundingClientRect().top - log.getBoundingClientRect().top;
    const delta = moved - anchor.top;
    if (Math.abs(delta) >= 1) log.scrollTop += delta;
  }

  /**
   * Near the top of the slice, add a page of older messages (dropping the newest rendered
   * ones beyond MAX_WINDOW); near its bottom, a page of newer ones. Returns true when the
   * slice changed (the host re-renders; its next scroll event checks again).
   */
  shift(log: HTMLElement | null, length: number): boolean {
    if (!log || length === 0) return false;
    const edge = nearEdge(log);
    if (log.scrollTop < edge && this.start > 0) {
      this.start = Math.max(0, this.start - PAGE);
      this.end = Math.min(this.end, this.start + MAX_WINDOW);
      return true;
    }
    if (log.scrollHeight - log.scrollTop - log.clientHeight < edge && this.end < length) {
      this.end = Math.min(length, this.end + PAGE);
      this.start = Math.max(this.start, this.end - MAX_WINDOW);
      return true;
    }
    return false;
  }
}

/** How close to an end of the log (px) counts as "near": two screens, at least 800 px. */
export function nearEdge(log: HTMLElement): number {
  return Math.max(800, log.clientHeight * 2);
}

/** The index of message `id` in `messages`, looking near `hint` first (it rarely moves far). */
export function indexOf(messages: readonly MessageView[], id: string, hint: number): number {
  for (let d = 0; d < 4; d++) {
    if (messages[hint + d]?.id === id) return hint + d;
    if (messages[hint - d]?.id === id) return hint - d;
  }
  return messages.findIndex((x) => x.id === id);
}

/** The first rendered message row whose bottom is below the log's top edge. */
function firstVisible(root: ParentNode, log: HTMLElement): { el: Element; top: number } | null {
  const top = log.getBoundingClientRect().top;
  for (const el of root.querySelectorAll(ROW_SELECTOR)) {
    const r = el.getBoundingClientRect();
    if (r.bottom > top) return { el, top: r.top - top };
  }
  return null;
}
