// Access and refresh tokens, grouped in families (one authorization grant each) so a
// replayed code or a reused refresh token can revoke everything that grant produced.
import type { Database } from '../db/connect';
import type { AccessTokenDoc, RefreshTokenDoc } from '../db/schema';
import { digest } from '../security/tokens';
import { isDuplicateKey } from './users';
import { trackExpiry } from '../sweep/expiry';

export class TokenStore {
  constructor(private readonly db: Database) {}

  /** One indexed read: the active access token for a presented bearer value, or null. */
  async findActiveAccessToken(token: string, now = new Date()): Promise<AccessTokenDoc | null> {
    const doc = await this.db.accessTokens.findOne({ _id: digest(token) });
    if (!doc || doc.revokedAt || doc.expiresAt <= now) return null;
    return doc;
  }

  async findAccessToken(token: string): Promise<AccessTokenDoc | null> {
    return this.db.accessTokens.findOne({ _id: digest(token) });
  }

  async findRefreshToken(token: string): Promise<RefreshTokenDoc | null> {
    return this.db.refreshTokens.findOne({ _id: digest(token) });
  }

  /** Revokes every live access and refresh token matching `filter`; returns how many access tokens. */
  private async revokeMatching(filter: { familyId?: string; userId?: string; clientId?: string }, now: Date): Promise<number> {
    const [access] = await Promise.all([
      this.db.accessTokens.updateMany({ ...filter, revokedAt: null }, { $set: { revokedAt: now } }),
      this.db.refreshTokens.updateMany({ ...filter, revokedAt: null }, { $set: { revokedAt: now } }),
    ]);
    return access.modifiedCount;
  }

  async revokeFamily(familyId: string, now = new Date()): Promise<void> {
    await this.revokeMatching({ familyId }, now);
  }

  async revokeForUserAndClient(userId: string, clientId: string, now = new Date()): Promise<number> {
    return this.revokeMatching({ userId, clientId }, now);
  }

  async revokeForUser(userId: string, now = new Date()): Promise<number> {
    return this.revokeMatching({ userId }, now);
  }

  async revokeForClient(clientId: string, now = new Date()): Promise<number> {
    return this.revokeMatching({ clientId }, now);
  }

  /**
   * Inserts a one-time claim; true for exactly one caller. A unique-key insert is atomic on
   * MongoDB and on FerretDB (whose findAndModify is not atomic under concurrency).
   */
  async claimOnce(id: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.db.claims.insertOne({ _id: id, at: new Date(), expiresAt });
      await trackExpiry(this.db, [{ collection: 'claims', id, expiresAt }]);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /**
   * Retires a refresh token by rotation. Exactly one concurrent caller wins; the access token
   * issued with it is revoked too (as DOT does).
   */
  async retireRefreshToken(token: string, now = new Date()): Promise<boolean> {
    const id = digest(token);
    const doc = await this.db.refreshTokens.findOne({ _id: id });
    if (!doc || doc.revokedAt) return false;
    if (!(await this.claimOnce(`refresh:${id}`, doc.expiresAt))) return false;
    await this.db.refreshTokens.updateOne({ _id: id }, { $set: { revokedAt: now, rotatedAt: now } });
    await this.db.accessTokens.updateOne({ _id: doc.accessTokenId, revokedAt: null }, { $set: { revokedAt: now } });
    return true;
  }

  /**
   * Deletes expired rows and revoked access tokens. Revoked refresh tokens and used codes stay
   * until they expire: they are what detects reuse and replay.
   */
  async clear(now = new Date()): Promise<{ accessTokens: number; refreshTokens: number; codes: number }> {
    await this.db.claims.deleteMany({ expiresAt: { $lte: now } });
    const [a, r, c] = await Promise.all([
      this.db.accessTokens.deleteMany({ $or: [{ expiresAt: { $lte: now } }, { revokedAt: { $ne: null } }] }),
      this.db.refreshTokens.deleteMany({ expiresAt: { $lte: now } }),
      this.db.codes.deleteMany({ expiresAt: { $lte: now } }),
    ]);
    return { accessTokens: a.deletedCount, refreshTokens: r.deletedCount, codes: c.deletedCount };
  }

  async activeCountsByClient(now = new Date()): Promise<Record<string, number>> {
    const rows = await this.db.accessTokens
      .aggregate<{ _id: string; count: number }>([{ $match: { revokedAt: null, expiresAt: { $gt: now } } }, { $group: { _id: '$clientId', count: { $sum: 1 } } }])
      .toArray();
    return Object.fromEntries(rows.map((r) => [r._id, r.count]));
  }
}
