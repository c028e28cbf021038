// SCIM provisioning connections: one bearer token each (shown once, stored as a SHA-256 digest),
// named for the audit log, revocable. A revoked connection's token is refused with 401.
import crypto from 'node:crypto';
import type { Database } from '../db/database';
import type { ScimConnectionDoc } from '../db/schema';
import { AppError } from '../kernel/errors';
import { digest, randomToken } from '../kernel/security/tokens';
import { isDuplicateKey } from '../db/errors';

export type { ScimConnectionDoc };

export const SCIM_TOKEN_PREFIX = 'hrmscim_';
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;

export class ScimConnectionStore {
  constructor(private readonly db: Database) {}

  private get collection() {
    return this.db.scimConnections;
  }

  /** Returns the token once; only its digest is kept. */
  async create(name: string, createdBy: string): Promise<{ connection: ScimConnectionDoc; token: string }> {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (!NAME.test(trimmed)) throw new AppError('invalid_name', 'The connection name must be 1–64 letters, digits, spaces, dots, dashes or underscores (e.g. "Entra ID").');
    const token = `${SCIM_TOKEN_PREFIX}${randomToken(32)}`;
    const connection: ScimConnectionDoc = { _id: crypto.randomUUID(), name: trimmed, tokenDigest: digest(token), createdAt: new Date(), createdBy };
    try {
      await this.collection.insertOne(connection);
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError('duplicate_name', `A SCIM connection named "${trimmed}" already exists (names are kept after revocation for the audit log).`, 409);
      throw err;
    }
    return { connection, token };
  }

  async list(): Promise<ScimConnectionDoc[]> {
    return this.collection.find({}, { projection: { tokenDigest: 0 }, sort: { createdAt: 1 } }).toArray();
  }

  async byName(name: string): Promise<ScimConnectionDoc | null> {
    return typeof name === 'string' ? this.collection.findOne({ name: name.trim() }) : null;
  }

  async revoke(name: string, revokedBy: string): Promise<ScimConnectionDoc> {
    const c = await this.byName(name);
    if (!c) throw new AppError('unknown_connection', `No SCIM connection named "${name}".`, 404);
    if (c.revokedAt) return c;
    const revokedAt = new Date();
    await this.collection.updateOne({ _id: c._id }, { $set: { revokedAt, revokedBy } });
    return { ...c, revokedAt, revokedBy };
  }

  /** The connection a bearer token belongs to: 'revoked' for a revoked one, null for none. */
  async authenticate(token: string): Promise<ScimConnectionDoc | 'revoked' | null> {
    if (typeof token !== 'string' || !token.startsWith(SCIM_TOKEN_PREFIX) || token.length > 200) return null;
    // A digest lookup: the token is 256 random bits, so equality on its digest leaks nothing useful.
    const c = await this.collection.findOne({ tokenDigest: digest(token) });
    if (!c) return null;
    if (c.revokedAt) return 'revoked';
    // At most one write a minute per connection.
    if (!c.lastUsedAt || Date.now() - c.lastUsedAt.getTime() > 60_000) await this.collection.updateOne({ _id: c._id }, { $set: { lastUsedAt: new Date() } });
    return c;
  }
}
