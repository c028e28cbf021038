// express-rate-limit store in MongoDB, so every provider instance shares the same counters.
// Expiry is enforced on read (FerretDB has no TTL indexes) and old rows are swept.
import type { Store, Options, ClientRateLimitInfo } from 'express-rate-limit';
import type { Database } from '../db/connect';
import { isDuplicateKey } from '../store/users';
import { trackExpiry } from '../sweep/expiry';

export class MongoRateLimitStore implements Store {
  private windowMs = 60000;
  readonly localKeys = false;

  constructor(private readonly db: Database, readonly prefix: string) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const doc = await this.db.rateLimits.findOne({ _id: this.prefix + key });
    if (!doc || doc.resetAt <= new Date()) return undefined;
    return { totalHits: doc.hits, resetTime: doc.resetAt };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const id = this.prefix + key;
    const now = new Date();
    const live = await this.db.rateLimits.findOneAndUpdate({ _id: id, resetAt: { $gt: now } }, { $inc: { hits: 1 } }, { returnDocument: 'after' });
    if (live) return { totalHits: live.hits, resetTime: live.resetAt };
    const resetAt = new Date(now.getTime() + this.windowMs);
    try {
      await this.db.rateLimits.updateOne({ _id: id, $or: [{ resetAt: { $lte: now } }, { resetAt: { $exists: false } }] }, { $set: { hits: 1, resetAt } }, { upsert: true });
      // A new window: due for the sweeper (FerretDB) when it ends, if no later window replaced it.
      await trackExpiry(this.db, [{ collection: 'rate_limits', id, expiresAt: resetAt, checkField: 'resetAt' }]);
    } catch (err) {
      // A concurrent first hit created the row: count this one on it.
      if (!isDuplicateKey(err)) throw err;
      const raced = await this.db.rateLimits.findOneAndUpdate({ _id: id }, { $inc: { hits: 1 } }, { returnDocument: 'after' });
      if (raced) return { totalHits: raced.hits, resetTime: raced.resetAt };
    }
    return { totalHits: 1, resetTime: resetAt };
  }

  async decrement(key: string): Promise<void> {
    await this.db.rateLimits.updateOne({ _id: this.prefix + key, hits: { $gt: 0 } }, { $inc: { hits: -1 } });
  }

  async resetKey(key: string): Promise<void> {
    await this.db.rateLimits.deleteOne({ _id: this.prefix + key });
  }
}
