/**
 * The operator's use cases, shared by the admin CLI and the admin page: each checks its
 * input, changes the storage, tells every server process what it must act on (close a
 * disabled user's sockets and streams, refresh summaries), and writes the audit log.
 */
import { checkDisplayName, checkPassword, normalizeEmail } from '../../shared/validate';
import { USER_ID } from '../../shared/protocol';
import { AppError } from '../errors';
import type { Signal } from '../cluster/signals';
import type { Passwords } from '../auth/passwords';
import type { Storage } from '../store/storage';
import type {
  AdminUserRow,
  AuditEntry,
  InviteRow,
  RegistrationMode,
  TokenPurpose,
} from '../store/admin-store';
import { newId } from '../store/ids';
import { DAY_MS, HOUR_MS, hashSecret, newSecret } from './secrets';

export interface AdminContext {
  storage: Storage;
  /** Deliver a signal to every server process (this one included, when it is one). */
  notify: (signal: Signal) => void | Promise<void>;
  /** The origin one-time links and invite links point at (PUBLIC_ORIGIN). */
  origin: () => string;
  passwords: Passwords;
  now?: () => number;
}

/** A one-time link and when it stops working. */
export interface OneTimeLink {
  link: string;
  expires: number;
}

/** How long a reset link works (the issue: 1 hour). */
export const RESET_LINK_MS = HOUR_MS;
/** How long the sign-in link of a new account works. */
export const WELCOME_LINK_MS = 7 * DAY_MS;

export class AdminActions {
  private readonly now: () => number;

  constructor(private readonly ctx: AdminContext) {
    this.now = ctx.now ?? Date.now;
  }

  private get admin() {
    return this.ctx.storage.admin;
  }

  private async record(
    actor: string,
    action: string,
    target: string | null,
    detail: string | null = null,
  ): Promise<void> {
    await this.admin.audit({ at: this.now(), actor, action, target, detail });
  }

  /** An account by id (`u_…`) or e-mail; `not-found` otherwise. */
  async findUser(ref: string): Promise<AdminUserRow> {
    let found: AdminUserRow | null = null;
    if (USER_ID.test(ref)) found = await this.admin.userById(ref);
    else {
      const email = normalizeEmail(ref);
      const user = email.ok ? await this.ctx.storage.users.byEmail(email.value) : null;
      found = user ? await this.admin.userById(user.id) : null;
    }
    if (!found) throw new AppError('not-found', `No account ${ref}.`);
    return found;
  }

  listUsers(query: string, limit = 100): Promise<AdminUserRow[]> | AdminUserRow[] {
    return this.admin.listUsers(query.trim().slice(0, 100), Math.min(Math.max(limit, 1), 1000));
  }

  /**
   * Create an account. With a password it can sign in at once; without one, it gets a
   * one-time sign-in link (valid 7 days) to choose its password.
   */
  async createUser(
    actor: string,
    input: { email: string; displayName: string; password: string | null; admin: boolean },
  ): Promise<{ user: AdminUserRow; signIn: OneTimeLink | null }> {
    const email = normalizeEmail(input.email);
    if (!email.ok) throw new AppError('invalid-input', email.message);
    const name = checkDisplayName(input.displayName);
    if (!name.ok) throw new AppError('invalid-input', name.message);
    let hash = '!'; // opens nothing until the link sets a password (Passwords.verify)
    if (input.password !== null) {
      const p = checkPassword(input.password);
      if (!p.ok) throw new AppError('invalid-input', p.message);
      hash = await this.ctx.passwords.hash(p.value);
    }
    const created = await this.ctx.storage.users.create(email.value, name.value, hash);
    if (!created) throw new AppError('email-taken', `An account with ${email.value} exists.`);
    if (input.admin) await this.admin.setAdmin(created.id, true);
    await this.record(actor, 'users.create', created.id, input.admin ? 'admin' : null);
    const signIn =
      input.password === null ? await this.link(created.id, 'welcome', WELCOME_LINK_MS) : null;
    return { user: await this.findUser(created.id), signIn };
  }

  private async link(userId: string, purpose: TokenPurpose, validMs: number): Promise<OneTimeLink> {
    const secret = newSecret();
    const now = this.now();
    const expires = now + validMs;
    await this.admin.createToken({
      hash: hashSecret(secret),
      userId,
      purpose,
      expires,
      created: now,
    });
    const welcome = purpose === 'welcome' ? '&welcome=1' : '';
    return { link: `${this.ctx.origin()}/reset?token=${secret}${welcome}`, expires };
  }

