// The sweeper on the embedded database: 34,000 due tokens go in bounded batches (FerretDB fails
// one delete matching > ~32,000 documents), live ones stay, nothing due costs no collection read,
// and only one of several instances sweeps a slot.
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { connectDatabase, type Database } from '../../provider/src/db/connect';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { Sweeper } from '../../provider/src/jobs/sweeper';
import { DUE_PREFIX, bucketKey, dueCollectionName, expiryMode, trackExpiry } from '../../provider/src/db/expiry';
import { expectPatchedFerretDb } from './support';

/** One clock for the whole file: each test sweeps a later slot than T0's by a whole number of slots, so how many buckets end in between never depends on how long a test took. */
const T0 = new Date();
const DUE = 34_000; // above the ~32,000 documents one FerretDB delete can match
const LIVE = 2_000;
let database: TestDatabase;
let d: Database;
let watched: MongoClient;
const seen: CommandStartedEvent[] = [];

beforeAll(async () => {
  database = await startTestDatabase();
  d = await connectDatabase(database.url, 'hrm_sweep');
  watched = await MongoClient.connect(database.url, { monitorCommands: true });
  watched.on('commandStarted', (e) => seen.push(e));
  await expectPatchedFerretDb(d.db);
}, 120_000);

afterAll(async () => {
  await watched?.close();
  await d?.close();
  await database?.stop();
});

function token(i: number, expiresAt: Date) {
  return { _id: `t${i}`, clientId: 'c', userId: 'u', scope: ['read'], familyId: `f${i}`, expiresAt, revokedAt: null, createdAt: new Date(0) };
}

/** Bulk seed: tokens and their due-list entries, 5,000 per insert. */
async function seed(from: number, count: number, expiresAt: Date) {
  for (let i = from; i < from + count; i += 5000) {
    const n = Math.min(5000, from + count - i);
    const docs = Array.from({ length: n }, (_, k) => token(i + k, expiresAt));
    await d.accessTokens.insertMany(docs, { ordered: false });
    await trackExpiry(d, docs.map((t) => ({ collection: 'access_tokens', id: t._id, expiresAt })));
  }
}

test('FerretDB is swept through due lists', async () => {
  expect(await expiryMode(d.db)).toBe('due-lists');
  expect(dueCollectionName(new Date('2026-01-01T10:03:00Z'))).toBe(`${DUE_PREFIX}20260101T101000Z`);
});

