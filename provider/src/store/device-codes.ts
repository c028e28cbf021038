// RFC 8628 device authorizations (domain/oidc/device.ts): stored by the digest of the device code,
// found by the user code people type, decided once, polled with a conditional move of lastPollAt.
import type { Database } from '../db/connect';
import { isDuplicateKey } from '../db/errors';
import { trackExpiry } from '../db/expiry';
import type { DeviceCodeDoc } from '../db/oidc-schema';

export class DeviceCodeStore {
  constructor(private readonly db: Database) {}

  /** Stores a new authorization; false when its user code is taken (the caller draws another). */
  async insert(doc: DeviceCodeDoc): Promise<boolean> {
    try {
      await this.db.deviceCodes.insertOne(doc);
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    await trackExpiry(this.db, [{ collection: 'device_codes', id: doc._id, expiresAt: doc.expiresAt }]);
    return true;
  }

  byUserCode(userCode: string): Promise<DeviceCodeDoc | null> {
    return this.db.deviceCodes.findOne({ userCode });
  }

  byId(id: string): Promise<DeviceCodeDoc | null> {
    return this.db.deviceCodes.findOne({ _id: id });
  }

  /** Records the user's decision; false when it was no longer pending (decided already). */
  async decide(id: string, status: 'approved' | 'denied', userId: string): Promise<boolean> {
    const r = await this.db.deviceCodes.updateOne({ _id: id, status: 'pending' }, { $set: { status, userId } });
    return r.modifiedCount === 1;
  }

  /**
   * Moves lastPollAt from the value the caller read to `now` (and the interval, when given);
   * false when another poll moved it first.
   */
  async movePoll(id: string, readLastPollAt: Date | null, now: Date, interval?: number): Promise<boolean> {
    const r = await this.db.deviceCodes.updateOne({ _id: id, lastPollAt: readLastPollAt }, { $set: { lastPollAt: now, ...(interval === undefined ? {} : { interval }) } });
    return r.modifiedCount === 1;
  }
}