  /** A one-time link (valid 1 hour) that sets a new password and ends every other session. */
  async resetLink(actor: string | null, ref: string): Promise<OneTimeLink> {
    const user = await this.findUser(ref);
    if (user.deleted !== null) throw new AppError('not-found', `No account ${ref}.`);
    const link = await this.link(user.id, 'reset', RESET_LINK_MS);
    if (actor !== null) await this.record(actor, 'users.reset-password', user.id);
    return link;
  }

  /**
   * Disable: every session ends and every socket and stream of the user closes, in every
   * process; sign-in is refused. Enable: the account may sign in again.
   */
  async setDisabled(actor: string, ref: string, disabled: boolean): Promise<AdminUserRow> {
    const user = await this.findUser(ref);
    if (!(await this.admin.setDisabled(user.id, disabled)))
      throw new AppError('not-found', `No account ${ref}.`);
    if (disabled) {
      await this.ctx.storage.users.revokeAllSessions(user.id);
      await this.ctx.notify({ kind: 'revoke', userId: user.id, sid: null });
    }
    await this.record(actor, disabled ? 'users.disable' : 'users.enable', user.id);
    return this.findUser(user.id);
  }

  async setAdmin(actor: string, ref: string, admin: boolean): Promise<AdminUserRow> {
    const user = await this.findUser(ref);
    if (user.deleted !== null) throw new AppError('not-found', `No account ${ref}.`);
    await this.admin.setAdmin(user.id, admin);
    await this.record(actor, admin ? 'users.make-admin' : 'users.revoke-admin', user.id);
    return this.findUser(user.id);
  }

  /**
   * Delete the account as its owner would (AdminStore.deleteUser): its sockets close, and
   * the people it talked with see "Deleted account" in their lists at once.
   */
  async deleteUser(actor: string, ref: string): Promise<void> {
    const user = await this.findUser(ref);
    const conversations = await this.ctx.storage.conversations.forUser(user.id);
    if (!(await this.admin.deleteUser(user.id, this.now())))
      throw new AppError('not-found', `No account ${ref} (or it is already deleted).`);
    await this.ctx.notify({ kind: 'revoke', userId: user.id, sid: null });
    // Its messages leave the documents too (the server processes do it: they hold the rooms).
    await this.ctx.notify({ kind: 'erase', userId: user.id });
    for (const c of conversations) {
      const peer = c.userA === user.id ? c.userB : c.userA;
      await this.ctx.notify({ kind: 'policy', a: user.id, b: peer });
      await this.ctx.notify({ kind: 'conversation', conversationId: c.id });
    }
    await this.record(actor, 'users.delete', user.id, user.email);
  }

  registrationMode(): Promise<RegistrationMode> | RegistrationMode {
    return this.admin.registrationMode();
  }

  async setRegistrationMode(actor: string, mode: RegistrationMode): Promise<void> {
    await this.admin.setRegistrationMode(mode);
    await this.record(actor, 'registration', null, mode);
  }

  /** A new invite: its code is shown once (only its hash is stored). */
  async createInvite(
    actor: string,
    opts: { uses: number; validMs: number },
  ): Promise<{ invite: InviteRow; code: string; link: string }> {
    if (!Number.isInteger(opts.uses) || opts.uses < 1 || opts.uses > 10_000)
      throw new AppError('invalid-input', 'Uses must be a whole number from 1 to 10,000.');
    const code = newSecret();
    const now = this.now();
    const id = newId('i');
    const invite = {
      id,
      codeHash: hashSecret(code),
      maxUses: opts.uses,
      expires: now + opts.validMs,
      createdBy: actor,
      created: now,
    };
    await this.admin.createInvite(invite);
    await this.record(
      actor,
      'invites.create',
      id,
      `uses ${opts.uses}, expires ${new Date(invite.expires).toISOString()}`,
    );
    return {
      invite: {
        id,
        maxUses: opts.uses,
        used: 0,
        expires: invite.expires,
        revoked: null,
        created: now,
        createdBy: actor,
      },
      code,
      link: `${this.ctx.origin()}/sign-up?invite=${code}`,
    };
  }

  listInvites(): Promise<InviteRow[]> | InviteRow[] {
    return this.admin.listInvites();
  }

  async revokeInvite(actor: string, id: string): Promise<void> {
    if (!(await this.admin.revokeInvite(id, this.now())))
      throw new AppError('not-found', `No invite ${id} to revoke.`);
    await this.record(actor, 'invites.revoke', id);
  }

  auditLog(limit = 100): Promise<AuditEntry[]> | AuditEntry[] {
    return this.admin.auditLog(Math.min(Math.max(limit, 1), 10_000));
  }
}
