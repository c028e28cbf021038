// Access and refresh tokens, grouped in families (one authorization grant each).
//
// Semantics other modules (sweeper, admin pages, OIDC) must keep:
// - Stored values are digests; `_id` is the digest of the token. Validity of an access token is
//   ONE `_id` read: `revokedAt === null && expiresAt > now` (no other collection is consulted).
// - Issuing (issue below): insert the access token, then the refresh token (its unique `parentId`
//   is the atomic single-use step for codes and rotations), then read the revocation markers
//   (store/revocations.ts); if a marker revokes the grant, mark what was just inserted and fail.
// - Revoking (revoke* below): write the marker first, then set `revokedAt` on every matching
//   token. Only `revokedAt` is ever written on a stored token (never reset it: FerretDB's
//   updates rewrite whole documents, so any other concurrent writer could undo a revocation).
// - A refresh token is retired by rotation when a token with `parentId = its _id` exists. A
//   retired token presented within REFRESH_TOKEN_GRACE_SECONDS of its successor's creation gets
//   the successor's response again (sealed with a key derived from the retired token); later it
//   is reuse: the family is revoked.
// - Expiry: access tokens at `expiresAt`; refresh tokens at `expiresAt` = min(last rotation +
//   client's idle timeout, `grantExpiresAt` = grant start + client's absolute lifetime).
// - Sweeping may delete: access tokens that are expired or revoked; refresh tokens that are
//   expired (keep revoked/retired ones until they expire — they detect reuse); codes and claims
//   past `expiresAt`; revocation markers past `expiresAt`.
import crypto from 'node:crypto';
import { isDuplicateKey } from '../db/errors';
import type { Collection, Filter } from 'mongodb';
import type { Clock } from '../kernel/clock';
import type { Database } from '../db/connect';
import type { AccessTokenDoc, AuthorizationCodeDoc, ClientDoc, RefreshTokenDoc } from '../db/schema';
import { digest } from '../kernel/security/tokens';
import { seal, unseal } from '../kernel/security/seal';
import { markerKeys, markerRevokes, type RevocationStore } from './revocations';
import { bucketKey, expiryMode, trackExpiry } from '../db/expiry';
import { retryIdempotent } from '../db/retry';
import { IdBatchReader } from '../db/id-batch-reader';

export interface IssueRequest {
  client: ClientDoc;
  userId: string | null;
  scope: string[];
  familyId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  /** When the credential this issue consumes was created (code, parent refresh token, or now). */
  credentialCreatedAt: Date;
  refresh?: {
    token: string;
    expiresAt: Date;
    grantExpiresAt: Date;
    /** The unique step: `code:<digest>`, `grant:<family>` or the parent refresh token's digest. */
    parentId: string;
    /** The parent refresh token (rotation): the response is sealed for a retry within the grace window. */
    parent?: string;
  };
  /** Single-use step when no refresh token is issued (e.g. `code:<digest>`). */
  claimId?: string;
  claimExpiresAt?: Date;
}

export type IssueResult = { issued: true } | { issued: false; reason: 'already_used' | 'revoked' };

/** What a retry within the grace window gets back (sealed in the successor refresh token). */
export interface SealedResponse {
  access_token: string;
  refresh_token: string;
  scope: string;
  accessTokenExpiresAt: string;
}

export class TokenStore {
  // Token reads by _id (userinfo, introspection, refresh): concurrent lookups share one command.
  private readonly accessTokenReads: IdBatchReader<AccessTokenDoc>;
  private readonly refreshTokenReads: IdBatchReader<RefreshTokenDoc>;

  constructor(
    private readonly db: Database,
    readonly revocations: RevocationStore,
    private readonly clock: Clock,
  ) {
    this.accessTokenReads = new IdBatchReader(db.accessTokens);
    this.refreshTokenReads = new IdBatchReader(db.refreshTokens);
  }

  now(): Date {
    return this.clock.now();
  }

