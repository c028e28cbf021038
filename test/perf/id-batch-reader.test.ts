// IdBatchReader (provider/src/db/id-batch-reader.ts): concurrent _id lookups share one read, and a
// lookup never rides on a read sent before it was asked for. The first part drives the reader with
// a collection whose reads finish when the test says so (to pin the order exactly); the second part
// runs it against a real FerretDB.
import { MongoClient } from 'mongodb';
import { IdBatchReader, MAX_IDS_PER_READ } from '../../provider/src/db/id-batch-reader';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';

type Doc = { _id: string; v: number };

/** A collection whose reads are answered by the test from `store` when it calls finish(). */
function controlledCollection(store: Map<string, Doc>) {
  const reads: Array<{ ids: string[]; finish: () => void; fail: (err: Error) => void }> = [];
  const pending = (ids: string[]) =>
    new Promise<Doc[]>((resolve, reject) => {
      // Like a database read, the answer is what the store held when the read was sent.
      const snapshot = ids.flatMap((id) => (store.has(id) ? [{ ...store.get(id)! }] : []));
      reads.push({ ids, finish: () => resolve(snapshot), fail: reject });
    });
  return {
    reads,
    collection: {
      findOne: (filter: { _id: string }) => pending([filter._id]).then((docs) => docs[0] ?? null),
      find: (filter: { _id: { $in: string[] } }) => ({ toArray: () => pending(filter._id.$in) }),
    },
  };
}

