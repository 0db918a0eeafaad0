/** Rows of the operator's tables as both storages return them (SQLite 0/1, PostgreSQL booleans). */
import type { AdminUserRow, AuditEntry, InviteRow } from './admin-store';

type Flag = number | boolean;
const isSet = (v: Flag): boolean => v === true || v === 1;

/** The columns every admin user query selects. */
export const ADMIN_USER_COLUMNS =
  'id, email, display_name, admin, disabled, deleted, created, last_seen';

export type RawAdminUser = {
  id: string;
  email: string;
  display_name: string;
  admin: Flag;
  disabled: Flag;
  deleted: number | null;
  created: number;
  last_seen: number | null;
};

export const toAdminUser = (r: RawAdminUser): AdminUserRow => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  admin: isSet(r.admin),
  disabled: isSet(r.disabled),
  deleted: r.deleted,
  created: r.created,
  lastSeen: r.last_seen,
});

export type RawInvite = {
  id: string;
  max_uses: number;
  used: number;
  expires: number;
  revoked: number | null;
  created: number;
  created_by: string;
};

export const toInvite = (r: RawInvite): InviteRow => ({
  id: r.id,
  maxUses: r.max_uses,
  used: r.used,
  expires: r.expires,
  revoked: r.revoked,
  created: r.created,
  createdBy: r.created_by,
});

export type RawAudit = {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
};

export const toAudit = (r: RawAudit): AuditEntry => ({ ...r });

/** The LIKE pattern for a case-insensitive substring search (`\` escapes). */
export const likePattern = (query: string): string =>
  `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A deleted account's e-mail: unique, never deliverable, frees the real address. */
export const deletedEmail = (userId: string): string => `deleted+${userId}@deleted.invalid`;
export const DELETED_NAME = 'Deleted account';