  /** One indexed read (shared with concurrent lookups): the active access token for a presented bearer value, or null. */
  async findActiveAccessToken(token: string, now = this.clock.now()): Promise<AccessTokenDoc | null> {
    const doc = await this.accessTokenReads.get(digest(token));
    if (!doc || doc.revokedAt || doc.expiresAt <= now) return null;
    return doc;
  }

  async findAccessToken(token: string): Promise<AccessTokenDoc | null> {
    return this.accessTokenReads.get(digest(token));
  }

  async findRefreshToken(token: string): Promise<RefreshTokenDoc | null> {
    return this.refreshTokenReads.get(digest(token));
  }

  /** The token that replaced a refresh token by rotation (null if it was never rotated). */
  async successorOf(refreshTokenId: string): Promise<RefreshTokenDoc | null> {
    return this.db.refreshTokens.findOne({ parentId: refreshTokenId });
  }

  /** Inserts the tokens of one issue and re-checks revocation; see the header comment. */
  async issue(r: IssueRequest): Promise<IssueResult> {
    const now = this.clock.now();
    const accessTokenId = digest(r.accessToken);
    const refreshDigest = r.refresh && r.userId ? digest(r.refresh.token) : undefined;
    // On FerretDB each token carries its expiry bucket (db/expiry.ts TOKEN_BUCKET_FIELD): the
    // sweeper finds it by that indexed field, so there is no due-list insert beside the token's.
    // Both under the later expiry, as the due list had them. MongoDB: TTL indexes, no field.
    const dueAt = refreshDigest ? new Date(Math.max(r.accessTokenExpiresAt.getTime(), r.refresh!.expiresAt.getTime())) : r.accessTokenExpiresAt;
    const bucket = (await expiryMode(this.db.db)) === 'due-lists' ? { sweepBucket: bucketKey(dueAt) } : {};
    await this.db.accessTokens.insertOne({
      _id: accessTokenId,
      clientId: r.client._id,
      userId: r.userId,
      scope: r.scope,
      familyId: r.familyId,
      expiresAt: r.accessTokenExpiresAt,
      revokedAt: null,
      createdAt: now,
      ...bucket,
    });
    const refreshTokenId = r.refresh ? digest(r.refresh.token) : undefined;
    try {
      if (r.refresh && r.userId) {
        const sealed = r.refresh.parent
          ? seal({ access_token: r.accessToken, refresh_token: r.refresh.token, scope: r.scope.join(' '), accessTokenExpiresAt: r.accessTokenExpiresAt.toISOString() } satisfies SealedResponse, r.refresh.parent, r.refresh.parentId)
          : undefined;
        await this.db.refreshTokens.insertOne({
          _id: refreshTokenId!,
          clientId: r.client._id,
          userId: r.userId,
          scope: r.scope,
          familyId: r.familyId,
          parentId: r.refresh.parentId,
          accessTokenId,
          expiresAt: r.refresh.expiresAt,
          grantExpiresAt: r.refresh.grantExpiresAt,
          revokedAt: null,
          ...(sealed ? { sealedResponse: sealed, graceSeal: 'held' as const } : {}),
          createdAt: now,
          ...bucket,
        });
      } else if (r.claimId) {
        const claimExpiresAt = r.claimExpiresAt ?? new Date(now.getTime() + 3600_000);
        await this.db.claims.insertOne({ _id: r.claimId, at: now, expiresAt: claimExpiresAt });
        await trackExpiry(this.db, [{ collection: 'claims', id: r.claimId, expiresAt: claimExpiresAt }]);
      }
    } catch (err) {
      await this.db.accessTokens.deleteOne({ _id: accessTokenId });
      if (isDuplicateKey(err)) return { issued: false, reason: 'already_used' };
      throw err;
    }
    const markers = [markerKeys.family(r.familyId), markerKeys.client(r.client._id)];
    if (r.userId) markers.push(markerKeys.user(r.userId), markerKeys.userClient(r.userId, r.client._id));
    if (await this.revocations.revokes(markers, r.credentialCreatedAt)) {
      await Promise.all([
        this.db.accessTokens.updateOne({ _id: accessTokenId }, { $set: { revokedAt: now } }),
        refreshTokenId ? this.db.refreshTokens.updateOne({ _id: refreshTokenId }, { $set: { revokedAt: now } }) : undefined,
      ]);
      return { issued: false, reason: 'revoked' };
    }
    return { issued: true };
  }

