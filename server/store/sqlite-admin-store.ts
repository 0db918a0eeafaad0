/** AdminStore on better-sqlite3 (embedded mode). */
import type { Db } from './database';
import type {
  AdminStore,
  AdminUserRow,
  AuditEntry,
  InviteRow,
  RegistrationMode,
  TokenPurpose,
} from './admin-store';
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
} from './admin-rows';

const MODES: readonly RegistrationMode[] = ['open', 'invite', 'closed'];

export class SqliteAdminStore implements AdminStore {
  private readonly q;
  private readonly deleteTx: (userId: string, at: number) => boolean;

  constructor(db: Db) {
    this.q = {
      list: db.prepare<[string, string, number], RawAdminUser>(
        `SELECT ${ADMIN_USER_COLUMNS} FROM users
         WHERE email LIKE ? ESCAPE '\\' OR display_name_lower LIKE ? ESCAPE '\\'
         ORDER BY created DESC, id LIMIT ?`,
      ),
      byId: db.prepare<[string], RawAdminUser>(
        `SELECT ${ADMIN_USER_COLUMNS} FROM users WHERE id = ?`,
      ),
      setAdmin: db.prepare<[number, string]>('UPDATE users SET admin = ? WHERE id = ?'),
      setDisabled: db.prepare<[number, string]>(
        'UPDATE users SET disabled = ? WHERE id = ? AND deleted IS NULL',
      ),
      tombstone: db.prepare<[string, string, string, number, string]>(
        `UPDATE users SET email = ?, display_name = ?, display_name_lower = ?, password_hash = '!',
           admin = 0, disabled = 1, about = '', avatar = NULL, deleted = ? WHERE id = ? AND deleted IS NULL`,
      ),
      dropSessions: db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),
      dropContacts: db.prepare<[string, string]>(
        'DELETE FROM contacts WHERE user_id = ? OR contact_id = ?',
      ),
      dropRequests: db.prepare<[string, string]>(
        'DELETE FROM contact_requests WHERE from_user = ? OR to_user = ?',
      ),
      dropBlocks: db.prepare<[string, string]>(
        'DELETE FROM blocks WHERE blocker = ? OR blocked = ?',
      ),
      dropTokens: db.prepare<[string]>('DELETE FROM one_time_tokens WHERE user_id = ?'),
      dropPhoto: db.prepare<[string]>('DELETE FROM avatars WHERE user_id = ?'),
      blankMessages: db.prepare<[string]>(
        "UPDATE messages SET text = '', deleted = 1 WHERE sender = ?",
      ),
      getSetting: db.prepare<[string], { value: string }>(
        'SELECT value FROM settings WHERE key = ?',
      ),
      putSetting: db.prepare<[string, string]>(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      newInvite: db.prepare(
        'INSERT INTO invites (id, code_hash, max_uses, expires, created, created_by) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      invites: db.prepare<[], RawInvite>(
        'SELECT id, max_uses, used, expires, revoked, created, created_by FROM invites ORDER BY created DESC, id',
      ),
      revokeInvite: db.prepare<[number, string]>(
        'UPDATE invites SET revoked = ? WHERE id = ? AND revoked IS NULL',
      ),
      // One statement: the check and the increment cannot interleave with another sign-up's.
      useInvite: db.prepare<[string, number]>(
        `UPDATE invites SET used = used + 1
         WHERE code_hash = ? AND revoked IS NULL AND expires > ? AND used < max_uses`,
      ),
      returnInvite: db.prepare<[string]>(
        'UPDATE invites SET used = used - 1 WHERE code_hash = ? AND used > 0',
      ),
      newToken: db.prepare(
        'INSERT INTO one_time_tokens (hash, user_id, purpose, expires, created) VALUES (?, ?, ?, ?, ?)',
      ),
      useToken: db.prepare<[string], { user_id: string; purpose: TokenPurpose; expires: number }>(
        'DELETE FROM one_time_tokens WHERE hash = ? RETURNING user_id, purpose, expires',
      ),
      audit: db.prepare(
        'INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)',
      ),
      auditLog: db.prepare<[number], RawAudit>(
        'SELECT seq, at, actor, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT ?',
      ),
    };
    this.deleteTx = db.transaction((userId: string, at: number): boolean => {
      const q = this.q;
      const done = q.tombstone.run(
        deletedEmail(userId),
        DELETED_NAME,
        DELETED_NAME.toLowerCase(),
        at,
        userId,
      );
      if (done.changes === 0) return false;
      q.dropSessions.run(userId);
      q.dropContacts.run(userId, userId);
      q.dropRequests.run(userId, userId);
      q.dropBlocks.run(userId, userId);
      q.dropTokens.run(userId);
      q.dropPhoto.run(userId);
      q.blankMessages.run(userId);
      return true;
    });
  }

  listUsers(query: string, limit: number): AdminUserRow[] {
    const p = likePattern(query);
    return this.q.list.all(p, p, limit).map(toAdminUser);
  }

  userById(id: string): AdminUserRow | null {
    const r = this.q.byId.get(id);
    return r ? toAdminUser(r) : null;
  }

  setAdmin(userId: string, admin: boolean): boolean {
    return this.q.setAdmin.run(admin ? 1 : 0, userId).changes === 1;
  }

  setDisabled(userId: string, disabled: boolean): boolean {
    return this.q.setDisabled.run(disabled ? 1 : 0, userId).changes === 1;
  }

  deleteUser(userId: string, at: number): boolean {
    return this.deleteTx(userId, at);
  }

  registrationMode(): RegistrationMode {
    const v = this.q.getSetting.get('registration')?.value;
    return MODES.find((m) => m === v) ?? 'open';
  }

  setRegistrationMode(mode: RegistrationMode): void {
    this.q.putSetting.run('registration', mode);
  }

  createInvite(i: {
    id: string;
    codeHash: string;
    maxUses: number;
    expires: number;
    createdBy: string;
    created: number;
  }): void {
    this.q.newInvite.run(i.id, i.codeHash, i.maxUses, i.expires, i.created, i.createdBy);
  }

  listInvites(): InviteRow[] {
    return this.q.invites.all().map(toInvite);
  }

  revokeInvite(id: string, at: number): boolean {
    return this.q.revokeInvite.run(at, id).changes === 1;
  }

  useInvite(codeHash: string, now: number): boolean {
    return this.q.useInvite.run(codeHash, now).changes === 1;
  }

  returnInviteUse(codeHash: string): void {
    this.q.returnInvite.run(codeHash);
  }

  createToken(t: {
    hash: string;
    userId: string;
    purpose: TokenPurpose;
    expires: number;
    created: number;
  }): void {
    this.q.newToken.run(t.hash, t.userId, t.purpose, t.expires, t.created);
  }

  useToken(hash: string, now: number): { userId: string; purpose: TokenPurpose } | null {
    const r = this.q.useToken.get(hash);
    return r && r.expires > now ? { userId: r.user_id, purpose: r.purpose } : null;
  }

  audit(e: Omit<AuditEntry, 'seq'>): void {
    this.q.audit.run(e.at, e.actor, e.action, e.target, e.detail);
  }

  auditLog(limit: number): AuditEntry[] {
    return this.q.auditLog.all(limit).map(toAudit);
  }
}
