// The embedded database queues its writers in FerretDB and commits the writes that queued together
// in one transaction, a savepoint each (scripts/ferretdb/0003-sqlite-group-commit.patch), instead of
// letting them meet in SQLite's sleeping busy handler. What it buys is latency and writes per fsync,
// measured by `npm run bench` (docs/performance.md); what this file proves is that the queue loses
// nothing, never deadlocks, and keeps a failing write's effects out of the writes grouped with it,
// when every kind of write (insert, update, delete, a new collection, an index build) runs at once
// through many connections.
import { MongoClient } from 'mongodb';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { expectPatchedFerretDb } from './support';

let database: TestDatabase;
let clients: MongoClient[] = [];

beforeAll(async () => {
  database = await startTestDatabase();
  // Several clients, several pooled connections each: writes reach FerretDB side by side.
  clients = await Promise.all(Array.from({ length: 4 }, () => MongoClient.connect(database.url, { maxPoolSize: 16 })));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await database?.stop();
});

test('the FerretDB binary in use carries the write-queue patch', async () => {
  await expectPatchedFerretDb(clients[0].db('queue'));
});

test('concurrent inserts, updates, single-use claims, deletes, a new collection and an index build all land exactly once', async () => {
  const coll = (i: number) => clients[i % clients.length].db('queue').collection<{ _id: string; n: number }>('writes');
  await coll(0).insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: `claim-${i}`, n: 0 })));

  const inserts = Array.from({ length: 200 }, (_, i) => coll(i).insertOne({ _id: `doc-${i}`, n: i }));
  const updates = Array.from({ length: 100 }, (_, i) => coll(i).updateOne({ _id: `claim-${i}` }, { $set: { n: 1000 + i } }));
  // Four racers per one-time claim, the provider's single-use step (store/tokens.ts): a unique-key
  // insert that exactly one of them wins; the others get a duplicate-key error.
  const claims = Array.from({ length: 200 }, (_, i) =>
    clients[i % 4].db('queue').collection('claims').insertOne({ _id: `once-${i % 50}` } as never).then(() => 'won', (err: { code?: number }) => err.code),
  );
  const deletes = Array.from({ length: 50 }, (_, i) => coll(i).deleteOne({ _id: `doc-${i}` }).catch((err: Error) => err));
  const otherCollection = Array.from({ length: 20 }, (_, i) => clients[i % 4].db('queue').collection('born_under_load').insertOne({ i }));
  const index = coll(1).createIndex({ n: 1 });
  // A multi-document insert that hits a duplicate in the middle: FerretDB tries the whole batch in
  // one write, which fails and must leave nothing behind in the group it shared, then inserts the
  // documents one by one and reports the one duplicate.
  await coll(0).insertOne({ _id: 'taken', n: -1 });
  const mixedBatches = Array.from({ length: 10 }, (_, b) =>
    coll(b).insertMany([{ _id: `batch${b}-1`, n: 1 }, { _id: `batch${b}-2`, n: 2 }, { _id: 'taken', n: 0 }, { _id: `batch${b}-3`, n: 3 }], { ordered: false })
      .then(() => 'no error', (err: { code?: number; writeErrors?: unknown[]; result?: { insertedCount?: number } }) => ({ code: err.code, errors: err.writeErrors?.length })),
  );

  const claimResults = await Promise.all(claims);
  const mixedResults = await Promise.all(mixedBatches);
  await Promise.all([...inserts, ...updates, ...otherCollection, index]);
  await Promise.all(deletes);

  // Every insert is there (a delete may have run before its insert; those are re-counted below).
  const remainingDocs = await coll(0).countDocuments({ _id: { $regex: /^doc-/ } });
  const deletedEarly = 50 - (await coll(0).countDocuments({ _id: { $in: Array.from({ length: 50 }, (_, i) => `doc-${i}`) } }));
  expect(remainingDocs).toBe(200 - deletedEarly);
  expect(await coll(0).countDocuments({ _id: { $in: Array.from({ length: 150 }, (_, i) => `doc-${50 + i}`) } })).toBe(150);

  // Every update landed on its own document.
  const updated = await coll(0).find({ _id: { $regex: /^claim-/ } }).sort({ n: 1 }).toArray();
  expect(updated.map((d) => d.n)).toEqual(Array.from({ length: 100 }, (_, i) => 1000 + i));

  // Each claim was won exactly once; every loser saw a duplicate key (11000), nothing else.
  expect(claimResults.filter((r) => r === 'won')).toHaveLength(50);
  expect(claimResults.filter((r) => r !== 'won')).toEqual(Array(150).fill(11000));
  expect(await clients[3].db('queue').collection('claims').countDocuments()).toBe(50);

  // Each mixed batch: one duplicate reported, its three other documents stored once.
  expect(mixedResults).toEqual(Array(10).fill({ code: 11000, errors: 1 }));
  expect(await coll(0).countDocuments({ _id: { $regex: /^batch/ } })).toBe(30);
  expect(await coll(0).findOne({ _id: 'taken' })).toEqual({ _id: 'taken', n: -1 });

  expect(await clients[2].db('queue').collection('born_under_load').countDocuments()).toBe(20);
  const indexes = await coll(0).listIndexes().toArray();
  expect(indexes.map((i) => i.name)).toContain('n_1');
}, 60_000);

test('clients that hang up in the middle of their writes do not fail the writes grouped with theirs', async () => {
  const steady = clients[0].db('queue').collection<{ _id: string }>('steady');
  let stop = false;
  let acknowledged = 0;
  const failures: string[] = [];
  const writers = Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      try {
        await steady.insertOne({ _id: `w${w}-${i}` });
        acknowledged++;
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
  });
  // Meanwhile, clients that send writes and drop their connections while those are in flight.
  for (let round = 0; round < 15; round++) {
    const quitter = await MongoClient.connect(database.url, { maxPoolSize: 8 });
    const doomed = Array.from({ length: 20 }, (_, i) => quitter.db('queue').collection('quitters').insertOne({ round, i }).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 2));
    await quitter.close(true);
    await Promise.all(doomed);
  }
  stop = true;
  await Promise.all(writers);
  expect(failures).toEqual([]);
  expect(await steady.countDocuments()).toBe(acknowledged);
}, 60_000);
