// The Database handle: one MongoClient and its typed collections (opened by db/connect.ts).
import type { MongoClient, Db, Collection } from 'mongodb';
import type { MigrationDoc, UserDoc, ClientDoc, AuthorizationCodeDoc, AccessTokenDoc, RefreshTokenDoc, ConsentDoc, RateLimitDoc, AuditDoc, ClaimDoc, FormSubmissionDoc, RevocationDoc } from './schema';
import type { SigningKeyDoc, OidcGrantDoc, DeviceCodeDoc, RegistrationTokenDoc, RegistrationDoc } from './oidc-schema';
import type { AccountLinkDoc, MailClaimDoc, MailDoc, TwoFactorLockoutDoc, TwoFactorStrikeDoc } from './mail-schema';

export interface Database {
  client: MongoClient;
  db: Db;
  users: Collection<UserDoc>;
  clients: Collection<ClientDoc>;
  codes: Collection<AuthorizationCodeDoc>;
  accessTokens: Collection<AccessTokenDoc>;
  refreshTokens: Collection<RefreshTokenDoc>;
  consents: Collection<ConsentDoc>;
  rateLimits: Collection<RateLimitDoc>;
  audit: Collection<AuditDoc>;
  claims: Collection<ClaimDoc>;
  formSubmissions: Collection<FormSubmissionDoc>;
  migrations: Collection<MigrationDoc>;
  /** Migration ids this connection applied at start-up (empty when the database was up to date). */
  migrationsApplied: number[];
  revocations: Collection<RevocationDoc>;
  signingKeys: Collection<SigningKeyDoc>;
  oidcGrants: Collection<OidcGrantDoc>;
  deviceCodes: Collection<DeviceCodeDoc>;
  registrationTokens: Collection<RegistrationTokenDoc>;
  registrations: Collection<RegistrationDoc>;
  // Mail, one-time account links, two-factor locks (db/mail-schema.ts).
  mailOutbox: Collection<MailDoc>;
  mailClaims: Collection<MailClaimDoc>;
  accountLinks: Collection<AccountLinkDoc>;
  twoFactorLockouts: Collection<TwoFactorLockoutDoc>;
  twoFactorStrikes: Collection<TwoFactorStrikeDoc>;
  close(): Promise<void>;
}
