/**
 * What this server allows before anyone signs in: whether sign-up is open, needs an invite
 * or is closed, and whether "Forgot password?" sends an e-mail. Loaded when the sign-in or
 * sign-up page shows; null until it arrives (the pages then offer the ordinary forms).
 */
import type { ServerPolicy } from '../../shared/admin-api';
import type { Api } from './api';
import { SnapshotStore } from './store';

export class ServerPolicyStore extends SnapshotStore<ServerPolicy | null> {
  private loading: Promise<void> | null = null;

  constructor(private readonly api: Api) {
    super(null);
  }

  /** Ask the server (again); failures keep the last answer. */
  load(): Promise<void> {
    this.loading ??= this.api
      .policy()
      .then((p) => this.set(p))
      .catch(() => undefined)
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
