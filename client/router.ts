/**
 * Client-side routes over the History API: `/`, `/c/<conversationId>`, `/people`, `/sign-in` and
 * `/sign-up`. The server answers every such path with index.html, so reloads work.
 */
import { CONVERSATION_ID } from '../shared/protocol';
import { SnapshotStore } from './data/store';

export type Route =
  | { name: 'home' }
  | { name: 'conversation'; id: string }
  | { name: 'people' }
  | { name: 'sign-in' }
  | { name: 'sign-up' }
  | { name: 'not-found'; path: string };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  if (pathname === '/sign-in') return { name: 'sign-in' };
  if (pathname === '/people') return { name: 'people' };
  if (pathname === '/sign-up') return { name: 'sign-up' };
  const m = /^\/c\/([^/]+)\/?$/.exec(pathname);
  if (m?.[1] && CONVERSATION_ID.test(m[1])) return { name: 'conversation', id: m[1] };
  return { name: 'not-found', path: pathname };
}

export const conversationPath = (id: string): string => `/c/${encodeURIComponent(id)}`;

export class Router extends SnapshotStore<Route> {
  constructor(private readonly win: Window = window) {
    super(parseRoute(win.location.pathname));
    win.addEventListener('popstate', this.onPopState);
  }

  /** Go to `path` (same origin); `replace` rewrites the current history entry. */
  navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
    if (path === this.win.location.pathname) return;
    if (replace) this.win.history.replaceState(null, '', path);
    else this.win.history.pushState(null, '', path);
    this.set(parseRoute(this.win.location.pathname));
  }

  private readonly onPopState = (): void => {
    this.set(parseRoute(this.win.location.pathname));
  };

  dispose(): void {
    this.win.removeEventListener('popstate', this.onPopState);
  }
}
