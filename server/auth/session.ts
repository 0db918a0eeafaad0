/**
 * Session cookies: iron-session seals `{ sid }` into an HttpOnly cookie; the `sessions`
 * table is the authority, so deleting a row revokes the cookie everywhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import { getIronSession, unsealData, type SessionOptions } from 'iron-session';
import type { UserStore, UserRow } from '../store/user-store';
import { deviceOf } from './device';

export const COOKIE_NAME = 'parley_session';

/** Browsers send at most 4,096 bytes per cookie; anything longer is not one of ours. */
const MAX_COOKIE_CHARS = 4096;
/** Unsealed session ids kept (keyed by a 32-byte hash: about 1 MB at most). */
const CACHE_ENTRIES = 10_000;
/** A session's "last active" is written at most this often (per process). */
const TOUCH_EVERY_MS = 60_000;

export interface SessionData {
  sid?: string;
}

export class Sessions {
  readonly options: SessionOptions;
  private readonly unsealed = new Map<string, { sid: string | undefined; until: number }>();
  /** Session id -> when this process last wrote its `last_active`. */
  private readonly touched = new Map<string, number>();

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
   * cookie is cached for a minute, keyed by the cookie's SHA-256 (not the cookie itself, which
   * an attacker could make as long as the header limit). The `sessions` table is still
   * consulted every time, so a revoked session is refused at once. Never throws: a malformed
   * or oversized cookie is simply "not signed in".
   */
  private async fromCookieHeader(
    header: string | undefined,
  ): Promise<{ user: UserRow; sid: string } | null> {
    const raw = readCookie(header, COOKIE_NAME);
    if (!raw || raw.length > MAX_COOKIE_CHARS) return null;
    const key = createHash('sha256').update(raw).digest('base64url');
    const now = Date.now();
    const cached = this.unsealed.get(key);
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
    if (this.unsealed.size >= CACHE_ENTRIES) {
      const oldest = this.unsealed.keys().next().value;
      if (oldest !== undefined) this.unsealed.delete(oldest);
    }
    this.unsealed.set(key, { sid, until: now + 60_000 });
    return this.resolve(sid);
  }

  /** Start a session for `userId` and set the cookie. */
  async start(req: IncomingMessage, res: ServerResponse, userId: string): Promise<string> {
    const session = await getIronSession<SessionData>(req, res, this.options);
    if (session.sid) await this.users.revokeSession(session.sid);
    session.sid = await this.users.createSession(userId, deviceOf(req));
    this.touched.set(session.sid, Date.now()); // created active just now
    await session.save();
    return session.sid;
  }

  /** Revoke the request's session and clear the cookie. */
  async end(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = await getIronSession<SessionData>(req, res, this.options);
    if (session.sid) await this.users.revokeSession(session.sid);
    session.destroy();
  }

  /**
   * Note that a session was used (any request, socket or stream): its "last active" in the
   * devices list. One write per session per minute at most, never awaited by the request.
   */
  private touch(sid: string): void {
    const now = Date.now();
    const last = this.touched.get(sid);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    if (this.touched.size >= CACHE_ENTRIES) this.touched.clear();
    this.touched.set(sid, now);
    Promise.resolve(this.users.touchSession(sid, now)).catch(() => {
      this.touched.delete(sid); // try again with the next request
    });
  }

  private async resolve(sid: string | undefined): Promise<{ user: UserRow; sid: string } | null> {
    if (typeof sid !== 'string') return null;
    const userId = await this.users.sessionUser(sid);
    if (!userId) return null;
    this.touch(sid);
    const user = await this.users.byId(userId);
    // A disabled account's sessions are deleted when it is disabled; refuse any left anyway.
    return user && !user.disabled ? { user, sid } : null;
  }
}

/** One cookie's value from a Cookie header; a value that does not decode counts as absent. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  const value = parseCookies(header, { decode: safeDecode })[name];
  return value ? value : null;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
