/** Users and sessions (server-side session records make cookies revocable): the seam. */
import type { Awaitable } from './storage';

export interface UserRow {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  lastSeen: number | null;
  /** May use the admin page and /api/admin/* (docs/security.md, "Admin"). */
  admin: boolean;
  /** Disabled by an admin (or deleted): cannot sign in, every session refused. */
  disabled: boolean;
  /** The profile's "about" line ('' when none). */
  about: string;
  /** The profile photo's version, or null (initials). */
  avatar: string | null;
}

/** A profile photo as stored: two squares (`PHOTO_PX`), re-encoded, metadata-free WebP. */
export interface StoredPhoto {
  version: string;
  large: Uint8Array;
  small: Uint8Array;
}

/** What a session's device said about itself when it signed in (the devices list). */
export interface SessionDevice {
  /** The User-Agent header, at most 512 characters ('' when absent). */
  userAgent: string;
  /** A location-free hint of the address: "192.168.1.x", "2001:db8:…" ('' when unknown). */
  address: string;
}

/** One live session (a signed-in device) of a user. */
export interface SessionRow extends SessionDevice {
  id: string;
  created: number;
  /** Epoch ms of the latest request or connection seen (at most a minute stale), or null. */
  lastActive: number | null;
}

export interface UserStore {
  /** The new user, or null when the e-mail is already taken (in any Unicode spelling). */
  create(email: string, displayName: string, passwordHash: string): Awaitable<UserRow | null>;
  /**
   * The account of a normalized (NFC, lower-case) address; the NFD spelling of accounts
   * stored before e-mails were normalized is found too.
   */
  byEmail(email: string): Awaitable<UserRow | null>;
  byId(id: string): Awaitable<UserRow | null>;
  /** Case-insensitive search on display names only (the start of any word), excluding `self`. */
  searchNames(self: string, query: string, limit: number): Awaitable<UserRow[]>;
  setPassword(userId: string, passwordHash: string): Awaitable<void>;
  setLastSeen(userId: string, at: number): Awaitable<void>;
  /** A new session of `userId`; returns its id. */
  createSession(userId: string, device?: SessionDevice): Awaitable<string>;
  /** The user's live sessions, most recently active first. */
  sessionsOf(userId: string): Awaitable<SessionRow[]>;
  /** Record activity of a session (callers throttle: at most about once a minute). */
  touchSession(sessionId: string, at: number): Awaitable<void>;
  /** End every session of the user but `except` ("sign out everywhere else"). */
  revokeOtherSessions(userId: string, except: string): Awaitable<void>;
  /** The user of a live session, or null when it was revoked or never existed. */
  sessionUser(sessionId: string): Awaitable<string | null>;
  revokeSession(sessionId: string): Awaitable<void>;
  revokeAllSessions(userId: string): Awaitable<void>;
  /** Set the display name and the "about" line (both already checked). */
  setProfile(userId: string, displayName: string, about: string): Awaitable<void>;
  /** Store a new profile photo (replacing any), or remove it (null: initials again). */
  setPhoto(userId: string, photo: StoredPhoto | null): Awaitable<void>;
  /** One size of the user's current photo, or null when they have none. */
  photo(
    userId: string,
    size: 'large' | 'small',
  ): Awaitable<{ version: string; bytes: Uint8Array } | null>;
}
