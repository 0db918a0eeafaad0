/** AdminStore on PostgreSQL (cluster mode): one statement per method, deletion in a transaction. */
import type pg from 'pg';
import type {
  AdminStore,
  AdminUserRow,
  AuditEntry,
  InviteRow,
  RegistrationMode,
  TokenPurpose,
} from '../admin-store';
import {
  ADMIN_USER_COLUMNS,
  DELETED_NAME,
  deletedEmail,
  likePattern,
  toAdminUser,
  toAudit,
  toInvite,
  type RawAdminUser,
  type RawAudit,
  type RawInvite,
} from '../admin-rows';
import { first, rows, run, statement } from './pool';

const MODES: readonly RegistrationMode[] = ['open', 'invite', 'closed'];

const q = {
  list: statement(
    `SELECT ${ADMIN_USER_COLUMNS} FROM users
     WHERE lower(email) LIKE $1 ESCAPE '\\' OR display_name_lower LIKE $1 ESCAPE '\\'
     ORDER BY created DESC, id LIMIT $2`,
  ),
  byId: statement(`SELECT ${ADMIN_USER_COLUMNS} FROM users WHERE id = $1`),
  setAdmin: statement('UPDATE users SET admin = $2 WHERE id = $1'),
  setDisabled: statement('UPDATE users SET disabled = $2 WHERE id = $1 AND deleted IS NULL'),
  tombstone: statement(
    `UPDATE users SET email = $2, display_name = $3, display_name_lower = $4, password_hash = '!',
       admin = FALSE, disabled = TRUE, about = '', avatar = NULL, deleted = $5 WHERE id = $1 AND deleted IS NULL`,
  ),
  dropSessions: statement('DELETE FROM sessions WHERE user_id = $1'),
  dropContacts: statement('DELETE FROM contacts WHERE user_id = $1 OR contact_id = $1'),
  dropRequests: statement('DELETE FROM contact_requests WHERE from_user = $1 OR to_user = $1'),
  dropBlocks: statement('DELETE FROM blocks WHERE blocker = $1 OR blocked = $1'),
  dropTokens: statement('DELETE FROM one_time_tokens WHERE user_id = $1'),
  dropPhoto: statement('DELETE FROM avatars WHERE user_id = $1'),
  blankMessages: statement("UPDATE messages SET text = '', deleted = TRUE WHERE sender = $1"),
  getSetting: statement('SELECT value FROM settings WHERE key = $1'),
  putSetting: statement(
    'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ),
  newInvite: statement(
    'INSERT INTO invites (id, code_hash, max_uses, expires, created, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
  ),
  invites: statement(
    'SELECT id, max_uses, used, expires, revoked, created, created_by FROM invites ORDER BY created DESC, id',
  ),
  revokeInvite: statement('UPDATE invites SET revoked = $2 WHERE id = $1 AND revoked IS NULL'),
  // One statement: the row lock makes a racing sign-up re-check `used < max_uses` after us.
  useInvite: statement(
    `UPDATE invites SET used = used + 1
     WHERE code_hash = $1 AND revoked IS NULL AND expires > $2 AND used < max_uses`,
  ),
  returnInvite: statement('UPDATE invites SET used = used - 1 WHERE code_hash = $1 AND used > 0'),
  newToken: statement(
    'INSERT INTO one_time_tokens (hash, user_id, purpose, expires, created) VALUES ($1, $2, $3, $4, $5)',
  ),
  useToken: statement(
    'DELETE FROM one_time_tokens WHERE hash = $1 RETURNING user_id, purpose, expires',
  ),
  audit: statement(
    'INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)',
  ),
  auditLog: statement(
    'SELECT seq, at, actor, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT $1',
  ),
};

export class PgAdminStore implements AdminStore {
  constructor(private readonly pool: pg.Pool) {}

  async listUsers(query: string, limit: number): Promise<AdminUserRow[]> {
    return (await rows<RawAdminUser>(this.pool, q.list, [likePattern(query), limit])).map(
      toAdminUser,
    );
  }

  async userById(id: string): Promise<AdminUserRow | null> {
    const r = await first<RawAdminUser>(this.pool, q.byId, [id]);
    return r ? toAdminUser(r) : null;
  }

  async setAdmin(userId: string, admin: boolean): Promise<boolean> {
    return (await run(this.pool, q.setAdmin, [userId, admin])) === 1;
  }

  async setDisabled(userId: string, disabled: boolean): Promise<boolean> {
    return (await run(this.pool, q.setDisabled, [userId, disabled])) === 1;
  }

  async deleteUser(userId: string, at: number): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const done = await run(client, q.tombstone, [
        userId,
        deletedEmail(userId),
        DELETED_NAME,
        DELETED_NAME.toLowerCase(),
        at,
      ]);
      if (done === 0) {
        await client.query('ROLLBACK');
        return false;
      }
      for (const s of [
        q.dropSessions,
        q.dropContacts,
        q.dropRequests,
        q.dropBlocks,
        q.dropTokens,
        q.dropPhoto,
        q.blankMessages,
      ])
        await run(client, s, [userId]);
      await client.query('COMMIT');
      return true;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async registrationMode(): Promise<RegistrationMode> {
    const v = (await first<{ value: string }>(this.pool, q.getSetting, ['registration']))?.value;
    return MODES.find((m) => m === v) ?? 'open';
  }

  async setRegistrationMode(mode: RegistrationMode): Promise<void> {
    await run(this.pool, q.putSetting, ['registration', mode]);
  }

  async createInvite(i: {
    id: string;
    codeHash: string;
    maxUses: number;
    expires: number;
    createdBy: string;
    created: number;
  }): Promise<void> {
    await run(this.pool, q.newInvite, [
      i.id,
      i.codeHash,
      i.maxUses,
      i.expires,
      i.created,
      i.createdBy,
    ]);
  }

  async listInvites(): Promise<InviteRow[]> {
    return (await rows<RawInvite>(this.pool, q.invites, [])).map(toInvite);
  }

  async revokeInvite(id: string, at: number): Promise<boolean> {
    return (await run(this.pool, q.revokeInvite, [id, at])) === 1;
  }

  async useInvite(codeHash: string, now: number): Promise<boolean> {
    return (await run(this.pool, q.useInvite, [codeHash, now])) === 1;
  }

  async returnInviteUse(codeHash: string): Promise<void> {
    await run(this.pool, q.returnInvite, [codeHash]);
  }

  async createToken(t: {
    hash: string;
    userId: string;
    purpose: TokenPurpose;
    expires: number;
    created: number;
  }): Promise<void> {
    await run(this.pool, q.newToken, [t.hash, t.userId, t.purpose, t.expires, t.created]);
  }

  async useToken(
    hash: string,
    now: number,
  ): Promise<{ userId: string; purpose: TokenPurpose } | null> {
    const r = await first<{ user_id: string; purpose: TokenPurpose; expires: number }>(
      this.pool,
      q.useToken,
      [hash],
    );
    return r && r.expires > now ? { userId: r.user_id, purpose: r.purpose } : null;
  }

  async audit(e: Omit<AuditEntry, 'seq'>): Promise<void> {
    await run(this.pool, q.audit, [e.at, e.actor, e.action, e.target, e.detail]);
  }

  async auditLog(limit: number): Promise<AuditEntry[]> {
    return (await rows<RawAudit>(this.pool, q.auditLog, [limit])).map(toAudit);
  }
}
