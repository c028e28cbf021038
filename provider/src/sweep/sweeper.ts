// Deletes what has expired: codes, tokens, claims, rate-limit windows, sessions, form
// submissions and (with AUDIT_RETENTION_DAYS) old audit entries.
//
// - On MongoDB: TTL indexes (created at start); the sweeper has nothing to do.
// - On FerretDB: the due lists (expiry.ts), in batches of SWEEP_BATCH_SIZE, each batch a
//   LIMIT read of one due-list collection and one `delete` command of `{_id}` statements per
//   target collection — every statement an index search, whatever the backlog. FerretDB fails a
//   single delete matching more than ~32,000 documents ("too many SQL variables"); batches never
//   get near that. When nothing is due, a run is one listCollections (metadata) and one insert.
// - One instance at a time: each run first claims the lease for the current time slot (one
//   SWEEP_INTERVAL_SECONDS wide) by inserting `sweep:<slot>` into sweep_leases; a unique insert
//   has exactly one winner on MongoDB and FerretDB alike. Runs stop after half a slot, so two
//   slots' runs do not overlap; whatever is left is taken by the next slot's winner.
import crypto from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import type { Logger } from '../log';
import { isDuplicateKey } from '../store/users';
import { retryIdempotent } from '../db/retry';
import { DUE_PREFIX, dueCollectionEnd, expiryMode, trackExpiry, type DueDoc, type ExpiryMode } from './expiry';
import { EXPIRES_AT_RULES, dropTtl, ensureTtlIndexes, type TtlRule } from './ttl-indexes';

export const LEASES = 'sweep_leases';
/** How long a form submission stays (double-submit protection); routes/admin/support.ts. */
export const FORM_SUBMISSION_TTL_SECONDS = 24 * 3600;

export interface SweeperOptions {
  intervalSeconds: number;
  batchSize: number;
  /** 0 keeps the audit log forever. */
  auditRetentionDays: number;
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
  ) {}

  /** Runs every intervalSeconds (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((err) => this.log?.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'sweep failed'));
    }, this.opts.intervalSeconds * 1000);
    this.timer.unref();
    // TTL indexes at start, so MongoDB begins expiring at once.
    void this.prepareTtl().catch((err) => this.log?.warn({ err: { message: (err as Error).message } }, 'TTL indexes could not be created'));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
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
      return result;
    }
    if (!(await this.claimLease(now))) return result;
    result.leased = true;
    const deadline = Date.now() + (this.opts.intervalSeconds * 1000) / 2;
    for (const name of await this.dueCollections(now)) {
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
    // The lease document goes the way of everything else that expires.
    await trackExpiry({ db: this.db }, [{ collection: LEASES, id: lease._id, expiresAt: lease.expiresAt }]);
    return true;
  }

  /** Due-list collections whose bucket has ended, oldest first. */
  private async dueCollections(now: Date): Promise<string[]> {
    const all = await retryIdempotent(() => this.db.listCollections({}, { nameOnly: true }).toArray());
    return all
      .map((c) => c.name)
      .filter((n) => n.startsWith(DUE_PREFIX) && (dueCollectionEnd(n)?.getTime() ?? Infinity) <= now.getTime())
      .sort();
  }

  /** Empties one ended bucket batch by batch, then drops it. False when the deadline stopped it. */
  private async sweepBucket(name: string, now: Date, result: SweepResult, deadline: number): Promise<boolean> {
    const due = this.db.collection<DueDoc>(name);
    for (;;) {
      if (Date.now() > deadline) return false;
      // No filter, no sort: FerretDB pushes the LIMIT down to SQLite.
      const batch = await retryIdempotent(() => due.find({}).limit(this.opts.batchSize).toArray());
      if (batch.length === 0) break;
      result.dueEntries += batch.length;
      const byCollection = new Map<string, DueDoc[]>();
      for (const e of batch) byCollection.set(e.c, [...(byCollection.get(e.c) ?? []), e]);
      for (const [collection, entries] of byCollection) {
        const ids = await this.expiredIds(collection, entries, now);
        if (ids.length) result.deleted[collection] = (result.deleted[collection] ?? 0) + (await deleteByIds(this.db, collection, ids));
      }
      await deleteByIds(this.db, name, batch.map((e) => e._id));
      if (batch.length < this.opts.batchSize) break;
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

/** One `delete` command of `{_id}` statements (each an index search on FerretDB). */
async function deleteByIds(db: Db, collection: string, ids: Array<string | ObjectId>): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await retryIdempotent(() =>
    db.collection<{ _id: string | ObjectId }>(collection).bulkWrite(
      ids.map((id) => ({ deleteOne: { filter: { _id: id } } })),
      { ordered: false },
    ),
  );
  return res.deletedCount;
}
