/**
 * One entry of the conversation list: a link whose accessible name starts with the other
 * person's name, then presence, "pinned", the last message (or "typing…") and the unread
 * count; beside it, a menu (pin, archive, delete chat for me). Rendered by
 * `<parley-conversation-list>`, whose styles these are.
 */
import { css, html } from 'lit';
import type { ConversationSummary } from '../../shared/api';
import { conversationPath } from '../router';
import './avatar';
import { ConversationPrefEvent, type MenuSelectEvent, type ConversationPrefAction } from './events';
import { listTime, presenceText } from './format';
import type { MenuItem } from './menu-button';

export interface EntryContext {
  activeId: string | null;
  me: string;
  now: number;
  typing: ReadonlySet<string>;
  onClick: (e: MouseEvent) => void;
}

/** The items of a conversation's menu for you: pin, archive, delete chat for me. */
export function prefMenu(c: ConversationSummary): MenuItem[] {
  const items: MenuItem[] = [];
  if (!c.archived)
    items.push(
      typeof c.pinned === 'number'
        ? { label: 'Unpin chat', value: 'unpin' }
        : { label: 'Pin chat', value: 'pin' },
    );
  items.push(
    c.archived
      ? { label: 'Unarchive chat', value: 'unarchive' }
      : { label: 'Archive chat', value: 'archive' },
  );
  items.push({ label: 'Delete chat', value: 'clear', danger: true });
  return items;
}

const PREF_ACTIONS = new Set<string>(['pin', 'unpin', 'archive', 'unarchive', 'clear']);

/** Turn a `menu-select` of `prefMenu` into a `conversation-pref` event (false: not one of its items). */
export function dispatchPref(
  host: EventTarget,
  e: MenuSelectEvent,
  conversationId: string,
): boolean {
  if (!PREF_ACTIONS.has(e.value)) return false;
  host.dispatchEvent(new ConversationPrefEvent(conversationId, e.value as ConversationPrefAction));
  return true;
}

export function renderEntry(c: ConversationSummary, ctx: EntryContext) {
  const last = c.lastMessage;
  const unread = c.id === ctx.activeId ? 0 : c.unread;
  const typing = ctx.typing.has(c.id);
  const preview = typing
    ? 'typing…'
    : last
      ? `${last.from === ctx.me ? 'You: ' : ''}${last.text}`
      : c.peer.about || 'No messages yet';
  const status = presenceText(c.peer, ctx.now);
  const pinned = typeof c.pinned === 'number' && !c.archived;
  return html`<li data-conversation=${c.id}>
    <a
      href=${conversationPath(c.id)}
      data-conversation-id=${c.id}
      class=${unread > 0 ? 'unread' : ''}
      aria-current=${c.id === ctx.activeId ? 'page' : 'false'}
      @click=${ctx.onClick}
    >
      <parley-avatar
        class="avatar ${c.peer.online ? 'online' : ''}"
        title=${status}
        user-id=${c.peer.id}
        .name=${c.peer.displayName}
        .photo=${c.peer.avatar ?? null}
      ></parley-avatar>
      <span class="name"
        ><span class="who" dir="auto">${c.peer.displayName}</span
        ><span class="visually-hidden" data-presence>${status ? `, ${status}` : ''}</span>${
          c.request
            ? html`<span class="tag"><span class="visually-hidden">, </span>request</span>`
            : null
        }${
          c.muted
            ? html`<span class="muted-mark"
                ><span aria-hidden="true"> 🔕</span
                ><span class="visually-hidden">, muted</span></span
              >`
            : null
        }${
          pinned
            ? html`<span class="pin-mark"
                ><span aria-hidden="true"> 📌</span
                ><span class="visually-hidden">, pinned</span></span
              >`
            : null
        }</span
      >
      ${
        unread > 0
          ? html`<span class="badge"
              ><span class="visually-hidden">, </span>${unread}<span class="visually-hidden">
                unread</span
              ></span
            >`
          : null
      }
      <span class="preview ${typing ? 'typing' : ''}" dir="auto"
        ><span class="visually-hidden">, </span>${preview}</span
      >
      <span class="time"
        >${last ? html`<span class="visually-hidden">, </span>${listTime(last.at, ctx.now)}` : ''}</span
      >
    </a>
    <parley-menu-button
      label=${`Options for the chat with ${c.peer.displayName}`}
      .items=${prefMenu(c)}
      @menu-select=${(e: MenuSelectEvent) => dispatchPref(e.currentTarget as EventTarget, e, c.id)}
    ></parley-menu-button>
  </li>`;
}

export const entryStyles = css`
  li {
    display: grid;
    grid-template-columns: 1fr auto;
    align-items: center;
    gap: 0.2rem;
  }
  a {
    min-height: 2.75rem;
    display: grid;
    grid-template-columns: auto 1fr auto;
    grid-template-rows: auto auto;
    column-gap: 0.7rem;
    align-items: center;
    min-width: 0;
    padding: 0.55rem 0.6rem;
    border-radius: var(--radius-small);
    color: inherit;
    text-decoration: none;
    border: 1px solid transparent;
  }
  a:hover {
    background: var(--glass-strong);
  }
  a[aria-current='page'] {
    background: var(--glass-hover);
    border-color: var(--border);
  }
  .avatar {
    grid-row: 1 / span 2;
  }
  .name {
    display: flex;
    align-items: center;
    min-width: 0;
    font-weight: 600;
  }
  .who {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .tag {
    flex: none;
    margin-left: 0.4rem;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    font-size: 0.7rem;
    font-weight: 600;
    color: var(--accent);
    border: 1px solid var(--accent);
  }
  /* Placed by grid: the DOM order is the order the accessible name reads in. */
  .name {
    grid-column: 2;
    grid-row: 1;
  }
  .time {
    grid-column: 3;
    grid-row: 1;
    justify-self: end;
    font-size: 0.75rem;
    color: var(--muted);
  }
  .preview {
    grid-column: 2;
    grid-row: 2;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--muted);
    font-size: 0.88rem;
  }
  .unread .preview,
  .preview.typing {
    color: var(--text);
  }
  .preview.typing {
    font-style: italic;
  }
  .badge {
    grid-column: 3;
    grid-row: 2;
    justify-self: end;
    min-width: 1.35rem;
    height: 1.35rem;
    padding: 0 0.4rem;
    border-radius: 999px;
    background: var(--accent-strong);
    color: var(--on-accent);
    font-size: 0.75rem;
    font-weight: 700;
    display: inline-grid;
    place-items: center;
  }
`;