  /** The response sealed in `successor` for the holder of `parentToken`, if it opens with that token. */
  openSealedResponse(successor: RefreshTokenDoc, parentToken: string): SealedResponse | undefined {
    return successor.sealedResponse ? unseal<SealedResponse>(successor.sealedResponse, parentToken, successor.parentId) : undefined;
  }

  /**
   * Removes the sealed "same pair" from refresh tokens whose grace window has ended: it serves only
   * a retry within REFRESH_TOKEN_GRACE_SECONDS, and should not sit in the database for the token's
   * whole life. Done by the sweeper (jobs/sweeper.ts), not at "the next write" to the token: the only
   * later write to a token is its revocation, and a rotated-away token may never be written again.
   *
   * This is the one write to a stored token other than `revokedAt` (see the header), so it must
   * not undo a revocation: on FerretDB an update rewrites the whole document, and a revocation
   * landing between its read and its write would be lost. Revokers write their marker before they
   * mark tokens, so after the unset the markers are read again, and any token a marker revokes is
   * marked again. Returns how many seals were removed: `batch` per round, up to `rounds` rounds.
   */
  async dropEndedSeals(graceSeconds: number, opts: { now?: Date; batch?: number; rounds?: number } = {}): Promise<number> {
    const batch = opts.batch ?? CLEAR_BATCH_SIZE;
    let removed = 0;
    for (let round = 0; round < (opts.rounds ?? 1); round++) {
      const { found, modified } = await this.dropEndedSealsOnce(graceSeconds, opts.now ?? this.clock.now(), batch);
      removed += modified;
      if (found < batch) break;
    }
    return removed;
  }

  private async dropEndedSealsOnce(graceSeconds: number, now: Date, batch: number): Promise<{ found: number; modified: number }> {
    const ended = new Date(now.getTime() - graceSeconds * 1000);
    const rows = await this.db.refreshTokens
      .find({ graceSeal: 'held', createdAt: { $lte: ended } }, { projection: { _id: 1, familyId: 1, userId: 1, clientId: 1, createdAt: 1 }, limit: batch })
      .toArray();
    if (rows.length === 0) return { found: 0, modified: 0 };
    const ids = rows.map((r) => r._id);
    const res = await retryIdempotent(() => this.db.refreshTokens.updateMany({ _id: { $in: ids }, graceSeal: 'held' }, { $unset: { sealedResponse: '', graceSeal: '' } }));
    const keysOf = (r: (typeof rows)[number]) => [markerKeys.family(r.familyId), markerKeys.client(r.clientId), markerKeys.user(r.userId), markerKeys.userClient(r.userId, r.clientId)];
    const markers = await this.revocations.find(rows.flatMap(keysOf));
    const revoked = rows.filter((r) => keysOf(r).some((k) => markers.has(k) && markerRevokes(markers.get(k)!, r.createdAt))).map((r) => r._id);
    if (revoked.length) await this.db.refreshTokens.updateMany({ _id: { $in: revoked }, revokedAt: null }, { $set: { revokedAt: now } });
    return { found: rows.length, modified: res.modifiedCount };
  }

  /** Marks every live access and refresh token matching `filter`; returns how many access tokens. */
  private async markRevoked(filter: { familyId?: string; userId?: string; clientId?: string }, now: Date): Promise<number> {
    const [access] = await Promise.all([
      this.db.accessTokens.updateMany({ ...filter, revokedAt: null }, { $set: { revokedAt: now } }),
      this.db.refreshTokens.updateMany({ ...filter, revokedAt: null }, { $set: { revokedAt: now } }),
    ]);
    return access.modifiedCount;
  }

  /** Marks a family's existing tokens revoked without a marker (a replayed code: nothing of it is still in flight). */
  async revokeIssuedFrom(familyId: string): Promise<void> {
    await this.markRevoked({ familyId }, this.clock.now());
  }

