// Revocation markers: what makes a revoke that answered 200 final, whatever is in flight.
//
// A revoker writes the marker FIRST and marks tokens SECOND; every issuer inserts its tokens
// FIRST and reads the markers SECOND (one `_id $in` read). Either the revoker's token update
// sees the new tokens, or the issuer sees the marker, revokes what it just inserted and fails.
// Markers are insert/upsert-only documents that issuers never write, so FerretDB's
// non-atomic read-modify-write updates cannot lose them.
//
// Keys: `family:<familyId>` (final for that grant), `user:<id>`, `client:<id>`,
// `user-client:<userId>:<clientId>` (a user revoking one connected app). A user/client marker
// revokes what was issued from a credential (code, refresh token, client_credentials request)
// created at or before the marker's time; `final` (family, deleted client) revokes everything.
// Markers only need to outlive in-flight requests and the longest-lived credential the token
// update does not mark (authorization codes): they expire after an hour or the code lifetime.
import type { Clock } from '../kernel/clock';
import { isDuplicateKey } from '../db/errors';
import type { Database } from '../db/connect';
import { trackExpiry } from '../db/expiry';
import type { RevocationDoc } from '../db/schema';
import { IdBatchReader } from '../db/id-batch-reader';

export const markerKeys = {
  family: (id: string) => `family:${id}`,
  user: (id: string) => `user:${id}`,
  client: (id: string) => `client:${id}`,
  userClient: (userId: string, clientId: string) => `user-client:${userId}:${clientId}`,
};

/** Whether a marker revokes what was issued from a credential created at `createdAt` (see the header). */
export function markerRevokes(m: RevocationDoc, createdAt: Date): boolean {
  return !!m.final || m._id.startsWith('family:') || m.revokedAt.getTime() >= createdAt.getTime();
}

export class RevocationStore {
  // Every issue reads its markers: concurrent issuers share the read (db/id-batch-reader.ts). Each
  // read still starts after the issuer asked, i.e. after its tokens were inserted (the order above).
  private readonly markerReads: IdBatchReader<RevocationDoc>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly keepSeconds: number,
  ) {
    this.markerReads = new IdBatchReader(db.revocations);
  }

  /** Writes (or moves forward) one marker; returns its time. */
  async mark(id: string, opts: { final?: boolean } = {}): Promise<Date> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.keepSeconds * 1000);
    const update = { $set: { revokedAt: now, expiresAt, ...(opts.final ? { final: true } : {}) } };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.revocations.updateOne({ _id: id }, update, { upsert: true });
        await trackExpiry(this.db, [{ collection: 'revocations', id, expiresAt, checkField: 'expiresAt' }]);
        return now;
      } catch (err) {
        // Two concurrent upserts of one new marker: the loser updates the winner's document.
        if (!isDuplicateKey(err) || attempt > 2) throw err;
      }
    }
  }

  /**
   * True when any of the markers revokes a credential created at `credentialCreatedAt`.
   * One `_id $in` read (shared with concurrent issuers) — issuers call it after inserting tokens.
   */
  async revokes(ids: string[], credentialCreatedAt: Date): Promise<boolean> {
    const found = await this.markerReads.getMany(ids);
    return found.some((m) => markerRevokes(m, credentialCreatedAt));
  }

  /** The markers among `ids` (one `_id $in` read), by key. */
  async find(ids: string[]): Promise<Map<string, RevocationDoc>> {
    if (ids.length === 0) return new Map();
    return new Map((await this.db.revocations.find({ _id: { $in: [...new Set(ids)] } }).toArray()).map((m) => [m._id, m]));
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.revocations.findOne({ _id: id })) !== null;
  }

  async sweep(now = this.clock.now()): Promise<number> {
    return (await this.db.revocations.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }
}
