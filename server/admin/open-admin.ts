/**
 * What the admin CLI works on: the configured storage (the server's own configuration:
 * DATA_DIR, or DATABASE_URL and REDIS_URL) and a way to reach the running server processes —
 * the `admin_signals` table in embedded mode (the server polls it every second), Redis
 * pub/sub in cluster mode (the signals channel every process listens on).
 */
import { join } from 'node:path';
import type { Config } from '../config';
import type { Signal } from '../cluster/signals';
import { RedisSignals } from '../cluster/redis-signals';
import { Passwords } from '../auth/passwords';
import { SqliteStorage } from '../store/sqlite-storage';
import { PgStorage } from '../store/pg/storage';
import type { Storage } from '../store/storage';
import { AdminActions } from './actions';
import { writeAdminSignal } from './signal-table';

export interface AdminHandle {
  actions: AdminActions;
  storage: Storage;
  mode: 'embedded' | 'cluster';
  close(): Promise<void>;
}

export async function openAdmin(config: Config): Promise<AdminHandle> {
  const origin = (): string => config.publicOrigin ?? `http://localhost:${config.port}`;
  const passwords = new Passwords(config.bcryptCost);
  if (!config.cluster) {
    const storage = SqliteStorage.open(join(config.dataDir, 'parley.db'));
    const notify = (s: Signal): void => writeAdminSignal(storage.db, s);
    return {
      actions: new AdminActions({ storage, notify, origin, passwords }),
      storage,
      mode: 'embedded',
      close: () => storage.close(),
    };
  }
  const storage = await PgStorage.open(config.cluster.databaseUrl, {
    max: 2,
    applicationName: 'parley-admin',
  });
  let signals: RedisSignals;
  try {
    signals = await RedisSignals.connect({
      url: config.cluster.redisUrl,
      prefix: config.cluster.redisPrefix,
    });
  } catch (e) {
    await storage.close();
    throw e;
  }
  return {
    actions: new AdminActions({
      storage,
      notify: (s) => signals.publish(s),
      origin,
      passwords,
    }),
    storage,
    mode: 'cluster',
    close: async () => {
      await signals.close(); // QUIT goes after the queued PUBLISH commands
      await storage.close();
    },
  };
}
