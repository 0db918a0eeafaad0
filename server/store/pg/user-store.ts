/** UserStore on PostgreSQL: users and sessions, one statement per method. */
import type pg from 'pg';
import { newId } from '../ids';
import type { SessionDevice, SessionRow, StoredPhoto, UserRow, UserStore } from '../user-store';
import { first, rows, run, statement } from './pool';
import { toSession, toUser, type RawSession, type RawUser } from '../rows';

const USER = 'id, email, display_name, password_hash, last_seen, admin, disabled, about, avatar';

const q = {
  // The check for the other Unicode spelling and the insert in one statement; a unique
  // violation (the same spelling inserted concurrently) inserts nothing instead of failing.
  insert: statement(
    `INSERT INTO users (id, email, display_name, display_name_lower, password_hash, created)
     SELECT $1, $2, $3, $4, $5, $6
     WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = $2 OR email = $7)
     ON CONFLICT DO NOTHING RETURNING id`,
  ),
  // The exact spelling first, then the NFD one of accounts stored before normalization.
  byEmail: statement(
    `SELECT ${USER} FROM users WHERE email = $1 OR email = $2 ORDER BY email = $1 DESC LIMIT 1`,
  ),
  byId: statement(`SELECT ${USER} FROM users WHERE id = $1`),
  searchName: statement(
    `SELECT ${USER} FROM users WHERE id <> $1 AND deleted IS NULL
     AND (display_name_lower LIKE $2 ESCAPE '\\' OR display_name_lower LIKE $3 ESCAPE '\\')
     ORDER BY display_name_lower LIMIT $4`,
  ),
  setPassword: statement('UPDATE users SET password_hash = $2 WHERE id = $1'),
  setLastSeen: statement('UPDATE users SET last_seen = $2 WHERE id = $1'),
  newSession: statement(
    'INSERT INTO sessions (id, user_id, created, user_agent, address, last_active) VALUES ($1, $2, $3, $4, $5, $3)',
  ),
  sessionsOf: statement(
    `SELECT id, created, user_agent, address, last_active FROM sessions WHERE user_id = $1
     ORDER BY coalesce(last_active, created) DESC, id`,
  ),
  touchSession: statement('UPDATE sessions SET last_active = $2 WHERE id = $1'),
  dropOtherSessions: statement('DELETE FROM sessions WHERE user_id = $1 AND id <> $2'),
  session: statement('SELECT user_id FROM sessions WHERE id = $1'),
  dropSession: statement('DELETE FROM sessions WHERE id = $1'),
  dropAllSessions: statement('DELETE FROM sessions WHERE user_id = $1'),
  setProfile: statement(
    'UPDATE users SET display_name = $2, display_name_lower = $3, about = $4 WHERE id = $1',
  ),
  // The photo and the user row's version change together (one statement).
  putPhoto: statement(
    `WITH p AS (
       INSERT INTO avatars (user_id, version, large, small) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, large = excluded.large, small = excluded.small
     )
     UPDATE users SET avatar = $2 WHERE id = $1`,
  ),
  dropPhoto: statement(
    `WITH p AS (DELETE FROM avatars WHERE user_id = $1) UPDATE users SET avatar = NULL WHERE id = $1`,
  ),
  large: statement('SELECT version, large AS bytes FROM avatars WHERE user_id = $1'),
  small: statement('SELECT version, small AS bytes FROM avatars WHERE user_id = $1'),
};

export class PgUserStore implements UserStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Null when the e-mail is already taken, in this or its NFD spelling (see `byEmail`). */
  async create(email: string, displayName: string, passwordHash: string): Promise<UserRow | null> {
    const id = newId('u');
    const inserted = await run(this.pool, q.insert, [
      id,
      email,
      displayName,
      displayName.toLowerCase(),
      passwordHash,
      Date.now(),
      email.normalize('NFD'),
    ]);
    return inserted === 1
      ? {
          id,
          email,
          displayName,
          passwordHash,
          lastSeen: null,
          admin: false,
          disabled: false,
          about: '',
          avatar: null,
        }
      : null;
  }

  async byEmail(email: string): Promise<UserRow | null> {
    const r = await first<RawUser>(this.pool, q.byEmail, [email, email.normalize('NFD')]);
    return r ? toUser(r) : null;
  }

  async byId(id: string): Promise<UserRow | null> {
    const r = await first<RawUser>(this.pool, q.byId, [id]);
    return r ? toUser(r) : null;
  }

  /** Case-insensitive search on display names only (the start of any word), excluding `self`. */
  async searchNames(self: string, query: string, limit: number): Promise<UserRow[]> {
    const escaped = query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    return (
      await rows<RawUser>(this.pool, q.searchName, [self, `${escaped}%`, `% ${escaped}%`, limit])
    ).map(toUser);
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await run(this.pool, q.setPassword, [userId, passwordHash]);
  }

  async setLastSeen(userId: string, at: number): Promise<void> {
    await run(this.pool, q.setLastSeen, [userId, at]);
  }

  async createSession(userId: string, device?: SessionDevice): Promise<string> {
    const id = newId('s');
    await run(this.pool, q.newSession, [
      id,
      userId,
      Date.now(),
      device?.userAgent ?? '',
      device?.address ?? '',
    ]);
    return id;
  }

  async sessionUser(sessionId: string): Promise<string | null> {
    return (await first<{ user_id: string }>(this.pool, q.session, [sessionId]))?.user_id ?? null;
  }

  async revokeSession(sessionId: string): Promise<void> {
    await run(this.pool, q.dropSession, [sessionId]);
  }

  async sessionsOf(userId: string): Promise<SessionRow[]> {
    return (await rows<RawSession>(this.pool, q.sessionsOf, [userId])).map(toSession);
  }

  async touchSession(sessionId: string, at: number): Promise<void> {
    await run(this.pool, q.touchSession, [sessionId, at]);
  }

  async revokeOtherSessions(userId: string, except: string): Promise<void> {
    await run(this.pool, q.dropOtherSessions, [userId, except]);
  }

  async revokeAllSessions(userId: string): Promise<void> {
    await run(this.pool, q.dropAllSessions, [userId]);
  }

  async setProfile(userId: string, displayName: string, about: string): Promise<void> {
    await run(this.pool, q.setProfile, [userId, displayName, displayName.toLowerCase(), about]);
  }

  async setPhoto(userId: string, photo: StoredPhoto | null): Promise<void> {
    if (photo)
      await run(this.pool, q.putPhoto, [
        userId,
        photo.version,
        Buffer.from(photo.large),
        Buffer.from(photo.small),
      ]);
    else await run(this.pool, q.dropPhoto, [userId]);
  }

  async photo(
    userId: string,
    size: 'large' | 'small',
  ): Promise<{ version: string; bytes: Uint8Array } | null> {
    const r = await first<{ version: string; bytes: Buffer }>(
      this.pool,
      size === 'large' ? q.large : q.small,
      [userId],
    );
    return r ? { version: r.version, bytes: new Uint8Array(r.bytes) } : null;
  }
}
