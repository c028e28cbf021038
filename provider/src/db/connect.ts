// One MongoClient per process and typed collections with the indexes their queries need.
import { MongoClient, type MongoClientOptions } from 'mongodb';
import type { Database } from './database';
import { ConfigError } from '../kernel/config';
import { runMigrations, type MigrationDoc } from './migrations';

export type { Database } from './database';

export class DatabaseUnavailableError extends Error {
  readonly code = 'database_unavailable';
}

export async function connectDatabase(url: string, dbName: string, opts: { timeoutMs?: number; clientOptions?: MongoClientOptions } = {}): Promise<Database> {
  let client: MongoClient;
  try {
    client = new MongoClient(url, {
      serverSelectionTimeoutMS: opts.timeoutMs ?? 5000,
      connectTimeoutMS: opts.timeoutMs ?? 5000,
      appName: 'hrm-sso-provider',
      // Command events feed the database latency metric (metrics.ts instrumentDatabase).
      monitorCommands: true,
      ...opts.clientOptions,
    });
  } catch (err) {
    throw new ConfigError(`Invalid configuration: MONGO_URL: ${(err as Error).message}`);
  }
  try {
    await client.connect();
    await client.db(dbName).command({ ping: 1 });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new DatabaseUnavailableError(`Cannot reach the database at ${redactUrl(url)}: ${(err as Error).message}`);
  }
  const db = client.db(dbName);
  const database: Database = {
    client,
    db,
    users: db.collection('users'),
    clients: db.collection('clients'),
    codes: db.collection('authorization_codes'),
    accessTokens: db.collection('access_tokens'),
    refreshTokens: db.collection('refresh_tokens'),
    consents: db.collection('consents'),
    rateLimits: db.collection('rate_limits'),
    audit: db.collection('audit_log'),
    claims: db.collection('claims'),
    formSubmissions: db.collection('form_submissions'),
    migrations: db.collection('schema_migrations'),
    migrationsApplied: [],
    revocations: db.collection('revocations'),
    signingKeys: db.collection('oidc_signing_keys'),
    oidcGrants: db.collection('oidc_grants'),
    deviceCodes: db.collection('device_codes'),
    registrationTokens: db.collection('registration_tokens'),
    registrations: db.collection('client_registrations'),
    scimConnections: db.collection('scim_connections'),
    peopleGroups: db.collection('people_groups'),
    directoryRuns: db.collection('directory_runs'),
    mailOutbox: db.collection('mail_outbox'),
    mailClaims: db.collection('mail_claims'),
    accountLinks: db.collection('account_links'),
    twoFactorLockouts: db.collection('two_factor_lockouts'),
    twoFactorStrikes: db.collection('two_factor_strikes'),
    passkeys: db.collection('passkeys'),
    close: () => client.close(),
  };
  await ensureIndexes(database);
  database.migrationsApplied = await runMigrations(database);
  return database;
}

/** Connection strings may carry a password: never print it. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

async function ensureIndexes(d: Database): Promise<void> {
  // _id already indexes client ids, token/code digests and consent keys. Expiry fields get their
  // TTL indexes from sweep/ttl-indexes.ts on MongoDB (a plain index on the same key would
  // conflict with them); FerretDB never uses an index for a range query (sweep/expiry.ts).
  await d.users.createIndex({ username: 1 }, { unique: true });
  await d.users.createIndex({ email: 1 }, { unique: true });
  await d.accessTokens.createIndex({ familyId: 1 });
  await d.accessTokens.createIndex({ clientId: 1 });
  await d.accessTokens.createIndex({ userId: 1 });
  await d.refreshTokens.createIndex({ familyId: 1 });
  await d.refreshTokens.createIndex({ userId: 1 });
  await d.refreshTokens.createIndex({ clientId: 1 });
  // Refresh tokens still holding a grace-window seal (store/tokens.ts dropEndedSeals): an equality
  // FerretDB pushes down (scripts/ferretdb/0002), then the creation time on MongoDB.
  await d.refreshTokens.createIndex({ graceSeal: 1, createdAt: 1 });
  // The sweeper's "tokens of this expiry bucket" on FerretDB (db/expiry.ts TOKEN_BUCKET_FIELD).
  await d.accessTokens.createIndex({ sweepBucket: 1 });
  await d.refreshTokens.createIndex({ sweepBucket: 1 });
  await d.consents.createIndex({ userId: 1 });
  await d.consents.createIndex({ clientId: 1 });
  await d.audit.createIndex({ at: -1 });
  // Unique generation: concurrent first starts or rotations cannot both add a key.
  await d.signingKeys.createIndex({ generation: 1 }, { unique: true });
  await d.deviceCodes.createIndex({ userCode: 1 }, { unique: true });
  // A user's own sessions (account pages: list, sign out others) and the audit log's filters.
  await d.db.collection('sessions').createIndex({ 'session.userId': 1 });
  await d.audit.createIndex({ actor: 1 });
  await d.audit.createIndex({ target: 1 });
  await d.audit.createIndex({ action: 1 });
  // People routes: SCIM tokens are looked up by digest; team slugs and connection names are unique.
  // (No index on users.teams: FerretDB v1 then stops matching array elements by equality.)
  await d.scimConnections.createIndex({ tokenDigest: 1 }, { unique: true });
  await d.scimConnections.createIndex({ name: 1 }, { unique: true });
  await d.peopleGroups.createIndex({ slug: 1 }, { unique: true });
  await d.users.createIndex({ employeeNumber: 1 });
  await d.directoryRuns.createIndex({ startedAt: -1 });
  // An account's links are replaced or revoked together; the worker lists queued mail.
  await d.accountLinks.createIndex({ userId: 1 });
  await d.mailOutbox.createIndex({ state: 1 });
  // A user's passkeys (list, second step, reset); _id is the credential id.
  await d.passkeys.createIndex({ userId: 1 });
}
