// The embedded database uses its _id index (scripts/ferretdb/0001-sqlite-id-index.patch): the
// hot lookups — access and refresh tokens, codes, clients, users — are SQLite index searches,
// checked with explain() on the queries the provider really sends during the token flows.
import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { startTestProvider, type TestProvider } from '../support/provider';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { basic, getJson, postForm } from '../support/oauth-requests';
import { expectPatchedFerretDb, explainFind, usesIdIndex } from './support';

let p: TestProvider;
let client: { client_id: string; client_secret: string };
let observer: MongoClient;
let database: TestDatabase;

beforeAll(async () => {
  database = await startTestDatabase();
  // The provider's own MongoClient reports every command it sends.
  p = await startTestProvider({ database: { ...database, url: `${database.url}?monitorCommands=true` } });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  client = await p.createClient({ name: 'bench', redirectUris: ['http://127.0.0.1:9/cb'], grants: ['authorization_code', 'refresh_token', 'password', 'client_credentials'] });
  observer = await MongoClient.connect(p.mongoUrl);
});

afterAll(async () => {
  await observer?.close();
  await p?.stop();
  await database?.stop();
});

test('the FerretDB binary in use carries the _id-index patch', async () => {
  await expectPatchedFerretDb(p.db.db);
});

test('an {_id} find is an index SEARCH with the filter pushed down; anything more is a SCAN', async () => {
  const coll = p.db.db.collection<{ _id: string; v: number }>('explain_probe');
  await coll.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `k${i}`, v: i })));
  const byId = await explainFind(coll, { _id: 'k7' });
  expect(byId.plan.join('\n')).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
  expect(usesIdIndex(byId)).toBe(true);
  // The checker itself can fail: a two-field filter is read whole in Go.
  const more = await explainFind(coll, { _id: 'k7', v: 7 });
  expect(usesIdIndex(more)).toBe(false);
  expect(more.plan.join('\n')).toMatch(/SCAN/);
});

test('token, code, client and user lookups of the token flows are index searches', async () => {
  const seen: CommandStartedEvent[] = [];
  const providerClient = p.db.client;
  const listener = (e: CommandStartedEvent) => seen.push(e);
  providerClient.on('commandStarted', listener);
  try {
    const auth = { authorization: basic(client.client_id, client.client_secret) };
    const pw = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'alice', password: 'correct horse battery', scope: 'read' }, auth);
    expect(pw.status).toBe(200);
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${pw.json.access_token}` })).status).toBe(200);
    expect((await postForm(`${p.baseUrl}/o/introspect/`, { token: pw.json.access_token }, auth)).json.active).toBe(true);
    expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: pw.json.refresh_token }, auth)).status).toBe(200);
    expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, auth)).status).toBe(200);
  } finally {
    providerClient.off('commandStarted', listener);
  }

  const lookups = seen.filter((e) => e.commandName === 'find' && ['access_tokens', 'refresh_tokens', 'authorization_codes', 'clients', 'users'].includes(e.command.find) && e.command.filter && '_id' in e.command.filter);
  const collections = new Set(lookups.map((e) => e.command.find));
  for (const c of ['access_tokens', 'refresh_tokens', 'clients', 'users']) expect(collections).toContain(c);
  const scans: string[] = [];
  for (const e of lookups) {
    const plan = await explainFind(observer.db(e.databaseName).collection(e.command.find as string), e.command.filter as Document);
    if (!usesIdIndex(plan)) scans.push(`${e.command.find} ${JSON.stringify(Object.keys(e.command.filter))}: ${plan.plan.join('; ')}`);
  }
  expect(scans).toEqual([]);
});

test('a code lookup (the shape getAuthorizationCode sends) is an index search', async () => {
  const codes = observer.db(p.config.MONGO_DB).collection<{ _id: string }>('authorization_codes');
  await codes.insertOne({ _id: 'digest-of-another-code' });
  expect(usesIdIndex(await explainFind(codes, { _id: 'digest-of-some-code' }))).toBe(true);
});
