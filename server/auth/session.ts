/**
 * Session cookies: iron-session seals `{ sid }` into an HttpOnly cookie; the `sessions`
 * table is the authority, so deleting a row revokes the cookie everywhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getIronSession, unsealData, type SessionOptions } from 'iron-session';
import type { UserStore, UserRow } from '../store/user-store';

export const COOKIE_NAME = 'parley_session';

export interface SessionData {
  sid?: string;
}

export class Sessions {
  readonly options: SessionOptions;
  private readonly unsealed = new Map<string, { sid: string | undefined; until: number }>();

  constructor(
    secret: string,
    secure: boolean,
    private readonly users: UserStore,
  ) {
    this.options = {
      password: secret,
      cookieName: COOKIE_NAME,
      ttl: 60 * 60 * 24 * 30,
      cookieOptions: { httpOnly: true, sameSite: 'lax', secure, path: '/' },
    };
  }

  /** The signed-in user and session id of an HTTP request, or null. */
  fromRequest(req: IncomingMessage): Promise<{ user: UserRow; sid: string } | null> {
    return this.fromCookieHeader(req.headers.cookie);
  }

  /** The signed-in user of a WebSocket upgrade request (no response to write cookies to). */
  fromUpgrade(req: IncomingMessage): Promise<{ user: UserRow; sid: string } | null> {
    return this.fromCookieHeader(req.headers.cookie);
  }

  /**
   * Unsealing costs PBKDF2 + AES + HMAC (about 0.7 ms), so the session id of a recently seen
   * cookie is cached for a minute. The `sessions` table is still consulted every time, so a
   * revoked session is refused at once.
   */
  private async fromCookieHeader(
    header: string | undefined,
  ): Promise<{ user: UserRow; sid: string } | null> {
    const raw = readCookie(header, COOKIE_NAME);
    if (!raw) return null;
    const now = Date.now();
    const cached = this.unsealed.get(raw);
    if (cached && cached.until > now) return this.resolve(cached.sid);
    let sid: string | undefined;
    try {
      const data = await unsealData<SessionData>(raw, {
        password: this.options.password,
        ttl: this.options.ttl,
      });
      sid = data.sid;
    } catch {
      sid = undefined;
    }
    if (this.unsealed.size >= 10_000) {
      const oldest = this.unsealed.keys().next().value;
      if (oldest !== undefined) this.unsealed.delete(oldest);
    }
    this.unsealed.set(raw, { sid, until: now + 60_000 });
    return this.resolve(sid);
  }

  /** Start a session for `userId` and set the cookie. */
  async start(req: IncomingMessage, res: ServerResponse, userId: string): Promise<string> {
    const session = await getIronSession<SessionData>(req, res, this.options);
    if (session.sid) this.users.revokeSession(session.sid);
    session.sid = this.users.createSession(userId);
    await session.save();
    return session.sid;
  }

  /** Revoke the request's session and clear the cookie. */
  async end(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = await getIronSession<SessionData>(req, res, this.options);
    if (session.sid) this.users.revokeSession(session.sid);
    session.destroy();
  }

  private resolve(sid: string | undefined): { user: UserRow; sid: string } | null {
    if (typeof sid !== 'string') return null;
    const userId = this.users.sessionUser(sid);
    if (!userId) return null;
    const user = this.users.byId(userId);
    return user ? { user, sid } : null;
  }
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}
