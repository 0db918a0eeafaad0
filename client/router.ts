/**
 * Client-side routes over the History API: `/`, `/c/<conversationId>` (with `?m=<messageId>`:
 * opened at that message), `/people`, `/settings`, `/admin`, `/sign-in`, `/sign-up` (`?invite=CODE` fills
 * in the invite code), `/forgot` and `/reset?token=…` (a one-time link). The server answers
 * every such path with index.html, so reloads work.
 */
import { CONVERSATION_ID } from '../shared/protocol';
import { isMessageId } from '../shared/schema';
import { SnapshotStore } from './data/store';

export type Route =
  | { name: 'home' }
  | { name: 'conversation'; id: string; messageId?: string }
  | { name: 'people' }
  | { name: 'sign-in' }
  | { name: 'sign-up'; invite?: string }
  | { name: 'forgot' }
  | { name: 'reset'; token: string; welcome: boolean }
  | { name: 'admin' }
  | { name: 'settings' }
  | { name: 'not-found'; path: string };

/**
 * The route of `pathname`; `search` (the query string) carries invite codes, link tokens and
 * the message to open a conversation at.
 */
export function parseRoute(pathname: string, search = ''): Route {
  const query = new URLSearchParams(search);
  if (pathname === '/' || pathname === '') return { name: 'home' };
  if (pathname === '/sign-in') return { name: 'sign-in' };
  if (pathname === '/people') return { name: 'people' };
  if (pathname === '/admin') return { name: 'admin' };
  if (pathname === '/settings') return { name: 'settings' };
  if (pathname === '/forgot') return { name: 'forgot' };
  if (pathname === '/reset')
    return { name: 'reset', token: query.get('token') ?? '', welcome: query.has('welcome') };
  if (pathname === '/sign-up') {
    const invite = query.get('invite');
    return invite ? { name: 'sign-up', invite } : { name: 'sign-up' };
  }
  const m = /^\/c\/([^/]+)\/?$/.exec(pathname);
  if (m?.[1] && CONVERSATION_ID.test(m[1])) {
    const messageId = query.get('m');
    // A malformed message id is ignored: the conversation still opens.
    return isMessageId(messageId)
      ? { name: 'conversation', id: m[1], messageId }
      : { name: 'conversation', id: m[1] };
  }
  return { name: 'not-found', path: pathname };
}

/** A conversation's path; with `messageId`, opened at that message. */
export const conversationPath = (id: string, messageId?: string): string =>
  `/c/${encodeURIComponent(id)}${messageId ? `?m=${encodeURIComponent(messageId)}` : ''}`;

export class Router extends SnapshotStore<Route> {
  constructor(private readonly win: Window = window) {
    super(parseRoute(win.location.pathname, win.location.search));
    win.addEventListener('popstate', this.onPopState);
  }

  /** Go to `path` (same origin, may carry a query); `replace` rewrites the current history entry. */
  navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
    if (path === this.win.location.pathname + this.win.location.search) return;
    if (replace) this.win.history.replaceState(null, '', path);
    else this.win.history.pushState(null, '', path);
    this.set(parseRoute(this.win.location.pathname, this.win.location.search));
  }

  private readonly onPopState = (): void => {
    this.set(parseRoute(this.win.location.pathname, this.win.location.search));
  };

  dispose(): void {
    this.win.removeEventListener('popstate', this.onPopState);
  }
}
