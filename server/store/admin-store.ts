/**
 * The operator's storage (the seam): accounts as an admin sees them, the registration mode,
 * invites, one-time links and the audit log. SQLite and PostgreSQL implement it alike; invite
 * use and one-time link use are each one atomic statement, so racing requests cannot both win.
 */
import type { Awaitable } from './storage';

import type { RegistrationMode } from '../../shared/admin-api';

export type { RegistrationMode };

/** An account as the admin CLI and page list it. */
export interface AdminUserRow {
  id: string;
  email: string;
  displayName: string;
  admin: boolean;
  disabled: boolean;
  /** Epoch ms the account was deleted, or null. */
  deleted: number | null;
  created: number;
  lastSeen: number | null;
}

export interface InviteRow {
  id: string;
  maxUses: number;
  used: number;
  expires: number;
  /** Epoch ms it was revoked, or null. */
  revoked: number | null;
  created: number;
  createdBy: string;
}

export interface AuditEntry {
  seq: number;
  at: number;
  /** Who: `cli (<os user>)` or `admin <user id> <email>`. */
  actor: string;
  /** What, e.g. `users.disable`. */
  action: string;
  /** On whom or what (a user id, an invite id), or null. */
  target: string | null;
  /** Extra words (the new mode, an invite's limits), or null. */
  detail: string | null;
}

/** What a one-time link is for (both set a password and sign in). */
export type TokenPurpose = 'reset' | 'welcome';

export interface AdminStore {
  /** Accounts whose e-mail or display name contains `query` (all when empty), newest first. */
  listUsers(query: string, limit: number): Awaitable<AdminUserRow[]>;
  userById(id: string): Awaitable<AdminUserRow | null>;
  /** False when no such account. */
  setAdmin(userId: string, admin: boolean): Awaitable<boolean>;
  /** False when no such (undeleted) account. */
  setDisabled(userId: string, disabled: boolean): Awaitable<boolean>;
  /**
   * Delete an account as its owner would: sessions, contacts, requests, blocks and one-time
   * links removed; its messages' text removed from the projection; the row kept as a
   * tombstone named "Deleted account" (conversations still point at it) with a freed e-mail.
   * False when no such account or already deleted.
   */
  deleteUser(userId: string, at: number): Awaitable<boolean>;
  /** The registration mode; `open` when never set. */
  registrationMode(): Awaitable<RegistrationMode>;
  setRegistrationMode(mode: RegistrationMode): Awaitable<void>;
  createInvite(invite: {
    id: string;
    codeHash: string;
    maxUses: number;
    expires: number;
    createdBy: string;
    created: number;
  }): Awaitable<void>;
  listInvites(): Awaitable<InviteRow[]>;
  /** False when no such invite or already revoked. */
  revokeInvite(id: string, at: number): Awaitable<boolean>;
  /**
   * Take one use of the invite with this code hash, atomically: true when it was valid (not
   * revoked, not expired at `now`, uses left). Of two racing for the last use, one wins.
   */
  useInvite(codeHash: string, now: number): Awaitable<boolean>;
  /** Give back a use taken for a sign-up that then failed (e.g. the e-mail was taken). */
  returnInviteUse(codeHash: string): Awaitable<void>;
  createToken(token: {
    hash: string;
    userId: string;
    purpose: TokenPurpose;
    expires: number;
    created: number;
  }): Awaitable<void>;
  /**
   * Use a one-time link: delete it and return its user when it existed and had not expired
   * at `now` (single use: of two racing uses, one gets the user).
   */
  useToken(hash: string, now: number): Awaitable<{ userId: string; purpose: TokenPurpose } | null>;
  audit(entry: Omit<AuditEntry, 'seq'>): Awaitable<void>;
  /** The newest `limit` entries, newest first. */
  auditLog(limit: number): Awaitable<AuditEntry[]>;
}
