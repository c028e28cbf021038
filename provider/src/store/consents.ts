// What each user allowed each client (the consent page's "Allow"): scopes granted, first and last use.
// One document per (user, client) pair, keyed `${userId}:${clientId}` (db/schema.ts consentId).
import type { Database } from '../db/connect';
import { consentId, type ConsentDoc } from '../db/schema';

export class ConsentStore {
  constructor(private readonly db: Database) {}

  async find(userId: string, clientId: string): Promise<ConsentDoc | null> {
    return this.db.consents.findOne({ _id: consentId(userId, clientId) });
  }

  /** Adds the scopes to the user's consent for the client (created on first use) and stamps its use. */
  async grant(userId: string, clientId: string, scope: string[], now = new Date()): Promise<void> {
    await this.db.consents.updateOne(
      { _id: consentId(userId, clientId) },
      { $addToSet: { scope: { $each: scope } }, $set: { lastUsedAt: now }, $setOnInsert: { userId, clientId, createdAt: now } },
      { upsert: true },
    );
  }

  async forUser(userId: string): Promise<ConsentDoc[]> {
    return this.db.consents.find({ userId }).toArray();
  }

  /** True when a consent was there to delete. */
  async withdraw(userId: string, clientId: string): Promise<boolean> {
    return (await this.db.consents.deleteOne({ _id: consentId(userId, clientId) })).deletedCount > 0;
  }

  async withdrawAllForUser(userId: string): Promise<void> {
    await this.db.consents.deleteMany({ userId });
  }

  async withdrawAllForClient(clientId: string): Promise<void> {
    await this.db.consents.deleteMany({ clientId });
  }

  async countForClient(clientId: string): Promise<number> {
    return this.db.consents.countDocuments({ clientId });
  }
}
