// Which database to use: MONGO_URL, or the embedded FerretDB in DATA_DIR (reused when a
// provider or CLI already runs it, started otherwise).
import path from 'node:path';
import type { Config } from '../config';
import { ferretDbBinary, findRunningFerretDb, startFerretDb } from './embedded-ferretdb';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function resolveDatabase(config: Config): Promise<ResolvedDatabase> {
  if (config.MONGO_URL) return { url: config.MONGO_URL, embedded: false, stop: async () => undefined };
  const sqliteDir = path.join(config.DATA_DIR, 'db');
  const running = await findRunningFerretDb(sqliteDir);
  if (running) return { url: running, embedded: true, stop: async () => undefined };
  const started = await startFerretDb({ binary: ferretDbBinary(config.DATA_DIR, config.FERRETDB_BIN), sqliteDir, publishPort: true });
  return { url: started.url, embedded: true, stop: started.stop };
}
