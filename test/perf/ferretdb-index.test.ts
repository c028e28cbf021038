// The embedded database uses its _id index (scripts/ferretdb/0001-sqlite-id-index.patch): the
// hot lookups — access and refresh tokens, codes, clients, users — are SQLite index searches,
// checked with explain() on the queries the provider really sends during the token flows.
import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { startTestProvider, type TestProvider } from '../support/provider';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';
import { expectPatchedFerretDb, explainFind, usesIdIndex, usesIndex, filtersOf } from './support';
import { createServices } from '../../provider/src/domain/services';

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

test('an {_id} find is an index SEARCH with the filter pushed down, also beside other keys; an unindexed filter is a SCAN', async () => {
  const coll = p.db.db.collection<{ _id: string; v: number; f: string }>('explain_probe');
  await coll.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `k${i}`, v: i, f: `f${i % 5}` })));
  const byId = await explainFind(coll, { _id: 'k7' });
  expect(byId.plan.join('\n')).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
  expect(usesIdIndex(byId)).toBe(true);
  // Patch 0002: _id beside other keys (the refresh grant's {_id, revokedAt: null}) and _id $in.
  expect(usesIdIndex(await explainFind(coll, { _id: 'k7', v: 7 }))).toBe(true);
  expect(usesIdIndex(await explainFind(coll, { _id: { $in: ['k1', 'k2'] } }))).toBe(true);
  // The checker itself can fail: a filter on a field without an index is read whole in Go.
  const unindexed = await explainFind(coll, { v: 7 });
  expect(usesIdIndex(unindexed)).toBe(false);
  expect(usesIndex(unindexed)).toBe(false);
  expect(unindexed.plan.join('\n')).toMatch(/SCAN/);
  // An equality on a field that leads an index is searched in that index (and still filtered in full).
  expect(usesIndex(await explainFind(coll, { f: 'f1' }))).toBe(false);
  await coll.createIndex({ f: 1 });
  const byField = await explainFind(coll, { f: 'f1', v: { $gt: 3 } });
  expect(byField.plan.join('\n')).toMatch(/SEARCH \S+ USING INDEX \S+_f_1 \(<expr>=\?\)/);
  expect((await coll.find({ f: 'f1', v: { $gt: 3 } }).toArray()).map((d) => d.v).sort((a, b) => a - b)).toEqual([6, 11, 16, 21, 26, 31, 36, 41, 46]);
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

/** Every filter the provider sent while `run` ran, with the plan FerretDB uses for it. */
async function plansOf(run: () => Promise<void>): Promise<Array<{ what: string; indexed: boolean; plan: string }>> {
  const seen: CommandStartedEvent[] = [];
  const listener = (e: CommandStartedEvent) => seen.push(e);
  p.db.client.on('commandStarted', listener);
  try {
    await run();
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    p.db.client.off('commandStarted', listener);
  }
  const out: Array<{ what: string; indexed: boolean; plan: string }> = [];
  for (const e of seen) {
    for (const { collection, filter } of filtersOf(e.commandName, e.command)) {
      // A due list is read whole by design: the sweeper empties ended buckets (sweep/expiry.ts).
      if (collection.startsWith('expiry_due_')) continue;
      const plan = await explainFind(observer.db(e.databaseName).collection(collection), filter);
      out.push({ what: `${e.commandName} ${collection} ${JSON.stringify(filter)}`, indexed: usesIndex(plan), plan: plan.plan.join('; ') });
    }
  }
  return out;
}

