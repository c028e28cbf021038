// The OpenID Connect side of an authorization grant (nonce, auth_time, claims request), kept
// beside the token family so the token endpoint and userinfo can find it from any token.
import type { Config } from '../kernel/config';
import type { Database } from '../db/connect';
import { trackExpiry } from '../db/expiry';
import type { OidcGrantDoc } from '../db/oidc-schema';

export class OidcGrants {
  constructor(
    private readonly db: Database,
    private readonly config: Config,
  ) {}

  /** Kept as long as the grant's refresh tokens may still be used; every token response extends it. */
  private lifetimeMs(): number {
    return (Math.max(this.config.REFRESH_TOKEN_EXPIRE_SECONDS, this.config.ACCESS_TOKEN_EXPIRE_SECONDS) + this.config.AUTHORIZATION_CODE_EXPIRE_SECONDS) * 1000;
  }

  async save(doc: Omit<OidcGrantDoc, 'expiresAt'>, now = new Date()): Promise<void> {
    const expiresAt = new Date(now.getTime() + this.lifetimeMs());
    await Promise.all([this.db.oidcGrants.insertOne({ ...doc, expiresAt }), this.track(doc._id, expiresAt)]);
  }

  async find(familyId: string, now = new Date()): Promise<OidcGrantDoc | null> {
    const doc = await this.db.oidcGrants.findOne({ _id: familyId });
    return doc && doc.expiresAt > now ? doc : null;
  }

  /** Extends the grant's life (each token response). */
  async touch(familyId: string, now = new Date()): Promise<void> {
    const expiresAt = new Date(now.getTime() + this.lifetimeMs());
    await Promise.all([this.db.oidcGrants.updateOne({ _id: familyId }, { $set: { expiresAt } }), this.track(familyId, expiresAt)]);
  }

  /** FerretDB has no TTL indexes: the sweeper's due lists (sweep/expiry.ts) find expired grants. */
  private track(id: string, expiresAt: Date): Promise<void> {
    return trackExpiry(this.db, [{ collection: 'oidc_grants', id, expiresAt, checkField: 'expiresAt' }]);
  }
}
