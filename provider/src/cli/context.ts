// Opens the same database `npm start` uses (MONGO_URL, or the embedded FerretDB in DATA_DIR,
// reused if a server already runs it) for one command, and always releases it.
import { ConfigError, loadConfig } from '../kernel/config';
import { connectDatabase } from '../db/connect';
import { resolveDatabase } from '../db/resolve';
import { createServices, type Services } from '../domain/services';
import { createOutput, type Output } from './output';

/** Short enough that "database unreachable" answers within a few seconds. */
const CONNECT_TIMEOUT_MS = 3000;

export interface CliContext extends Services {
  out: Output;
}

export async function withServices<T>(json: boolean, run: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await resolveDatabase(config);
  try {
    const db = await connectDatabase(database.url, config.MONGO_DB, { timeoutMs: CONNECT_TIMEOUT_MS }).catch((err) => {
      // The driver rejects a malformed URL before connectDatabase's own error handling; the
      // class comes from mongodb-connection-string-url, so match it by name.
      throw (err as Error)?.name === 'MongoParseError' ? new ConfigError(`Invalid configuration: MONGO_URL: ${err.message}`) : err;
    });
    try {
      return await run({ ...createServices(config, db), out: createOutput(json) });
    } finally {
      await db.close().catch(() => undefined);
    }
  } finally {
    await database.stop();
  }
}