test('no command of the token flows reads a whole collection (password, userinfo, introspect, refresh, client_credentials, code, revoke)', async () => {
  const auth = { authorization: basic(client.client_id, client.client_secret) };
  const plans = await plansOf(async () => {
    const pw = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'alice', password: 'correct horse battery', scope: 'read' }, auth);
    expect(pw.status).toBe(200);
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${pw.json.access_token}` })).status).toBe(200);
    expect((await postForm(`${p.baseUrl}/o/introspect/`, { token: pw.json.access_token }, auth)).json.active).toBe(true);
    const rt = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: pw.json.refresh_token }, auth);
    expect(rt.status).toBe(200);
    expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, auth)).status).toBe(200);
    // Revoking a refresh token revokes its grant (by familyId).
    expect((await postForm(`${p.baseUrl}/o/revoke_token/`, { token: rt.json.refresh_token, token_type_hint: 'refresh_token' }, auth)).status).toBe(200);
    expect((await postForm(`${p.baseUrl}/o/introspect/`, { token: rt.json.access_token }, auth)).json.active).toBe(false);
    const { code } = await obtainCode(p.baseUrl, { client_id: client.client_id, redirect_uri: 'http://127.0.0.1:9/cb', state: 's', scope: 'read' });
    expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/cb' }, auth)).status).toBe(200);
  });
  if (process.env.PERF_DEBUG) console.log(plans.map((x) => `${x.indexed ? 'idx ' : 'SCAN'} ${x.what}`).join('\n'));
  expect(plans.length).toBeGreaterThan(10);
  expect(plans.filter((x) => !x.indexed).map((x) => `${x.what}: ${x.plan}`)).toEqual([]);
  // The grant revocation went through the familyId index (not only _id lookups).
  expect(plans.some((x) => x.what.startsWith('update access_tokens') && x.what.includes('familyId'))).toBe(true);
});

test('admin and CLI token paths: revoking a grant or all of a user\'s tokens and the per-client counts use indexes', async () => {
  const { tokens } = createServices(p.config, p.db);
  const auth = { authorization: basic(client.client_id, client.client_secret) };
  const pw = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'alice', password: 'correct horse battery', scope: 'read' }, auth);
  const users = await p.db.users.findOne({ username: 'alice' });
  let counts: Record<string, number> = {};
  const plans = await plansOf(async () => {
    counts = await tokens.activeCountsByClient();
    const doc = await tokens.findAccessToken(pw.json.access_token);
    await tokens.revokeFamily(doc!.familyId);
    await tokens.revokeForUser(users!._id);
  });
  if (process.env.PERF_DEBUG) console.log(plans.map((x) => `${x.indexed ? 'idx ' : 'SCAN'} ${x.what}`).join('\n'));
  expect(counts[client.client_id]).toBeGreaterThanOrEqual(1);
  // The client list itself is read whole (a handful of documents); no token collection is.
  const tokenCollections = /^(find|update|delete|count|aggregate) (access_tokens|refresh_tokens|authorization_codes|revocations|claims|users) /;
  const onTokens = plans.filter((x) => tokenCollections.test(x.what));
  expect(onTokens.length).toBeGreaterThanOrEqual(4);
  expect(onTokens.filter((x) => !x.indexed).map((x) => `${x.what}: ${x.plan}`)).toEqual([]);
  expect(await tokens.findActiveAccessToken(pw.json.access_token)).toBeNull();
});

test('the sweeper finds expired tokens by their bucket with an index search (no due list beside each token)', async () => {
  const auth = { authorization: basic(client.client_id, client.client_secret) };
  expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, auth)).status).toBe(200);
  const { Sweeper } = await import('../../provider/src/jobs/sweeper');
  // Far enough ahead that the issued token's bucket has ended.
  const later = new Date(Date.now() + 10.5 * 3600_000); // ACCESS_TOKEN_EXPIRE_SECONDS is 10 h
  let deleted: Record<string, number> = {};
  const plans = await plansOf(async () => {
    deleted = (await new Sweeper(p.db.db, { intervalSeconds: 600, batchSize: 500, auditRetentionDays: 0 }).runOnce(later)).deleted;
  });
  const bucketSearches = plans.filter((x) => /^find (access_tokens|refresh_tokens) .*sweepBucket/.test(x.what));
  expect(bucketSearches.length).toBeGreaterThanOrEqual(2);
  expect(bucketSearches.filter((x) => !x.indexed).map((x) => `${x.what}: ${x.plan}`)).toEqual([]);
  expect(deleted.access_tokens).toBeGreaterThanOrEqual(1);
}, 120_000);
