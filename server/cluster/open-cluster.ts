/**
 * Cluster mode's outside world, opened from the configuration: PostgreSQL (everything
 * durable, migrated under an advisory lock), Redis pub/sub for documents (RedisBus) and
 * user-level notices (RedisSignals), Redis counters for the attempt limits, and presence
 * counted across processes (RedisPresence).
 */
import { createClient, type RedisClientType } from 'redis';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { PgStorage } from '../store/pg/storage';
import { RedisBus } from '../bus/redis-bus';
import { RedisSignals } from './redis-signals';
import { redisLimiters, type LimiterFactory } from '../auth/limiter';
import { RedisPresence } from './redis-presence';

export interface ClusterParts {
  storage: PgStorage;
  bus: RedisBus;
  signals: RedisSignals;
  limiters: LimiterFactory;
  /** Who is online on any process (`createApp` flushes it on close). */
  presence: RedisPresence;
  /** What `/readyz` checks: PostgreSQL and Redis answer. */
  readiness: Record<string, () => Promise<unknown>>;
  /** Close what `createApp` does not own (the limits' and presence's Redis connection). */
  close(): Promise<void>;
}

export async function openCluster(
  cluster: NonNullable<Config['cluster']>,
  log: Logger,
  /** How long after a user's last connection closes they are shown offline (config.presenceGraceMs). */
  presenceGraceMs: number,
): Promise<ClusterParts> {
  const onError = (what: string) => (error: unknown) =>
    log.warn(`${what} connection error`, { error: String(error) });
  const storage = await PgStorage.open(cluster.databaseUrl);
  const prefix = cluster.redisPrefix;
  const url = cluster.redisUrl;
  try {
    const [bus, signals] = await Promise.all([
      RedisBus.connect({ url, prefix, onError: onError('redis bus') }),
      RedisSignals.connect({ url, prefix, onError: onError('redis signals') }),
    ]);
    const client: RedisClientType = createClient({ url });
    client.on('error', onError('redis limits'));
    await client.connect();
    const presence = await RedisPresence.start({
      client,
      prefix,
      users: storage.users,
      signals,
      graceMs: presenceGraceMs,
      ttlMs: cluster.presenceTtlMs,
      onError: (what, error) => log.warn(`${what} failed`, { error: String(error) }),
    });
    return {
      storage,
      bus,
      signals,
      limiters: redisLimiters(client, prefix),
      presence,
      readiness: {
        database: () => storage.pool.query('SELECT 1'),
        redis: () => client.ping(),
      },
      close: async () => {
        await client.quit().catch(() => undefined);
      },
    };
  } catch (e) {
    await storage.close();
    throw e;
  }
}
