/** Process entry: environment -> config -> createApp -> listen; SIGTERM/SIGINT -> close. */
import { ConfigError, loadConfig } from './config';
import { createApp, MetricsPortError } from './app';
import { DatabaseDamagedError } from './store/database';
import { createLogger, isLevel } from './logger';
import { openCluster, type ClusterParts } from './cluster/open-cluster';

const log = createLogger(isLevel(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : 'info');

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Parley cannot start: ${e.message}`);
      process.exit(78);
    }
    throw e;
  }
  let app;
  let cluster: ClusterParts | null = null;
  try {
    if (config.cluster) {
      try {
        cluster = await openCluster(config.cluster, log, config.presenceGraceMs);
      } catch (e) {
        console.error(
          `Parley cannot start: cluster mode could not reach PostgreSQL (DATABASE_URL) or Redis (REDIS_URL): ${(e as Error).message}`,
        );
        process.exit(69);
      }
      app = await createApp({ config, log, ...cluster });
    } else app = await createApp({ config, log });
  } catch (e) {
    await cluster?.storage.close().catch(() => undefined);
    if (e instanceof MetricsPortError) {
      console.error(`Parley cannot start: ${e.message}`);
      process.exit(69);
    }
    if (e instanceof DatabaseDamagedError) {
      console.error(`Parley cannot start: ${e.message}`);
      process.exit(70);
    }
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(
        `Parley cannot start: port ${config.port} is in use. Set PORT to another port.`,
      );
      process.exit(69);
    }
    throw e;
  }
  console.log(`Parley is running at ${config.publicOrigin ?? `http://localhost:${app.port}`}`);
  const stop = (signal: string): void => {
    log.info('shutting down', { signal });
    app
      .close()
      .then(() => cluster?.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error('shutdown failed', { error: String(err) });
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) =>
    log.error('unhandled rejection', { reason: String(reason) }),
  );
}

void main();
