// The OpenID Connect side of an authorization grant (nonce, auth_time, claims request), kept
// beside the token family so the token endpoint and userinfo can find it from any token.
import type { Config } from '../config';
import type { Database } from '../db/connect';
import type { OidcGrantDoc } from './schema';

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
    await this.db.oidcGrants.insertOne({ ...doc, expiresAt: new Date(now.getTime() + this.lifetimeMs()) });
  }

  async find(familyId: string, now = new Date()): Promise<OidcGrantDoc | null> {
    const doc = await this.db.oidcGrants.findOne({ _id: familyId });
    return doc && doc.expiresAt > now ? doc : null;
  }

  /** Extends the grant's life (each token response). */
  async touch(familyId: string, now = new Date()): Promise<void> {
    await this.db.oidcGrants.updateOne({ _id: familyId }, { $set: { expiresAt: new Date(now.getTime() + this.lifetimeMs()) } });
  }

  async clear(now = new Date()): Promise<number> {
    return (await this.db.oidcGrants.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }
}
