/**
 * The admin page's data: accounts (with a search), the registration mode, invites, and the
 * one link just made (a reset link or a new invite, shown once). Every action reloads what
 * it changed; errors become `error` text for the page. Exists only for admins.
 */
import type {
  AdminInvite,
  AdminUser,
  CreatedInvite,
  OneTimeLink,
  RegistrationMode,
} from '../../shared/admin-api';
import type { Api } from './api';
import { errorText } from '../errors';
import { SnapshotStore } from './store';

export interface AdminSnapshot {
  loaded: boolean;
  query: string;
  users: AdminUser[];
  mode: RegistrationMode | null;
  invites: AdminInvite[];
  /** The reset link made last, with whose it is. */
  resetLink: (OneTimeLink & { email: string }) | null;
  /** The invite made last (its link is shown only now). */
  newInvite: CreatedInvite | null;
  error: string | null;
}

const EMPTY: AdminSnapshot = {
  loaded: false,
  query: '',
  users: [],
  mode: null,
  invites: [],
  resetLink: null,
  newInvite: null,
  error: null,
};

export class AdminConsole extends SnapshotStore<AdminSnapshot> {
  constructor(private readonly api: Api) {
    super(EMPTY);
  }

  /** Load everything the page shows. */
  async load(): Promise<void> {
    await this.attempt(async () => {
      const [users, mode, invites] = await Promise.all([
        this.api.adminUsers(this.snapshot.query),
        this.api.adminRegistration(),
        this.api.adminInvites(),
      ]);
      this.patch({ users, mode, invites, loaded: true });
    });
  }

  async search(query: string): Promise<void> {
    this.patch({ query });
    await this.attempt(async () => {
      const users = await this.api.adminUsers(query);
      if (this.snapshot.query === query) this.patch({ users });
    });
  }

  async setDisabled(userId: string, disabled: boolean): Promise<void> {
    await this.attempt(async () => {
      const user = await this.api.adminSetDisabled(userId, disabled);
      this.patch({ users: this.snapshot.users.map((u) => (u.id === user.id ? user : u)) });
    });
  }

  async resetLink(userId: string): Promise<void> {
    await this.attempt(async () => {
      const link = await this.api.adminResetLink(userId);
      const email = this.snapshot.users.find((u) => u.id === userId)?.email ?? '';
      this.patch({ resetLink: { ...link, email } });
    });
  }

  async setRegistration(mode: RegistrationMode): Promise<void> {
    await this.attempt(async () => {
      this.patch({ mode: await this.api.adminSetRegistration(mode) });
    });
  }

  async createInvite(uses: number, expiresDays: number): Promise<void> {
    await this.attempt(async () => {
      const made = await this.api.adminCreateInvite({ uses, expiresDays });
      this.patch({ newInvite: made, invites: await this.api.adminInvites() });
    });
  }

  async revokeInvite(id: string): Promise<void> {
    await this.attempt(async () => {
      await this.api.adminRevokeInvite(id);
      this.patch({ invites: await this.api.adminInvites() });
    });
  }

  private async attempt(fn: () => Promise<void>): Promise<void> {
    this.patch({ error: null });
    try {
      await fn();
    } catch (e) {
      this.patch({ error: errorText(e) });
    }
  }
}
