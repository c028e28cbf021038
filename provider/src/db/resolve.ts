// Which database to use: MONGO_URL, or the embedded FerretDB in DATA_DIR (reused when a
// provider or CLI already runs it, started otherwise; built on first use when Go is available).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type Config } from '../kernel/config';
import { EmbeddedDbError, ferretDbBinary, findRunningFerretDb, startFerretDb, type SupervisorEvent } from './embedded-ferretdb';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/** Builds FerretDB with scripts/install-ferretdb.sh, showing its progress on stderr. */
function installFerretDb(binary: string): void {
  if (!hasGo()) return; // startFerretDb then explains both remedies
  process.stderr.write(`FerretDB is missing or unpatched: building it into ${binary} (one time)...\n`);
  const result = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'install-ferretdb.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, FERRETDB_BIN: binary } });
  if (result.status !== 0) throw new EmbeddedDbError('ferretdb_failed', `Building FerretDB failed (see above); set MONGO_URL to your MongoDB server instead, or retry with 'npm run setup:ferretdb'.`);
}

/** False when the binary predates scripts/ferretdb/*.patch (its _id lookups scan whole tables). */
function isCurrentBuild(binary: string): boolean {
  const check = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'install-ferretdb.sh'), '--check'], { stdio: 'ignore', env: { ...process.env, FERRETDB_BIN: binary } });
  return check.status !== 3;
}

/**
 * `install`: build FerretDB when missing (npm start). `publish`: advertise the embedded server to
 * other processes — only the long-running server does, so a short CLI run never stops a FerretDB
 * that a server has started to rely on.
 */
export async function resolveDatabase(
  config: Config,
  opts: { install?: boolean; publish?: boolean; supervise?: boolean; onEvent?: (e: SupervisorEvent) => void } = {},
): Promise<ResolvedDatabase> {
  if (config.MONGO_URL) return { url: config.MONGO_URL, embedded: false, stop: async () => undefined };
  const sqliteDir = path.join(config.DATA_DIR, 'db');
  const running = await findRunningFerretDb(sqliteDir);
  if (running) return { url: running, embedded: true, stop: async () => undefined };
  const binary = ferretDbBinary(config.DATA_DIR, config.FERRETDB_BIN);
  if (opts.install && (!fs.existsSync(binary) || !isCurrentBuild(binary))) installFerretDb(binary);
  const started = await startFerretDb({ binary, sqliteDir, publishPort: opts.publish ?? false, supervise: opts.supervise, onEvent: opts.onEvent });
  return { url: started.url, embedded: true, stop: started.stop };
}
