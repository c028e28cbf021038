// Deletes what has expired: codes, tokens, claims, rate-limit windows, sessions, form
// submissions and (with AUDIT_RETENTION_DAYS) old audit entries.
//
// - On MongoDB: TTL indexes (created at start); the sweeper has nothing to do.
// - On FerretDB: access and refresh tokens by their indexed `sweepBucket` field (every bucket
//   ended since the last run, see sweepTokenBuckets); everything else through the due lists (expiry.ts), in batches of SWEEP_BATCH_SIZE, each batch a
//   cursor batch of one due-list collection and one `delete` command of `{_id}` statements per
//   target collection — every statement an index search, whatever the backlog. FerretDB fails a
//   single delete matching more than ~32,000 documents ("too many SQL variables"); batches never
//   get near that. When nothing is due, a run is one listCollections (metadata), the lease insert,
//   the delete of the previous slot's lease, the read and update of the token-bucket position and
//   two index searches per bucket ended since the last run (one bucket at the default interval).
// - One instance at a time: each run first claims the lease for the current time slot (one
//   SWEEP_INTERVAL_SECONDS wide) by inserting `sweep:<slot>` into sweep_leases; a unique insert
//   has exactly one winner on MongoDB and FerretDB alike. Runs stop after half a slot, so two
//   slots' runs do not overlap; whatever is left is taken by the next slot's winner.
import crypto from 'node:crypto';
import { isDuplicateKey } from '../db/errors';
import type { Db, ObjectId } from 'mongodb';
import type { Logger } from '../kernel/log';
import { retryIdempotent } from '../db/retry';
import { DUE_PREFIX, EXPIRY_BUCKET_MS, TOKEN_BUCKET_COLLECTIONS, TOKEN_BUCKET_FIELD, bucketKeyEndingAt, dueCollectionEnd, expiryMode, type DueDoc, type ExpiryMode } from '../db/expiry';
import { FORM_SUBMISSION_TTL_SECONDS } from '../store/form-submissions';
import { EXPIRES_AT_RULES, dropTtl, ensureTtlIndexes, type TtlRule } from '../db/ttl-indexes';

export const LEASES = 'sweep_leases';
/** Where the token-bucket sweep has got to: `{_id: TOKEN_BUCKETS_STATE, through: <end of the last bucket done>}`. */
export const TOKEN_BUCKETS_STATE = 'token-buckets';
/**
 * A sweeper's first run starts this far back: tokens carry a bucket only since this code runs,
 * and every bucket ends after its token was issued (older tokens are in due lists); the first
 * sweep comes one SWEEP_INTERVAL_SECONDS after start. Generous, for clocks that differ between instances.
 */
const FIRST_RUN_LOOKBACK_MS = 2 * 60 * 60 * 1000;

export interface SweeperOptions {
  intervalSeconds: number;
  batchSize: number;
  /** 0 keeps the audit log forever. */
  auditRetentionDays: number;
}

/**
 * Other housekeeping run with each sweep, on MongoDB too (TTL indexes cannot do it): e.g. the
 * refresh tokens' grace-window seals (store/tokens.ts dropEndedSeals). Idempotent: on MongoDB
 * every instance runs it; on FerretDB the lease holder. Returns how many documents it changed.
 */
export interface SweepTask {
  name: string;
  run(now: Date): Promise<number>;
}

export interface SweepResult {
  mode: ExpiryMode;
  /** false when another instance holds this slot's lease. */
  leased: boolean;
  deleted: Record<string, number>;
  dueEntries: number;
  bucketsDone: number;
  /** true when the time budget ran out before the backlog did. */
  incomplete: boolean;
  /** Documents each SweepTask changed (only tasks that changed some). */
  tasks?: Record<string, number>;
}

interface LeaseDoc {
  _id: string;
  holder: string;
  at: Date;
  expiresAt: Date;
}

