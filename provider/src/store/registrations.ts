// Dynamic client registration (domain/oidc/registration.ts): single-use initial access tokens and,
// per registered client, the digest of its registration access token. Tokens are kept as digests.
import type { Database } from '../db/connect';
import { trackExpiry } from '../db/expiry';
import type { RegistrationDoc, RegistrationTokenDoc } from '../db/oidc-schema';

export class RegistrationStore {
  constructor(private readonly db: Database) {}

  async addInitialToken(id: string, note: string | undefined, now: Date, expiresAt: Date): Promise<void> {
    await Promise.all([this.db.registrationTokens.insertOne({ _id: id, note, createdAt: now, expiresAt, usedAt: null }), trackExpiry(this.db, [{ collection: 'registration_tokens', id, expiresAt }])]);
  }

  initialToken(id: string): Promise<RegistrationTokenDoc | null> {
    return this.db.registrationTokens.findOne({ _id: id });
  }

  async markInitialTokenUsed(id: string, clientId: string, now: Date): Promise<void> {
    await this.db.registrationTokens.updateOne({ _id: id }, { $set: { usedAt: now, usedFor: clientId } });
  }

  async addRegistration(clientId: string, accessTokenDigest: string, now: Date): Promise<void> {
    await this.db.registrations.insertOne({ _id: clientId, accessTokenDigest, createdAt: now });
  }

  registration(clientId: string): Promise<RegistrationDoc | null> {
    return this.db.registrations.findOne({ _id: clientId });
  }

  async removeRegistration(clientId: string): Promise<void> {
    await this.db.registrations.deleteOne({ _id: clientId });
  }
}
