/**
 * The message list from the keyboard. Tab reaches one message (roving focus: the one you
 * were last on, else the newest); on a focused message ↑/↓ move between messages,
 * Home/End go to the first/last shown, R replies, E edits (your own, while allowed) and
 * Enter opens its options. The host binds `onKeydown` and `onFocusIn` on its log.
 */
import type { ReactiveControllerHost } from 'lit';
import type { MessageView } from '../data/message-state';
import { MessageActionEvent } from '../components/events';

const MESSAGE = '.msg[data-message-id]';

export class MessageKeys {
  /** The message Tab reaches; null: the newest. */
  currentId: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly root: () => ParentNode,
    private readonly find: (id: string) => MessageView | undefined,
  ) {}

  /** Make `id` the message Tab reaches. */
  setCurrent(id: string): void {
    if (id === this.currentId) return;
    this.currentId = id;
    this.host.requestUpdate();
  }

  readonly onFocusIn = (e: FocusEvent): void => {
    const target = e.composedPath()[0];
    const id =
      target instanceof Element ? target.closest(MESSAGE)?.getAttribute('data-message-id') : null;
    if (id) this.setCurrent(id);
  };

  readonly onKeydown = (e: KeyboardEvent): void => {
    const target = e.composedPath()[0];
    if (!(target instanceof HTMLElement) || !target.matches(MESSAGE)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const id = target.getAttribute('data-message-id') ?? '';
    const key = e.key.toLowerCase();
    if (key === 'r' || key === 'e') {
      const m = this.find(id);
      if (!m || m.deleted || (key === 'e' && !m.canEdit)) return;
      e.preventDefault();
      this.host.dispatchEvent(new MessageActionEvent(key === 'r' ? 'reply' : 'edit', id));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const menu = target.querySelector('parley-menu-button');
      if (menu) void menu.show();
      else target.querySelector<HTMLElement>('.options')?.click();
    } else {
      const rows = [...this.root().querySelectorAll<HTMLElement>(MESSAGE)];
      const at = rows.indexOf(target);
      const next =
        e.key === 'ArrowUp'
          ? rows[at - 1]
          : e.key === 'ArrowDown'
            ? rows[at + 1]
            : e.key === 'Home'
              ? rows[0]
              : e.key === 'End'
                ? rows[rows.length - 1]
                : null;
      if (next === null) return;
      e.preventDefault();
      next?.focus();
      next?.scrollIntoView({ block: 'nearest' });
    }
  };
}
