/**
 * Arrow keys through a list of focusable items (a roving tabindex): Up/Down move to the
 * previous/next item, Home/End to the first/last; only one item is in the Tab order (the
 * one last focused, else the current one, else the first), so Tab leaves the list. Items
 * are found after every render with `selector` in the host's shadow root; other controls
 * inside an entry (a menu button) keep their own Tab stop and are not moved through.
 * `onBeforeFirst`, when given, is where Up on the first item goes (a search field above).
 */
import type { ReactiveController, ReactiveElement } from 'lit';

export interface RovingFocusOptions {
  /** The items, relative to the host's render root (e.g. `ul > li > a`). */
  readonly selector: string;
  /** The item to keep in the Tab order when none was focused yet (e.g. `[aria-current='page']`). */
  readonly current?: string;
  /** Up on the first item: focus something before the list (return false to stay). */
  readonly onBeforeFirst?: () => boolean;
}

export class RovingFocusController implements ReactiveController {
  /** The item that keeps the Tab stop (by identity; re-checked after each render). */
  private active: HTMLElement | null = null;

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: RovingFocusOptions,
  ) {
    host.addController(this);
  }

  // The render root exists before controllers hear of the connection (ReactiveElement).
  hostConnected(): void {
    this.host.renderRoot.addEventListener('keydown', this.onKeydown as EventListener);
    this.host.renderRoot.addEventListener('focusin', this.onFocusin as EventListener);
  }

  hostDisconnected(): void {
    this.host.renderRoot.removeEventListener('keydown', this.onKeydown as EventListener);
    this.host.renderRoot.removeEventListener('focusin', this.onFocusin as EventListener);
  }

  hostUpdated(): void {
    this.syncTabStops();
  }

  /** The items in order. */
  items(): HTMLElement[] {
    return Array.from(this.host.renderRoot.querySelectorAll<HTMLElement>(this.options.selector));
  }

  /** Focus the first item (or `index`); false when the list is empty. */
  focusItem(index = 0): boolean {
    const items = this.items();
    const item = items[Math.max(0, Math.min(index, items.length - 1))];
    if (!item) return false;
    this.activate(item);
    item.focus();
    return true;
  }

  /** Focus the item that `matches` (e.g. a conversation's link); false when there is none. */
  focusWhere(matches: (item: HTMLElement) => boolean): boolean {
    const item = this.items().find(matches);
    if (!item) return false;
    this.activate(item);
    item.focus();
    return true;
  }

  private syncTabStops(): void {
    const items = this.items();
    if (items.length === 0) return;
    if (!this.active || !items.includes(this.active)) {
      const current = this.options.current
        ? items.find((i) => i.matches(this.options.current ?? ''))
        : undefined;
      this.active = current ?? items[0] ?? null;
    }
    for (const item of items) item.tabIndex = item === this.active ? 0 : -1;
  }

  private activate(item: HTMLElement): void {
    this.active = item;
    for (const i of this.items()) i.tabIndex = i === item ? 0 : -1;
  }

  private readonly onFocusin = (e: FocusEvent): void => {
    const target = e.target as HTMLElement | null;
    if (target && this.items().includes(target)) this.activate(target);
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const items = this.items();
    const at = items.indexOf(e.target as HTMLElement);
    if (at < 0) return;
    let next: HTMLElement | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = items[Math.min(at + 1, items.length - 1)];
        break;
      case 'ArrowUp':
        if (at === 0 && this.options.onBeforeFirst) {
          if (this.options.onBeforeFirst()) e.preventDefault();
          return;
        }
        next = items[Math.max(at - 1, 0)];
        break;
      case 'Home':
        next = items[0];
        break;
      case 'End':
        next = items[items.length - 1];
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next) {
      this.activate(next);
      next.focus();
    }
  };
}
