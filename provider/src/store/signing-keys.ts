// ID-token signing keys (jose): generated at first start, stored in the database with the
// private part encrypted when OIDC_KEY_ENCRYPTION_KEY is set, published as a JWKS, rotated by
// publishing the new key first and signing with it only from `signsFrom` on. A key leaves the
// JWKS once every ID token it signed has expired.
import crypto from 'node:crypto';
import { isDuplicateKey } from '../db/errors';
import { CompactEncrypt, compactDecrypt, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import type { Config } from '../kernel/config';
import type { Database } from '../db/connect';
import { AppError } from '../kernel/errors';
import type { SigningKeyDoc } from '../db/oidc-schema';

export type SigningAlg = SigningKeyDoc['alg'];
export const SIGNING_ALGS: SigningAlg[] = ['RS256', 'ES256'];

export interface ActiveSigningKey {
  kid: string;
  alg: SigningAlg;
  key: KeyLike | Uint8Array;
}

/** What may be shown about a key (CLI, admin page): never the private part. */
export interface KeySummary {
  kid: string;
  generation: number;
  alg: SigningAlg;
  state: 'pending' | 'signing' | 'published' | 'retired';
  createdAt: Date;
  signsFrom: Date;
  signsUntil: Date | null;
  publishedUntil: Date | null;
  encrypted: boolean;
}

export class SigningKeyError extends AppError {}

export class SigningKeys {
  private readonly imported = new Map<string, ActiveSigningKey>();
  private readonly encryptionKey?: Uint8Array;

  constructor(
    private readonly db: Database,
    private readonly config: Config,
  ) {
    if (config.OIDC_KEY_ENCRYPTION_KEY) {
      this.encryptionKey = new Uint8Array(crypto.hkdfSync('sha256', config.OIDC_KEY_ENCRYPTION_KEY, 'hrm-sso-oidc', 'signing-key-encryption', 32));
    }
  }

  /**
   * Makes sure a signing key exists (the first start generates one) and that this instance can
   * read it. Safe when several instances start together: the unique generation number lets
   * exactly one insert win, the others use the winner's key.
   */
  async ensureKey(): Promise<void> {
    if ((await this.db.signingKeys.countDocuments({})) === 0) {
      await this.insertKey(1, this.config.OIDC_SIGNING_ALG, new Date()).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
    }
    // Judged now, not before the insert: the winner's key may be a few milliseconds younger.
    await this.signingKey(new Date());
  }

  /** The key that signs now: the newest whose signing period has begun and not ended. */
  async signingKey(now = new Date()): Promise<ActiveSigningKey> {
    const [doc] = await this.db.signingKeys
      .find({ signsFrom: { $lte: now }, $or: [{ signsUntil: null }, { signsUntil: { $gt: now } }] })
      .sort({ generation: -1 })
      .limit(1)
      .toArray();
    if (!doc) throw new SigningKeyError('no_signing_key', 'No ID-token signing key is active; run `npm run provider -- keys rotate --now`.', 503);
    const cached = this.imported.get(doc._id);
    if (cached) return cached;
    const active: ActiveSigningKey = { kid: doc._id, alg: doc.alg, key: await importJWK(await this.privateJwk(doc), doc.alg) };
    this.imported.set(doc._id, active);
    return active;
  }

  /** The public keys relying parties may see now (RFC 7517 JWK Set). */
  async jwks(now = new Date()): Promise<{ keys: JWK[] }> {
    const docs = await this.db.signingKeys.find({ $or: [{ publishedUntil: null }, { publishedUntil: { $gt: now } }] }).sort({ generation: -1 }).toArray();
    return { keys: docs.map((d) => ({ ...d.publicJwk, kid: d._id, alg: d.alg, use: 'sig' })) };
  }

  /**
   * Adds a key. It is published at once and signs after OIDC_KEY_PUBLISH_AHEAD_SECONDS (or at
   * once with `immediately`, for a compromised key); the keys it replaces stop signing then and
   * stay published for one ID-token lifetime more.
   */
  async rotate(opts: { alg?: SigningAlg; immediately?: boolean } = {}, now = new Date()): Promise<KeySummary> {
    const alg = opts.alg ?? this.config.OIDC_SIGNING_ALG;
    if (!SIGNING_ALGS.includes(alg)) throw new SigningKeyError('invalid_alg', `Signing algorithm must be one of ${SIGNING_ALGS.join(', ')}.`);
    const [last] = await this.db.signingKeys.find({}).sort({ generation: -1 }).limit(1).toArray();
    const signsFrom = new Date(now.getTime() + (opts.immediately ? 0 : this.config.OIDC_KEY_PUBLISH_AHEAD_SECONDS * 1000));
    let doc: SigningKeyDoc;
    try {
      doc = await this.insertKey((last?.generation ?? 0) + 1, alg, now, signsFrom);
    } catch (err) {
      if (isDuplicateKey(err)) throw new SigningKeyError('rotation_conflict', 'Another key rotation happened at the same moment; list the keys and rotate again only if needed.', 409);
      throw err;
    }
    const publishedUntil = new Date(signsFrom.getTime() + this.config.ID_TOKEN_EXPIRE_SECONDS * 1000);
    await this.db.signingKeys.updateMany({ generation: { $lt: doc.generation }, signsUntil: null }, { $set: { signsUntil: signsFrom, publishedUntil } });
    // Keys that left the JWKS sign nothing valid any more: a rotation removes them.
    await this.db.signingKeys.deleteMany({ publishedUntil: { $lte: now } });
    return summarize(doc, now);
  }

  async list(now = new Date()): Promise<KeySummary[]> {
    const docs = await this.db.signingKeys.find({}).sort({ generation: -1 }).toArray();
    return docs.map((d) => summarize(d, now));
  }


  private async insertKey(generation: number, alg: SigningAlg, now: Date, signsFrom = now): Promise<SigningKeyDoc> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = `${now.toISOString().slice(0, 10)}-${crypto.randomBytes(6).toString('base64url')}`;
    const privateJson = JSON.stringify(await exportJWK(privateKey));
    const doc: SigningKeyDoc = {
      _id: kid,
      generation,
      alg,
      publicJwk: { ...publicJwk },
      privateKey: this.encryptionKey
        ? await new CompactEncrypt(new TextEncoder().encode(privateJson)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid }).encrypt(this.encryptionKey)
        : privateJson,
      encrypted: !!this.encryptionKey,
      createdAt: now,
      signsFrom,
      signsUntil: null,
      publishedUntil: null,
    };
    await this.db.signingKeys.insertOne(doc);
    return doc;
  }

  private async privateJwk(doc: SigningKeyDoc): Promise<JWK> {
    if (!doc.encrypted) return JSON.parse(doc.privateKey) as JWK;
    if (!this.encryptionKey) {
      throw new SigningKeyError('key_encryption_key_missing', `Signing key ${doc._id} is encrypted, but OIDC_KEY_ENCRYPTION_KEY is not set.`, 503);
    }
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(doc.privateKey, this.encryptionKey);
      if (protectedHeader.kid !== doc._id) throw new Error('kid mismatch');
      return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
    } catch {
      throw new SigningKeyError('key_encryption_key_wrong', `Signing key ${doc._id} cannot be decrypted with the configured OIDC_KEY_ENCRYPTION_KEY (wrong key?).`, 503);
    }
  }
}

function summarize(d: SigningKeyDoc, now: Date): KeySummary {
  let state: KeySummary['state'];
  if (d.publishedUntil && d.publishedUntil <= now) state = 'retired';
  else if (d.signsUntil && d.signsUntil <= now) state = 'published';
  else if (d.signsFrom > now) state = 'pending';
  else state = 'signing';
  return { kid: d._id, generation: d.generation, alg: d.alg, state, createdAt: d.createdAt, signsFrom: d.signsFrom, signsUntil: d.signsUntil, publishedUntil: d.publishedUntil, encrypted: d.encrypted };
}
