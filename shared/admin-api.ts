/** JSON bodies of the registration policy, one-time links and the admin API (/api/admin/*). */

export type RegistrationMode = 'open' | 'invite' | 'closed';

/** GET /api/auth/policy: what the sign-in and sign-up pages offer. */
export interface ServerPolicy {
  registration: RegistrationMode;
  /** `email`: "Forgot password?" sends a link; `operator`: ask the server's operator. */
  passwordRecovery: 'email' | 'operator';
}

export interface AdminUser {
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

export interface AdminInvite {
  id: string;
  maxUses: number;
  used: number;
  expires: number;
  revoked: number | null;
  created: number;
  createdBy: string;
}

/** POST /api/admin/invites: the code is shown this once. */
export interface CreatedInvite {
  invite: AdminInvite;
  code: string;
  link: string;
}

export interface OneTimeLink {
  link: string;
  expires: number;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
}