  async revokeFamily(familyId: string): Promise<void> {
    const at = await this.revocations.mark(markerKeys.family(familyId), { final: true });
    await this.markRevoked({ familyId }, at);
  }

  async revokeForUserAndClient(userId: string, clientId: string): Promise<number> {
    const at = await this.revocations.mark(markerKeys.userClient(userId, clientId));
    return this.markRevoked({ userId, clientId }, at);
  }

  async revokeForUser(userId: string): Promise<number> {
    const at = await this.revocations.mark(markerKeys.user(userId));
    return this.markRevoked({ userId }, at);
  }

  /** `final`: the client is being deleted — nothing may be issued to it again. */
  async revokeForClient(clientId: string, opts: { final?: boolean } = {}): Promise<number> {
    const at = await this.revocations.mark(markerKeys.client(clientId), opts);
    return this.markRevoked({ clientId }, at);
  }

  /**
   * Inserts a one-time claim; true for exactly one caller. A unique-key insert is atomic on
   * MongoDB and on FerretDB (whose findAndModify is not atomic under concurrency).
   */
  async claimOnce(id: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.db.claims.insertOne({ _id: id, at: this.clock.now(), expiresAt });
      await trackExpiry(this.db, [{ collection: 'claims', id, expiresAt }]);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /**
   * Deletes expired rows and revoked access tokens. Revoked refresh tokens and used codes stay
   * until they expire: they are what detects reuse and replay.
   *
   * Batched and bounded at any backlog (`hrm-sso tokens clear`): each collection is read once as
   * a cursor of `_id`s, `batchSize` (≤ 1,000) at a time, and each batch deleted by one
   * `{_id: {$in: batch}}` delete (an index search). One `deleteMany` matching more than ~32,000 documents
   * fails on FerretDB ("too many SQL variables"). The filters themselves are not indexed: this is
   * a housekeeping pass over the token collections, streamed, never held in memory; the
   * server's own sweep uses the due lists instead (sweep/expiry.ts).
   */
  async clear(now = this.clock.now(), opts: { batchSize?: number } = {}): Promise<{ accessTokens: number; refreshTokens: number; codes: number }> {
    const batch = Math.min(1000, opts.batchSize ?? CLEAR_BATCH_SIZE);
    const expired = { expiresAt: { $lte: now } };
    const [a, r, c] = await Promise.all([
      deleteMatching(this.db.accessTokens as never, { $or: [expired, { revokedAt: { $ne: null } }] }, batch),
      deleteMatching(this.db.refreshTokens as never, expired, batch),
      deleteMatching(this.db.codes as never, expired, batch),
      deleteMatching(this.db.claims as never, expired, batch),
      deleteMatching(this.db.revocations as never, expired, batch),
    ]);
    return { accessTokens: a, refreshTokens: r, codes: c };
  }

  /** What "live" means for a token (see the header): not revoked and not expired at `now`. */
  private static live(now: Date) {
    return { revokedAt: null, expiresAt: { $gt: now } };
  }

  /**
   * The one count of live tokens (admin overview, client and user pages, connected apps):
   * `by` an indexed equality (`{clientId}` / `{userId}`) or `{}` for all. One `count` command;
   * with `cap`, at most that many documents are read (a figure at the cap means "at least").
   */
  async countLive(kind: TokenKind, by: { clientId: string } | { userId: string } | Record<string, never> = {}, opts: { now?: Date; cap?: number } = {}): Promise<number> {
    const now = opts.now ?? this.clock.now();
    const res = await retryIdempotent(() => this.db.db.command({ count: kind, query: { ...by, ...TokenStore.live(now) }, ...(opts.cap ? { limit: opts.cap } : {}) }));
    return Number(res.n ?? 0);
  }

  /**
   * Live access tokens per client, from the clientId index: one bounded count per client
   * (at most ACTIVE_COUNT_CAP documents read each, so a figure at the cap means "at least").
   * Never an aggregate over the whole collection, which FerretDB would read and filter in Go.
   */
  async activeCountsByClient(now = this.clock.now()): Promise<Record<string, number>> {
    const ids = (await this.db.clients.find({}, { projection: { _id: 1 } }).toArray()).map((c) => c._id as string);
    const counts = await Promise.all(ids.map((id) => this.countLive('access_tokens', { clientId: id }, { now, cap: ACTIVE_COUNT_CAP })));
    return Object.fromEntries(ids.map((id, i) => [id, counts[i]]).filter(([, n]) => (n as number) > 0));
  }

  /** Live tokens grouped by client or user (the admin tokens page): one aggregate. */
  async liveCountsBy(kind: TokenKind, field: 'clientId' | 'userId', now = this.clock.now()): Promise<Record<string, number>> {
    const coll = kind === 'access_tokens' ? this.db.accessTokens : this.db.refreshTokens;
    const rows = await (coll as Collection<AccessTokenDoc>)
      .aggregate<{ _id: string | null; count: number }>([{ $match: TokenStore.live(now) }, { $group: { _id: `$${field}`, count: { $sum: 1 } } }])
      .toArray();
    return Object.fromEntries(rows.filter((r) => r._id).map((r) => [r._id as string, r.count]));
  }

  /** A user's live tokens (client, scope, creation), up to 5,000 of each kind: the "Connected apps" list. */
  async liveForUser(userId: string, now = this.clock.now()): Promise<{ access: LiveTokenRow[]; refresh: LiveTokenRow[] }> {
    const filter = { userId, ...TokenStore.live(now) };
    const projection = { clientId: 1, scope: 1, createdAt: 1 };
    const [access, refresh] = await Promise.all([
      this.db.accessTokens.find(filter, { projection, limit: 5000 }).toArray(),
      this.db.refreshTokens.find(filter, { projection, limit: 5000 }).toArray(),
    ]);
    return { access, refresh };
  }

  /** Stores an authorization code (its _id is the code's digest) and enters it on the due list. */
  async saveCode(doc: AuthorizationCodeDoc): Promise<void> {
    await Promise.all([trackExpiry(this.db, [{ collection: 'authorization_codes', id: doc._id, expiresAt: doc.expiresAt }]), this.db.codes.insertOne(doc)]);
  }

  codeByDigest(id: string): Promise<AuthorizationCodeDoc | null> {
    return this.db.codes.findOne({ _id: id });
  }

  /** Marks a user's unredeemed codes for one client used (withdrawing a connected app). */
  async invalidateCodes(userId: string, clientId: string, now = new Date()): Promise<void> {
    await this.db.codes.updateMany({ userId, clientId, usedAt: null }, { $set: { usedAt: now } });
  }
}

export type TokenKind = 'access_tokens' | 'refresh_tokens';
export type LiveTokenRow = Pick<AccessTokenDoc, 'clientId' | 'scope' | 'createdAt'>;

/** Documents read and deleted per command by clear(). */
export const CLEAR_BATCH_SIZE = 1000;
/** The most documents a capped countLive reads for one client or user (a bound, shown as "at least"). */
export const ACTIVE_COUNT_CAP = 100_000;

/** Streams the `_id`s matching `filter` and deletes them `batch` at a time; returns how many were deleted. */
async function deleteMatching(coll: Collection<{ _id: string }>, filter: Filter<{ _id: string }>, batch: number): Promise<number> {
  let deleted = 0;
  let ids: string[] = [];
  const flush = async () => {
    const part = ids;
    ids = [];
    if (part.length === 0) return;
    // One statement, `_id $in` (≤ 1,000): an index search on FerretDB (scripts/ferretdb/0002) and MongoDB.
    const res = await retryIdempotent(() => coll.deleteMany({ _id: { $in: part } } as Filter<{ _id: string }>));
    deleted += res.deletedCount;
  };
  const cursor = coll.find(filter, { projection: { _id: 1 }, batchSize: batch });
  try {
    for await (const doc of cursor) {
      ids.push(doc._id);
      if (ids.length >= batch) await flush();
    }
  } finally {
    await cursor.close().catch(() => undefined);
  }
  await flush();
  return deleted;
}

/** A fresh family id for grants that do not come from a code (password grant). */
export function newFamilyId(): string {
  return crypto.randomUUID();
}
