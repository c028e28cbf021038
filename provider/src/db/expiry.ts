// Where expired documents are found without reading whole collections.
//
// MongoDB deletes them itself through TTL indexes (see ttl-indexes.ts). FerretDB v1 has no TTL
// indexes and pushes down only `{_id: <value>}` filters: an `expiresAt` range query reads the
// whole collection in Go. So on FerretDB every document that expires is also entered, at write
// time, in a "due list": a small collection per expiry bucket (EXPIRY_BUCKET_MS wide) named after
// the bucket's end. An entry is a unique insert (atomic on FerretDB, unlike $push on a shared
// document). The sweeper lists these collections (metadata only) and, for each bucket that has
// ended, reads its entries a batch at a time (LIMIT pushed down) and deletes the documents by _id.
import type { Db, ObjectId } from 'mongodb';
import { isDuplicateKey } from './errors';
import type { Database } from './connect';
import { retryIdempotent } from './retry';

export const EXPIRY_BUCKET_MS = 10 * 60 * 1000;
export const DUE_PREFIX = 'expiry_due_';

/** How expired documents are removed on this server. */
export type ExpiryMode = 'ttl' | 'due-lists';

export interface DueEntry {
  /** Collection name, e.g. 'access_tokens'. */
  collection: string;
  /** The document's _id. */
  id: string | ObjectId;
  expiresAt: Date;
  /**
   * For documents whose expiry moves (sessions, rate-limit windows): the field holding the
   * current expiry. The sweeper then deletes the document only if that field has passed; the
   * writer enters the document again when it moves the expiry.
   */
  checkField?: string;
}

export interface DueDoc {
  _id: string; // `${collection}/${id}`
  c: string;
  i: string | ObjectId;
  f?: string;
}

const modes = new WeakMap<Db, Promise<ExpiryMode>>();

/** 'ttl' on MongoDB, 'due-lists' on FerretDB (which reports itself in buildInfo). Cached per database. */
export function expiryMode(db: Db): Promise<ExpiryMode> {
  let m = modes.get(db);
  if (!m) {
    m = db
      .admin()
      .command({ buildInfo: 1 })
      .then((info): ExpiryMode => (typeof info.ferretdbVersion === 'string' ? 'due-lists' : 'ttl'));
    m.catch(() => modes.delete(db));
    modes.set(db, m);
  }
  return m;
}

/** The due-list collection for an expiry time: named after the end of its bucket, so names sort by time. */
export function dueCollectionName(expiresAt: Date): string {
  const end = Math.floor(expiresAt.getTime() / EXPIRY_BUCKET_MS) * EXPIRY_BUCKET_MS + EXPIRY_BUCKET_MS;
  return DUE_PREFIX + new Date(end).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Access and refresh tokens carry their bucket instead of a due-list entry (FerretDB only): the
 * field `sweepBucket` holds the bucket's key (the due-list suffix, e.g. 20260101T101000Z) and has
 * an index, so the sweeper finds a bucket's tokens with an equality FerretDB sends to SQLite
 * (scripts/ferretdb/0002) — and issuing a token is one insert, not an insert plus a due-list insert.
 */
export const TOKEN_BUCKET_FIELD = 'sweepBucket';
export const TOKEN_BUCKET_COLLECTIONS = ['access_tokens', 'refresh_tokens'] as const;

/** The bucket key of an expiry time: its due-list collection's name without the prefix. */
export function bucketKey(expiresAt: Date): string {
  return dueCollectionName(expiresAt).slice(DUE_PREFIX.length);
}

/** The key of the bucket ending at `end` (a multiple of EXPIRY_BUCKET_MS). */
export function bucketKeyEndingAt(end: number): string {
  return bucketKey(new Date(end - 1));
}

/** When a due-list collection's bucket ends (its documents are all expired after that), or undefined for other names. */
export function dueCollectionEnd(name: string): Date | undefined {
  const m = /^expiry_due_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(name);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}

/**
 * Enters documents in the due lists (FerretDB only; a no-op where TTL indexes do the work).
 * Entries with the same bucket go in one insert. Call it beside the document's own insert
 * (Promise.all): it is one more command, not one more round trip of latency.
 */
export async function trackExpiry(database: Pick<Database, 'db'>, entries: DueEntry[]): Promise<void> {
  if (entries.length === 0 || (await expiryMode(database.db)) === 'ttl') return;
  const byBucket = new Map<string, DueDoc[]>();
  for (const e of entries) {
    const name = dueCollectionName(e.expiresAt);
    const doc: DueDoc = { _id: `${e.collection}/${String(e.id)}`, c: e.collection, i: e.id };
    if (e.checkField) doc.f = e.checkField;
    byBucket.set(name, [...(byBucket.get(name) ?? []), doc]);
  }
  await Promise.all(
    [...byBucket].map(([name, docs]) =>
      retryIdempotent(() => database.db.collection<DueDoc>(name).insertMany(docs, { ordered: false })).catch((err) => {
        // Already entered in this bucket (a moved expiry that stayed in its bucket): nothing to do.
        if (!isDuplicateKey(err)) throw err;
      }),
    ),
  );
}