test('34,000 due tokens are deleted in bounded batches; live tokens and their entries stay', async () => {
  const now = T0;
  const past = new Date(now.getTime() - 3600_000);
  const future = new Date(now.getTime() + 3600_000);
  await seed(0, DUE, past);
  await seed(DUE, LIVE, future);
  expect(await d.accessTokens.estimatedDocumentCount()).toBe(DUE + LIVE);

  const watchedSweeper = new Sweeper(watched.db('hrm_sweep'), { intervalSeconds: 600, batchSize: 2000, auditRetentionDays: 0 });
  seen.length = 0;
  const res = await watchedSweeper.runOnce(now);
  expect(res).toMatchObject({ leased: true, incomplete: false, dueEntries: DUE });
  expect(res.deleted.access_tokens).toBe(DUE);
  expect(await d.accessTokens.estimatedDocumentCount()).toBe(LIVE);
  expect(await d.accessTokens.findOne({ _id: 't0' })).toBeNull();
  expect(await d.accessTokens.findOne({ _id: `t${DUE}` })).not.toBeNull();

  // Bounded: no delete command carried more than one batch, and every statement was by _id alone.
  const deletes = seen.filter((e) => e.commandName === 'delete' && e.command.delete === 'access_tokens');
  expect(deletes.length).toBe(DUE / 2000);
  for (const e of deletes) {
    expect(e.command.deletes.length).toBeLessThanOrEqual(2000);
    for (const st of e.command.deletes) expect(Object.keys(st.q)).toEqual(['_id']);
  }
  // The due list of the live tokens is still there, the swept one is gone.
  const names = (await d.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  expect(names).toContain(dueCollectionName(future));
  expect(names).not.toContain(dueCollectionName(past));
}, 240_000);

test('with nothing due, a sweep reads no collection whole: listCollections, the lease, two index searches per ended bucket', async () => {
  const now = new Date(T0.getTime() + 3 * 600_000); // three slots after the previous test's sweep
  const db = watched.db('hrm_sweep');
  const s = new Sweeper(db, { intervalSeconds: 600, batchSize: 2000, auditRetentionDays: 0 });
  await expiryMode(db); // detected once per process (buildInfo), not per sweep
  seen.length = 0;
  const res = await s.runOnce(now);
  expect(res).toMatchObject({ leased: true, dueEntries: 0, bucketsDone: 0 });
  const names = seen.map((e) => `${e.commandName} ${e.command[e.commandName]}`).filter((n) => !n.startsWith('endSessions'));
  // The previous test's sweep recorded its position: 3 buckets have ended since, 2 token collections each.
  const searches = seen.filter((e) => e.commandName === 'find' && e.command.find !== 'sweep_leases');
  expect(searches).toHaveLength(6);
  for (const e of searches) expect(Object.keys(e.command.filter)).toEqual(['sweepBucket']);
  expect(names.filter((n) => !searches.some((e) => `${e.commandName} ${e.command.find}` === n)).sort()).toEqual(['delete sweep_leases', 'find sweep_leases', 'insert sweep_leases', 'listCollections 1', 'update sweep_leases']);
  expect(await d.accessTokens.estimatedDocumentCount()).toBe(LIVE);
});

test('tokens carrying their expiry bucket are deleted by it, in bounded batches; live ones stay', async () => {
  const now = new Date(T0.getTime() + 4 * 600_000);
  const ended = bucketKey(new Date(now.getTime() - 600_000));
  const live = bucketKey(new Date(now.getTime() + 3600_000));
  const expired = Array.from({ length: 2500 }, (_, i) => ({ ...token(100_000 + i, new Date(now.getTime() - 600_000)), sweepBucket: ended }));
  const kept = Array.from({ length: 300 }, (_, i) => ({ ...token(200_000 + i, new Date(now.getTime() + 3600_000)), sweepBucket: live }));
  await d.accessTokens.insertMany([...expired, ...kept]);
  await d.refreshTokens.insertMany(expired.slice(0, 700).map((t) => ({ ...t, parentId: `p${t._id}`, accessTokenId: t._id, grantExpiresAt: t.expiresAt })));
  seen.length = 0;
  const res = await new Sweeper(watched.db('hrm_sweep'), { intervalSeconds: 600, batchSize: 1000, auditRetentionDays: 0 }).runOnce(now);
  expect(res).toMatchObject({ leased: true, incomplete: false });
  expect(res.deleted).toMatchObject({ access_tokens: 2500, refresh_tokens: 700 });
  expect(await d.accessTokens.countDocuments({ sweepBucket: ended })).toBe(0);
  expect(await d.refreshTokens.countDocuments({ sweepBucket: ended })).toBe(0);
  expect(await d.accessTokens.countDocuments({ sweepBucket: live })).toBe(300);
  const deletes = seen.filter((e) => e.commandName === 'delete' && e.command.delete === 'access_tokens');
  expect(deletes).toHaveLength(3); // 1,000 + 1,000 + 500
  for (const e of deletes) for (const st of e.command.deletes) expect(Object.keys(st.q)).toEqual(['_id']);
  await d.accessTokens.deleteMany({ sweepBucket: live });
});

test('a slot is swept by one instance only: concurrent sweepers, one lease', async () => {
  const now = new Date(T0.getTime() + 6 * 600_000);
  const sweepers = Array.from({ length: 4 }, () => new Sweeper(d.db, { intervalSeconds: 600, batchSize: 500, auditRetentionDays: 0 }));
  const results = await Promise.all(sweepers.map((s) => s.runOnce(now)));
  expect(results.filter((r) => r.leased)).toHaveLength(1);
  // The next slot is open again.
  const next = await sweepers[1].runOnce(new Date(now.getTime() + 600_000));
  expect(next.leased).toBe(true);
});

test('moving expiries are checked before deleting: a renewed rate-limit window stays', async () => {
  const now = T0;
  const old = new Date(now.getTime() - 3600_000);
  const renewed = new Date(now.getTime() + 4 * 3600_000);
  await d.rateLimits.insertMany([
    { _id: 'rl:gone', hits: 3, resetAt: old },
    { _id: 'rl:renewed', hits: 1, resetAt: renewed },
  ]);
  // Both were entered when their old window began; the second has moved on since.
  await trackExpiry(d, [
    { collection: 'rate_limits', id: 'rl:gone', expiresAt: old, checkField: 'resetAt' },
    { collection: 'rate_limits', id: 'rl:renewed', expiresAt: old, checkField: 'resetAt' },
  ]);
  const res = await new Sweeper(d.db, { intervalSeconds: 600, batchSize: 100, auditRetentionDays: 0 }).runOnce(new Date(now.getTime() + 9 * 600_000));
  expect(res.leased).toBe(true);
  expect(res.deleted.rate_limits).toBe(1);
  expect(await d.rateLimits.findOne({ _id: 'rl:gone' })).toBeNull();
  expect(await d.rateLimits.findOne({ _id: 'rl:renewed' })).not.toBeNull();
});