describe('with reads the test finishes by hand', () => {
  test('the first lookup is sent at once; lookups made while the reads are busy wait and go together as one read', async () => {
    const store = new Map(['a', 'b', 'c', 'd', 'e'].map((id, v) => [id, { _id: id, v }]));
    const { reads, collection } = controlledCollection(store);
    const reader = new IdBatchReader<Doc>(collection as never, 1);

    const a = reader.get('a');
    expect(reads.map((r) => r.ids)).toEqual([['a']]);
    const later = [reader.get('b'), reader.get('c'), reader.get('missing'), reader.get('e')];
    expect(reads).toHaveLength(1); // still one read: the others wait for it

    reads[0].finish();
    expect(await a).toEqual({ _id: 'a', v: 0 });
    await new Promise((r) => setImmediate(r));
    expect(reads.map((r) => r.ids)).toEqual([['a'], ['b', 'c', 'missing', 'e']]);
    reads[1].finish();
    expect(await Promise.all(later)).toEqual([{ _id: 'b', v: 1 }, { _id: 'c', v: 2 }, null, { _id: 'e', v: 4 }]);
  });

  test('a lookup for an id whose read is already on its way gets a new read, sent after it asked (it sees later writes)', async () => {
    const store = new Map([['t', { _id: 't', v: 1 }]]);
    const { reads, collection } = controlledCollection(store);
    const reader = new IdBatchReader<Doc>(collection as never, 1);

    const first = reader.get('t');
    store.set('t', { _id: 't', v: 2 }); // e.g. revoked after the first read left
    const second = reader.get('t');
    reads[0].finish();
    expect(await first).toEqual({ _id: 't', v: 1 });
    await new Promise((r) => setImmediate(r));
    expect(reads).toHaveLength(2);
    reads[1].finish();
    expect(await second).toEqual({ _id: 't', v: 2 });
  });

  test('two callers waiting for the same id get one id in the read and separate copies of the document', async () => {
    const store = new Map([['x', { _id: 'x', v: 7 }], ['y', { _id: 'y', v: 8 }]]);
    const { reads, collection } = controlledCollection(store);
    const reader = new IdBatchReader<Doc>(collection as never, 1);
    const busy = reader.get('y');
    const one = reader.get('x');
    const two = reader.get('x');
    reads[0].finish();
    await busy;
    await new Promise((r) => setImmediate(r));
    expect(reads[1].ids).toEqual(['x']);
    reads[1].finish();
    const [d1, d2] = await Promise.all([one, two]);
    expect(d1).toEqual({ _id: 'x', v: 7 });
    expect(d2).toEqual(d1);
    expect(d2).not.toBe(d1);
  });

  test("getMany's ids travel together in one read, even when nothing else is waiting, and only found documents come back", async () => {
    const store = new Map([['m1', { _id: 'm1', v: 1 }], ['m3', { _id: 'm3', v: 3 }]]);
    const { reads, collection } = controlledCollection(store);
    const reader = new IdBatchReader<Doc>(collection as never, 1);
    const many = reader.getMany(['m1', 'm2', 'm3', 'm1']);
    expect(reads.map((r) => r.ids)).toEqual([['m1', 'm2', 'm3']]);
    reads[0].finish();
    expect(await many).toEqual([{ _id: 'm1', v: 1 }, { _id: 'm3', v: 3 }]);
  });

  test('a failed read fails every lookup it carried, and the next lookups are read again', async () => {
    const store = new Map([['a', { _id: 'a', v: 1 }], ['b', { _id: 'b', v: 2 }]]);
    const { reads, collection } = controlledCollection(store);
    const reader = new IdBatchReader<Doc>(collection as never, 1);
    const first = reader.get('a');
    const waiting = [reader.get('a'), reader.get('b')];
    reads[0].fail(new Error('connection reset'));
    await expect(first).rejects.toThrow('connection reset');
    await new Promise((r) => setImmediate(r));
    reads[1].fail(new Error('still down'));
    await expect(Promise.all(waiting)).rejects.toThrow('still down');
    const again = reader.get('b');
    reads[2].finish();
    expect(await again).toEqual({ _id: 'b', v: 2 });
  });

  test(`at most ${MAX_IDS_PER_READ} ids per read, and no more reads in flight than allowed`, async () => {
    const store = new Map<string, Doc>();
    const { reads, collection } = controlledCollection(store);
    const reader = new IdBatchReader<Doc>(collection as never, 2);
    const all = Array.from({ length: 2 + 2 * MAX_IDS_PER_READ + 5 }, (_, i) => reader.get(`id${i}`));
    expect(reads.map((r) => r.ids.length)).toEqual([1, 1]);
    reads[0].finish();
    reads[1].finish();
    await new Promise((r) => setImmediate(r));
    expect(reads.slice(2).map((r) => r.ids.length)).toEqual([MAX_IDS_PER_READ, MAX_IDS_PER_READ]);
    reads[2].finish();
    await new Promise((r) => setImmediate(r));
    expect(reads.slice(4).map((r) => r.ids.length)).toEqual([5]);
    reads[3].finish();
    reads[4].finish();
    expect((await Promise.all(all)).every((d) => d === null)).toBe(true);
  });
});

describe('against FerretDB', () => {
  let database: TestDatabase;
  let client: MongoClient;
  beforeAll(async () => {
    database = await startTestDatabase();
    client = await MongoClient.connect(database.url, { monitorCommands: true });
  });
  afterAll(async () => {
    await client?.close();
    await database?.stop();
  });

  test('200 concurrent lookups come back right, found and missing, in far fewer commands', async () => {
    const coll = client.db('reader').collection<Doc>('tokens');
    await coll.insertMany(Array.from({ length: 150 }, (_, i) => ({ _id: `tok${i}`, v: i })));
    let finds = 0;
    client.on('commandStarted', (e) => { if (e.commandName === 'find') finds++; });
    const reader = new IdBatchReader<Doc>(coll);
    const ids = Array.from({ length: 200 }, (_, i) => `tok${(i * 7) % 200}`); // 150 exist, 50 do not
    const docs = await Promise.all(ids.map((id) => reader.get(id)));
    docs.forEach((d, i) => {
      const n = (i * 7) % 200;
      expect(d).toEqual(n < 150 ? { _id: `tok${n}`, v: n } : null);
    });
    expect(finds).toBeLessThanOrEqual(6); // 2 single reads, then batches of up to 100
  });
});
