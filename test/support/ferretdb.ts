// A real FerretDB per test file, on a free port with its own temporary data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFerretDb, ferretDbBinary } from '../../provider/src/db/embedded-ferretdb';
import { REPO_ROOT } from '../../provider/src/kernel/config';

export interface TestDatabase {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-ferret-'));
  const binary = ferretDbBinary(path.join(REPO_ROOT, '.data'), process.env.FERRETDB_BIN);
  const db = await startFerretDb({ binary, sqliteDir: dir });
  return {
    url: db.url,
    port: db.port,
    dir,
    stop: async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
