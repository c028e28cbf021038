// A real FerretDB for a CLI test file, plus direct access to the same database for assertions.
import { loadConfig } from '../../provider/src/kernel/config';
import { connectDatabase, type Database } from '../../provider/src/db/connect';
import { createServices, type Services } from '../../provider/src/domain/services';
import { startTestDatabase } from '../support/ferretdb';

export interface CliDatabase {
  db: Database;
  services: Services;
  /** Environment that points the CLI at this database. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function openCliDatabase(dbName: string): Promise<CliDatabase> {
  const database = await startTestDatabase();
  const env = { MONGO_URL: database.url, MONGO_DB: dbName };
  const config = loadConfig({ ...env, PASSWORD_SCRYPT_COST: '1024' });
  const db = await connectDatabase(database.url, config.MONGO_DB);
  return {
    db,
    services: createServices(config, db),
    env,
    close: async () => {
      await db.close();
      await database.stop();
    },
  };
}
