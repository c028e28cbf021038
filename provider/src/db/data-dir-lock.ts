// One long-running provider per data folder. A second `npm start` on the same DATA_DIR used to
// attach to the first one's embedded FerretDB and answer 503 forever once the first stopped; now
// it refuses to start with one sentence naming the owner. A lock left by a crashed provider (its
// pid is gone) is taken over. The CLI still reuses a running provider's database (short runs).
import fs from 'node:fs';
import path from 'node:path';

export class DataDirInUseError extends Error {
  readonly code = 'data_dir_in_use';
}

interface LockContent {
  pid: number;
  port: number;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockContent | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockContent>;
    return typeof v.pid === 'number' ? { pid: v.pid, port: Number(v.port) || 0, startedAt: String(v.startedAt ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

/** Takes DATA_DIR/provider.lock for this process; returns its release. Throws DataDirInUseError when a live provider holds it. */
export function acquireDataDirLock(dataDir: string, port: number): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'provider.lock');
  const content = JSON.stringify({ pid: process.pid, port, startedAt: new Date().toISOString() } satisfies LockContent);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
      const release = () => {
        if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readLock(file);
    if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
      throw new DataDirInUseError(
        `Another provider owns the data folder ${dataDir} (pid ${owner.pid}, port ${owner.port}): stop it first, or give this one its own DATA_DIR or a MONGO_URL.`,
      );
    }
    // Stale (crashed owner) or unreadable half-written lock: remove and retry.
    fs.rmSync(file, { force: true });
  }
  throw new DataDirInUseError(`Could not take the lock ${file}: another provider keeps starting on the same data folder.`);
}

/** The live provider holding the data folder, if any (the CLI's restore refuses to run under it). */
export function dataDirOwner(dataDir: string): LockContent | undefined {
  const owner = readLock(path.join(dataDir, 'provider.lock'));
  return owner && owner.pid !== process.pid && isAlive(owner.pid) ? owner : undefined;
}
