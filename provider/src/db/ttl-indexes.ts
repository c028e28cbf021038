// On MongoDB, expiry is the server's job: TTL indexes on every field that says when a document
// may go. (FerretDB has no TTL indexes; there the sweeper's due lists do it, see expiry.ts.)
import type { Db } from 'mongodb';

export interface TtlRule {
  collection: string;
  field: string;
  /** Seconds after the field's time; 0 = at that time. */
  expireAfterSeconds: number;
}

/** Fixed rules: documents whose field holds their own expiry. */
export const EXPIRES_AT_RULES: TtlRule[] = [
  { collection: 'authorization_codes', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'access_tokens', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'refresh_tokens', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'claims', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'revocations', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'rate_limits', field: 'resetAt', expireAfterSeconds: 0 },
  { collection: 'sessions', field: 'expires', expireAfterSeconds: 0 },
  { collection: 'sweep_leases', field: 'expiresAt', expireAfterSeconds: 0 },
  // OpenID Connect (oidc/): grant context, device codes, initial access tokens.
  { collection: 'oidc_grants', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'device_codes', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'registration_tokens', field: 'expiresAt', expireAfterSeconds: 0 },
  // Mail (sent/given-up mails only carry expiresAt), one-time links, two-factor locks.
  { collection: 'mail_outbox', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'mail_claims', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'account_links', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'two_factor_lockouts', field: 'expiresAt', expireAfterSeconds: 0 },
  { collection: 'two_factor_strikes', field: 'expiresAt', expireAfterSeconds: 0 },
];

/**
 * Creates (or retunes) each TTL index. An index on the same field without TTL, or with another
 * expireAfterSeconds (e.g. AUDIT_RETENTION_DAYS changed), is converted in place with collMod.
 */
export async function ensureTtlIndexes(db: Db, rules: TtlRule[]): Promise<void> {
  for (const r of rules) {
    const key = { [r.field]: 1 };
    try {
      await db.collection(r.collection).createIndex(key, { expireAfterSeconds: r.expireAfterSeconds });
    } catch (err) {
      const code = (err as { code?: number }).code;
      // 85 IndexOptionsConflict, 86 IndexKeySpecsConflict: same key, other options.
      if (code !== 85 && code !== 86) throw err;
      await db.command({ collMod: r.collection, index: { keyPattern: key, expireAfterSeconds: r.expireAfterSeconds } });
    }
  }
}

/** Removes a TTL rule that no longer applies (audit retention switched off): the index stays, without expiry. */
export async function dropTtl(db: Db, collection: string, field: string): Promise<void> {
  const indexes = await db.collection(collection).indexes().catch(() => []);
  const ttl = indexes.find((i) => i.expireAfterSeconds !== undefined && Object.keys(i.key).join() === field);
  if (ttl?.name) await db.collection(collection).dropIndex(ttl.name);
}