export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;
  private readonly holder = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  private ttlReady: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly opts: SweeperOptions,
    private readonly log?: Logger,
    private readonly tasks: SweepTask[] = [],
  ) {}

  private ttlPrepared?: Promise<void>;
  private stopping = false;

  /** Runs every intervalSeconds (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((err) => this.log?.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'sweep failed'));
    }, this.opts.intervalSeconds * 1000);
    this.timer.unref();
    // TTL indexes at start, so MongoDB begins expiring at once.
    // stop() waits for it, so a quick shutdown never closes the database under it (a false warning).
    this.ttlPrepared = this.prepareTtl().catch((err) => {
      if (!this.stopping) this.log?.warn({ err: { message: (err as Error).message } }, 'TTL indexes could not be created');
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.ttlPrepared;
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One sweep (if this instance wins the current slot's lease). Concurrent calls share one run. */
  runOnce(now = new Date()): Promise<SweepResult> {
    if (!this.running) {
      this.running = this.sweep(now).finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  /** The TTL rules for this configuration (MongoDB). */
  ttlRules(): TtlRule[] {
    const rules = [...EXPIRES_AT_RULES, { collection: 'form_submissions', field: 'at', expireAfterSeconds: FORM_SUBMISSION_TTL_SECONDS }];
    if (this.opts.auditRetentionDays > 0) rules.push({ collection: 'audit_log', field: 'at', expireAfterSeconds: this.opts.auditRetentionDays * 86400 });
    return rules;
  }

  private prepareTtl(): Promise<void> {
    this.ttlReady ??= (async () => {
      if ((await expiryMode(this.db)) !== 'ttl') return;
      await ensureTtlIndexes(this.db, this.ttlRules());
      if (this.opts.auditRetentionDays === 0) await dropTtl(this.db, 'audit_log', 'at');
    })();
    this.ttlReady.catch(() => {
      this.ttlReady = undefined;
    });
    return this.ttlReady;
  }

  private async sweep(now: Date): Promise<SweepResult> {
    const mode = await expiryMode(this.db);
    const result: SweepResult = { mode, leased: false, deleted: {}, dueEntries: 0, bucketsDone: 0, incomplete: false };
    if (mode === 'ttl') {
      await this.prepareTtl();
      await this.runTasks(now, result);
      return result;
    }
    if (!(await this.claimLease(now))) return result;
    result.leased = true;
    await this.runTasks(now, result);
    const deadline = Date.now() + (this.opts.intervalSeconds * 1000) / 2;
    if (!(await this.sweepTokenBuckets(now, result, deadline))) result.incomplete = true;
    for (const name of result.incomplete ? [] : await this.dueCollections(now)) {
      if (!(await this.sweepBucket(name, now, result, deadline))) {
        result.incomplete = true;
        break;
      }
      result.bucketsDone += 1;
    }
    const total = Object.values(result.deleted).reduce((a, b) => a + b, 0);
    if (total > 0 || result.incomplete) this.log?.info({ deleted: result.deleted, incomplete: result.incomplete }, 'sweep');
    return result;
  }

  private async runTasks(now: Date, result: SweepResult): Promise<void> {
    for (const task of this.tasks) {
      const changed = await task.run(now);
      if (changed > 0) result.tasks = { ...result.tasks, [task.name]: changed };
    }
    if (result.tasks) this.log?.info({ tasks: result.tasks }, 'sweep housekeeping');
  }

  /** True when this instance may sweep in the slot containing `now`. */
  private async claimLease(now: Date): Promise<boolean> {
    const slotMs = this.opts.intervalSeconds * 1000;
    const slotStart = Math.floor(now.getTime() / slotMs) * slotMs;
    const lease: LeaseDoc = { _id: `sweep:${new Date(slotStart).toISOString()}`, holder: this.holder, at: now, expiresAt: new Date(slotStart + slotMs) };
    try {
      await this.db.collection<LeaseDoc>(LEASES).insertOne(lease);
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    // The previous slot's lease has served its purpose (TTL removes leases on MongoDB).
    await retryIdempotent(() => this.db.collection<LeaseDoc>(LEASES).deleteOne({ _id: `sweep:${new Date(slotStart - slotMs).toISOString()}` }));
    return true;
  }

  /**
   * Access and refresh tokens by their `sweepBucket` (db/expiry.ts): every bucket that has ended
   * since the last run, oldest first — per bucket and collection, `{sweepBucket}` reads (an index
   * search) of a batch of ids, then a delete of those ids, until none is left. Where it got to is
   * kept in LEASES (the next lease holder, on any instance, goes on from there). False when the
   * deadline stopped it; the next run resumes at the unfinished bucket.
   */
  private async sweepTokenBuckets(now: Date, result: SweepResult, deadline: number): Promise<boolean> {
    const state = this.db.collection<{ _id: string; through: Date }>(LEASES);
    const saved = await retryIdempotent(() => state.findOne({ _id: TOKEN_BUCKETS_STATE }));
    const lastEnded = Math.floor(now.getTime() / EXPIRY_BUCKET_MS) * EXPIRY_BUCKET_MS;
    const lookback = Math.max(FIRST_RUN_LOOKBACK_MS, 2 * this.opts.intervalSeconds * 1000);
    let through = saved?.through.getTime() ?? Math.floor((now.getTime() - lookback) / EXPIRY_BUCKET_MS) * EXPIRY_BUCKET_MS;
    let complete = true;
    for (let end = through + EXPIRY_BUCKET_MS; end <= lastEnded; end += EXPIRY_BUCKET_MS) {
      const key = bucketKeyEndingAt(end);
      for (const collection of TOKEN_BUCKET_COLLECTIONS) {
        const coll = this.db.collection<{ _id: string }>(collection);
        for (;;) {
          const ids = (await retryIdempotent(() => coll.find({ [TOKEN_BUCKET_FIELD]: key }, { projection: { _id: 1 } }).limit(this.opts.batchSize).toArray())).map((d) => d._id);
          if (ids.length === 0) break;
          result.deleted[collection] = (result.deleted[collection] ?? 0) + (await deleteByIds(this.db, collection, ids, this.opts.batchSize));
          if (Date.now() > deadline) {
            complete = false;
            break;
          }
        }
        if (!complete) break;
      }
      if (!complete) break;
      through = end;
    }
    if (through !== saved?.through.getTime()) {
      // The lease makes this run the only writer of the state for its slot.
      await retryIdempotent(() => state.updateOne({ _id: TOKEN_BUCKETS_STATE }, { $set: { through: new Date(through) } }, { upsert: true }));
    }
    return complete;
  }

  /** Due-list collections whose bucket has ended, oldest first. */
  private async dueCollections(now: Date): Promise<string[]> {
    const all = await retryIdempotent(() => this.db.listCollections({}, { nameOnly: true }).toArray());
    return all
      .map((c) => c.name)
      .filter((n) => n.startsWith(DUE_PREFIX) && (dueCollectionEnd(n)?.getTime() ?? Infinity) <= now.getTime())
      .sort();
  }

  /**
   * Empties one ended bucket: its entries are read with one cursor, a batch at a time, and the
   * documents they name deleted; then the bucket is dropped (cheaper than deleting each entry).
   * When the deadline stops it half-way, the entries already done are deleted so that the next
   * run resumes where this one stopped. False in that case.
   */
  private async sweepBucket(name: string, now: Date, result: SweepResult, deadline: number): Promise<boolean> {
    const due = this.db.collection<DueDoc>(name);
    // No filter, no sort: FerretDB streams the table; every entry in an ended bucket is due.
    const cursor = due.find({}, { batchSize: this.opts.batchSize });
    const done: string[] = [];
    try {
      let batch: DueDoc[] = [];
      const flush = async () => {
        result.dueEntries += batch.length;
        const byCollection = new Map<string, DueDoc[]>();
        for (const e of batch) byCollection.set(e.c, [...(byCollection.get(e.c) ?? []), e]);
        for (const [collection, entries] of byCollection) {
          const ids = await this.expiredIds(collection, entries, now);
          if (ids.length) result.deleted[collection] = (result.deleted[collection] ?? 0) + (await deleteByIds(this.db, collection, ids, this.opts.batchSize));
        }
        done.push(...batch.map((e) => e._id));
        batch = [];
      };
      for await (const entry of cursor) {
        batch.push(entry);
        if (batch.length >= this.opts.batchSize) {
          await flush();
          if (Date.now() > deadline) {
            await deleteByIds(this.db, name, done, this.opts.batchSize);
            return false;
          }
        }
      }
      if (batch.length) await flush();
    } finally {
      await cursor.close().catch(() => undefined);
    }
    await due.drop().catch(() => undefined);
    return true;
  }

  /** Entries without a check field are expired by construction; the others are read by _id and checked. */
  private async expiredIds(collection: string, entries: DueDoc[], now: Date): Promise<Array<string | ObjectId>> {
    const fixed = entries.filter((e) => !e.f).map((e) => e.i);
    const checked = entries.filter((e) => e.f);
    const coll = this.db.collection<{ _id: string | ObjectId } & Record<string, unknown>>(collection);
    const stillDue = await Promise.all(
      checked.map(async (e) => {
        const doc = await retryIdempotent(() => coll.findOne({ _id: e.i }, { projection: { [e.f as string]: 1 } }));
        const at = doc?.[e.f as string];
        return doc && at instanceof Date && at.getTime() <= now.getTime() ? e.i : undefined;
      }),
    );
    return [...fixed, ...stillDue.filter((x): x is string | ObjectId => x !== undefined)];
  }
}

/** `delete` commands of at most `batch` `{_id}` statements each (every one an index search on FerretDB). */
async function deleteByIds(db: Db, collection: string, ids: Array<string | ObjectId>, batch: number): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < ids.length; i += batch) {
    const part = ids.slice(i, i + batch);
    const res = await retryIdempotent(() =>
      db.collection<{ _id: string | ObjectId }>(collection).bulkWrite(
        part.map((id) => ({ deleteOne: { filter: { _id: id } } })),
        { ordered: false },
      ),
    );
    deleted += res.deletedCount;
  }
  return deleted;
}
