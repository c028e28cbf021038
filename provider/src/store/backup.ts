// `hrm-sso backup FILE` / `restore FILE`: every collection of the provider's database as gzip'd
// JSON lines (MongoDB Extended JSON, so dates, binaries and ids survive). The first line is a
// header naming the format; a file without it is refused before anything is touched.
//
// Consistency while the provider runs: each collection is read in one pass. Users, clients,
// consents, keys and settings change rarely and come out whole; an access or refresh token issued
// during the backup may be missing from it (after a restore it fails like an expired one and the
// client signs in again). Sessions are included, so a restore keeps people signed in.
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { BSON, type Document } from 'mongodb';
import type { Database } from '../db/connect';
import { AppError } from '../kernel/errors';

export const BACKUP_FORMAT = 'hrm-sso-backup';
const BATCH = 500;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  providerVersion: string;
  database: string;
  collections: Record<string, number>;
}

async function collectionNames(db: Database): Promise<string[]> {
  const list = await db.db.listCollections({}, { nameOnly: true }).toArray();
  return list.map((c) => c.name).filter((n) => !n.startsWith('system.')).sort();
}

/** Writes the backup to `file` (via a temporary file, renamed at the end: never a half file under that name). */
export async function writeBackup(db: Database, file: string, providerVersion: string): Promise<BackupHeader> {
  const names = await collectionNames(db);
  const counts: Record<string, number> = {};
  const tmp = `${file}.partial-${process.pid}`;
  const gzip = zlib.createGzip();
  const out = fs.createWriteStream(tmp, { mode: 0o600 });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(out);
  const write = (line: string) => (gzip.write(`${line}\n`) ? Promise.resolve() : new Promise<void>((r) => gzip.once('drain', () => r())));
  // The header's counts are only known at the end, so it is the last line (restore requires it: a
  // file cut short has none).
  try {
    for (const name of names) {
      counts[name] = 0;
      for await (const doc of db.db.collection(name).find({})) {
        await write(BSON.EJSON.stringify({ c: name, d: doc }, { relaxed: false }));
        counts[name]++;
      }
    }
    const header: BackupHeader = { format: BACKUP_FORMAT, version: 1, createdAt: new Date().toISOString(), providerVersion, database: db.db.databaseName, collections: counts };
    await write(JSON.stringify({ header }));
    gzip.end();
    await done;
    fs.renameSync(tmp, file);
    return header;
  } catch (err) {
    gzip.destroy();
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function notABackup(file: string, why: string): AppError {
  return new AppError('not_a_backup', `${file} is not an hrm-sso backup (${why}); nothing was changed.`);
}

/** Reads and checks the whole file first; returns the documents per collection and the header. */
export async function readBackup(file: string): Promise<{ header: BackupHeader; docs: Map<string, Document[]> }> {
  if (!fs.existsSync(file)) throw new AppError('not_found', `${file} does not exist.`);
  const docs = new Map<string, Document[]>();
  let header: BackupHeader | undefined;
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (!line) continue;
      if (header) throw notABackup(file, `data after the closing header on line ${lineNo}`);
      let parsed: { c?: unknown; d?: unknown; header?: BackupHeader };
      try {
        // The header is plain JSON (canonical EJSON would turn its numbers into Int32 objects).
        parsed = (line.startsWith('{"header":') ? JSON.parse(line) : BSON.EJSON.parse(line, { relaxed: false })) as typeof parsed;
      } catch {
        throw notABackup(file, `line ${lineNo} is not JSON`);
      }
      if (parsed.header) {
        if (parsed.header.format !== BACKUP_FORMAT || parsed.header.version !== 1) throw notABackup(file, 'unknown format or version');
        header = parsed.header;
        continue;
      }
      if (typeof parsed.c !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(parsed.c) || parsed.c.startsWith('system.') || !parsed.d || typeof parsed.d !== 'object') {
        throw notABackup(file, `line ${lineNo} is not a collection document`);
      }
      const list = docs.get(parsed.c) ?? [];
      list.push(parsed.d as Document);
      docs.set(parsed.c, list);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw notABackup(file, (err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' ? 'not gzip data' : (err as Error).message);
  }
  if (!header) throw notABackup(file, 'its closing header is missing: the file is cut short or not a backup');
  for (const [name, count] of Object.entries(header.collections)) {
    if ((docs.get(name)?.length ?? 0) !== count) throw notABackup(file, `collection ${name} holds ${docs.get(name)?.length ?? 0} documents, the header says ${count}`);
  }
  return { header, docs };
}

/** Is there anything in the database a restore would overwrite? (Users, clients or tokens.) */
export async function holdsData(db: Database): Promise<boolean> {
  const counts = await Promise.all([db.users, db.clients, db.accessTokens, db.refreshTokens].map((c) => c.countDocuments({}, { limit: 1 })));
  return counts.some((n) => n > 0);
}

/** Replaces each collection in the backup by its contents; on failure removes what it inserted. */
export async function restoreBackup(db: Database, backup: { docs: Map<string, Document[]> }): Promise<Record<string, number>> {
  const restored: Record<string, number> = {};
  const touched: string[] = [];
  try {
    for (const [name, list] of backup.docs) {
      const coll = db.db.collection(name);
      touched.push(name);
      await coll.deleteMany({});
      for (let i = 0; i < list.length; i += BATCH) await coll.insertMany(list.slice(i, i + BATCH), { ordered: true });
      restored[name] = list.length;
    }
    return restored;
  } catch (err) {
    for (const name of touched) await db.db.collection(name).deleteMany({}).catch(() => undefined);
    throw new AppError('restore_failed', `Restore failed (${(err as Error).message}); the collections it had started on were emptied again: restore into a fresh database.`);
  }
}
