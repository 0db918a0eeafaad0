/** UserStore on better-sqlite3: users and sessions. */
import type { Db } from './database';
import { newId } from './ids';
import type { SessionDevice, SessionRow, StoredPhoto, UserRow, UserStore } from './user-store';
import { toSession, toUser, type RawSession, type RawUser } from './rows';

export class SqliteUserStore implements UserStore {
  private readonly q;
  private readonly writePhoto: (userId: string, photo: StoredPhoto | null) => void;

  constructor(private readonly db: Db) {
    this.q = {
      insert: db.prepare(
        'INSERT INTO users (id, email, display_name, display_name_lower, password_hash, created) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      byEmail: db.prepare<[string], RawUser>('SELECT * FROM users WHERE email = ?'),
      byId: db.prepare<[string], RawUser>('SELECT * FROM users WHERE id = ?'),
      // The start of the name or of any word in it (after a space).
      searchName: db.prepare<[string, string, string, number], RawUser>(
        `SELECT * FROM users WHERE id != ? AND deleted IS NULL
         AND (display_name_lower LIKE ? ESCAPE '\\' OR display_name_lower LIKE ? ESCAPE '\\')
         ORDER BY display_name_lower LIMIT ?`,
      ),
      setPassword: db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?'),
      setLastSeen: db.prepare<[number, string]>('UPDATE users SET last_seen = ? WHERE id = ?'),
      newSession: db.prepare<[string, string, number, string, string, number]>(
        'INSERT INTO sessions (id, user_id, created, user_agent, address, last_active) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      sessionsOf: db.prepare<[string], RawSession>(
        `SELECT id, created, user_agent, address, last_active FROM sessions WHERE user_id = ?
         ORDER BY coalesce(last_active, created) DESC, id`,
      ),
      touchSession: db.prepare<[number, string]>(
        'UPDATE sessions SET last_active = ? WHERE id = ?',
      ),
      dropOtherSessions: db.prepare<[string, string]>(
        'DELETE FROM sessions WHERE user_id = ? AND id != ?',
      ),
      session: db.prepare<[string], { user_id: string }>(
        'SELECT user_id FROM sessions WHERE id = ?',
      ),
      dropSession: db.prepare<[string]>('DELETE FROM sessions WHERE id = ?'),
      dropAllSessions: db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),
      setProfile: db.prepare<[string, string, string, string]>(
        'UPDATE users SET display_name = ?, display_name_lower = ?, about = ? WHERE id = ?',
      ),
      putPhoto: db.prepare<[string, string, Uint8Array, Uint8Array]>(
        `INSERT INTO avatars (user_id, version, large, small) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, large = excluded.large, small = excluded.small`,
      ),
      dropPhoto: db.prepare<[string]>('DELETE FROM avatars WHERE user_id = ?'),
      setAvatar: db.prepare<[string | null, string]>('UPDATE users SET avatar = ? WHERE id = ?'),
      large: db.prepare<[string], { version: string; bytes: Buffer }>(
        'SELECT version, large AS bytes FROM avatars WHERE user_id = ?',
      ),
      small: db.prepare<[string], { version: string; bytes: Buffer }>(
        'SELECT version, small AS bytes FROM avatars WHERE user_id = ?',
      ),
    };
    this.writePhoto = db.transaction((userId: string, photo: StoredPhoto | null) => {
      if (photo) this.q.putPhoto.run(userId, photo.version, photo.large, photo.small);
      else this.q.dropPhoto.run(userId);
      this.q.setAvatar.run(photo?.version ?? null, userId);
    });
  }

  /** Returns null when the e-mail is already taken (in any Unicode spelling, see `byEmail`). */
  create(email: string, displayName: string, passwordHash: string): UserRow | null {
    if (this.byEmail(email)) return null;
    const id = newId('u');
    try {
      this.q.insert.run(
        id,
        email,
        displayName,
        displayName.toLowerCase(),
        passwordHash,
        Date.now(),
      );
    } catch (e) {
      if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE') return null;
      throw e;
    }
    return {
      id,
      email,
      displayName,
      passwordHash,
      lastSeen: null,
      admin: false,
      disabled: false,
      about: '',
      avatar: null,
    };
  }

  /**
   * The account of a normalized (NFC, lower-case) address. Addresses stored before e-mails
   * were normalized may be in NFD (macOS input, some keyboards), so that spelling is tried too:
   * old accounts still sign in, and nobody can register the other spelling of one.
   */
  byEmail(email: string): UserRow | null {
    const r = this.q.byEmail.get(email) ?? this.q.byEmail.get(email.normalize('NFD'));
    return r ? toUser(r) : null;
  }

  byId(id: string): UserRow | null {
    const r = this.q.byId.get(id);
    return r ? toUser(r) : null;
  }

  /**
   * Case-insensitive substring search on display names, excluding `self`. E-mail addresses
   * are never searched by part (that rebuilds an address letter by letter): see `byEmail`.
   */
  searchNames(self: string, query: string, limit: number): UserRow[] {
    const escaped = query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    return this.q.searchName.all(self, `${escaped}%`, `% ${escaped}%`, limit).map(toUser);
  }

  setPassword(userId: string, passwordHash: string): void {
    this.q.setPassword.run(passwordHash, userId);
  }

  setLastSeen(userId: string, at: number): void {
    this.q.setLastSeen.run(at, userId);
  }

  createSession(userId: string, device?: SessionDevice): string {
    const id = newId('s');
    const now = Date.now();
    this.q.newSession.run(id, userId, now, device?.userAgent ?? '', device?.address ?? '', now);
    return id;
  }

  sessionsOf(userId: string): SessionRow[] {
    return this.q.sessionsOf.all(userId).map(toSession);
  }

  touchSession(sessionId: string, at: number): void {
    this.q.touchSession.run(at, sessionId);
  }

  revokeOtherSessions(userId: string, except: string): void {
    this.q.dropOtherSessions.run(userId, except);
  }

  /** The user of a live session, or null when it was revoked or never existed. */
  sessionUser(sessionId: string): string | null {
    return this.q.session.get(sessionId)?.user_id ?? null;
  }

  revokeSession(sessionId: string): void {
    this.q.dropSession.run(sessionId);
  }

  revokeAllSessions(userId: string): void {
    this.q.dropAllSessions.run(userId);
  }

  setProfile(userId: string, displayName: string, about: string): void {
    this.q.setProfile.run(displayName, displayName.toLowerCase(), about, userId);
  }

  setPhoto(userId: string, photo: StoredPhoto | null): void {
    this.writePhoto(userId, photo);
  }

  photo(userId: string, size: 'large' | 'small'): { version: string; bytes: Uint8Array } | null {
    const r = (size === 'large' ? this.q.large : this.q.small).get(userId);
    return r ? { version: r.version, bytes: new Uint8Array(r.bytes) } : null;
  }
}
