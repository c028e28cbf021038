// `npm start`: configuration → database (MONGO_URL or embedded FerretDB) → HTTP server.
import { loadConfig, ConfigError } from './config';
import { resolveDatabase } from './db/resolve';
import { EmbeddedDbError } from './db/embedded-ferretdb';
import { DatabaseUnavailableError, redactUrl } from './db/connect';
import { createLogger } from './log';
import { startProviderServer } from './server';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  // libuv reads this when its thread pool first starts (scrypt, fs): nothing has used it yet here.
  process.env.UV_THREADPOOL_SIZE = String(config.UV_THREADPOOL_SIZE);
  const log = createLogger(config.LOG_LEVEL);
  let database;
  try {
    database = await resolveDatabase(config, { install: true, publish: true });
  } catch (err) {
    if (err instanceof EmbeddedDbError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  let provider;
  try {
    provider = await startProviderServer(config, log, database.url);
  } catch (err) {
    await database.stop();
    if (err instanceof DatabaseUnavailableError || err instanceof ConfigError) {
      console.error(err.message);
      process.exit(err instanceof ConfigError ? 2 : 1);
    }
    throw err;
  }
  log.info({ url: provider.url, issuer: config.issuer, database: database.embedded ? 'embedded FerretDB' : redactUrl(database.url) }, `HRM provider listening on ${provider.url} (issuer ${config.issuer})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await provider.close().catch(() => undefined);
    await database.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`Provider failed to start: ${(err as Error).message}`);
  process.exit(1);
});
