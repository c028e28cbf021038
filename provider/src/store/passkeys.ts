// A user's passkeys (WebAuthn credentials), collection `passkeys`, keyed by credential id so a
// credential belongs to exactly one account. Using one is one conditional update on the counter
// it was read with: two requests racing with the same assertion cannot both succeed.
import type { Database } from '../db/connect';
import type { PasskeyDoc } from '../db/passkey-schema';
import { isDuplicateKey } from '../db/errors';

export type { PasskeyDoc } from '../db/passkey-schema';

/** At most this many per account: enough for every device a person owns, bounded for the sign-in options. */
export const MAX_PASSKEYS_PER_USER = 20;

export class PasskeyStore {
  constructor(private readonly db: Database) {}

  /** The user's passkeys, oldest first. */
  list(userId: string): Promise<PasskeyDoc[]> {
    return this.db.passkeys.find({ userId }, { limit: MAX_PASSKEYS_PER_USER * 2 }).sort({ createdAt: 1 }).toArray();
  }

  count(userId: string): Promise<number> {
    return this.db.passkeys.countDocuments({ userId });
  }

  byCredentialId(id: string): Promise<PasskeyDoc | null> {
    return this.db.passkeys.findOne({ _id: id });
  }

  /** Saves a new passkey; false when this credential is already registered (to anyone). */
  async add(doc: PasskeyDoc): Promise<boolean> {
    try {
      await this.db.passkeys.insertOne(doc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Records a sign-in: the new counter, only if the stored one is still the one checked against. */
  async recordUse(id: string, checkedCounter: number, newCounter: number, at = new Date()): Promise<boolean> {
    const r = await this.db.passkeys.updateOne({ _id: id, counter: checkedCounter }, { $set: { counter: newCounter, lastUsedAt: at } });
    return r.modifiedCount === 1;
  }

  /** Removes one of the user's passkeys; the removed document, or null when it is not theirs. */
  async remove(userId: string, id: string): Promise<PasskeyDoc | null> {
    const doc = await this.db.passkeys.findOne({ _id: id, userId });
    if (!doc) return null;
    const r = await this.db.passkeys.deleteOne({ _id: id, userId });
    return r.deletedCount === 1 ? doc : null;
  }

  /** Removes all of the user's passkeys (administrator reset); how many there were. */
  async removeAll(userId: string): Promise<number> {
    const r = await this.db.passkeys.deleteMany({ userId });
    return r.deletedCount;
  }
}
