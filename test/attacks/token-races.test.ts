// Token races against a real provider and FerretDB (issue 9.F): every assertion is a count.
// - 200 concurrent redemptions of one code: exactly one token response.
// - 200 concurrent refreshes of one refresh token: exactly one rotation; every answer is that pair.
// - 100 revoke-vs-refresh pairs: after each revoke answered 200, 0 active tokens in the grant.
// - a refresh loop racing a revoke, user-wide revocation racing refreshes, client deletion
//   racing client_credentials: 0 surviving tokens.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';
import { digest } from '../../provider/src/kernel/security/tokens';

const N_CODE = Number(process.env.N_CODE ?? 200);
const REDIRECT = 'https://chat.example.com/_oauth/hrm';
let p: TestProvider;
let c: { client_id: string; client_secret: string };
let pw: { client_id: string; client_secret: string };

beforeAll(async () => {
  // Races are the point here: no rate limit in the way.
  p = await startTestProvider({ env: { TOKEN_RATE_LIMIT: '1000000', LOG_LEVEL: 'warn' } });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  await p.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob Jones', password: 'correct horse battery' });
  c = await p.createClient({ name: 'Rocket.Chat', redirectUris: [REDIRECT], preset: 'rocketchat-login' });
  pw = await p.createClient({ name: 'Password test', redirectUris: [], grants: ['password', 'refresh_token'] });
}, 60_000);
afterAll(() => p.stop());

const token = (form: Record<string, string>, client = c) => postForm(`${p.baseUrl}/o/token/`, form, { authorization: basic(client.client_id, client.client_secret) });
const refresh = (rt: string, client = pw) => token({ grant_type: 'refresh_token', refresh_token: rt }, client);
const revoke = (t: string, client = pw) => postForm(`${p.baseUrl}/o/revoke_token/`, { token: t }, { authorization: basic(client.client_id, client.client_secret) });
const login = (username = 'alice') => token({ grant_type: 'password', username, password: 'correct horse battery', scope: 'read' }, pw);

/** Active (unrevoked, unexpired) tokens of one grant, counted in the database. */
async function activeInFamily(familyId: string): Promise<number> {
  const live = { familyId, revokedAt: null, expiresAt: { $gt: new Date() } };
  return (await p.db.accessTokens.countDocuments(live)) + (await p.db.refreshTokens.countDocuments(live));
}
async function familyOf(accessToken: string): Promise<string> {
  const doc = await p.db.accessTokens.findOne({ _id: digest(accessToken) });
  if (!doc) throw new Error('no such access token');
  return doc.familyId;
}

test('200 concurrent redemptions of one code: exactly one token response, one token stored', async () => {
  const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
  const results = await Promise.all(Array.from({ length: N_CODE }, () => token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT })));
  expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  expect(results.filter((r) => r.status === 400 && r.json.error === 'invalid_grant')).toHaveLength(N_CODE - 1);
  expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
  expect(await p.db.accessTokens.countDocuments({ familyId: digest(code) })).toBe(1);
  expect(await p.db.refreshTokens.countDocuments({ familyId: digest(code) })).toBe(1);
}, 120_000);

test('200 concurrent refreshes of one token: one rotation, every answer is the same working pair, no reuse alarm', async () => {
  const first = (await login()).json;
  const before = p.logs.entries().filter((e) => e.event === 'refresh_token_reuse').length;
  const results = await Promise.all(Array.from({ length: 200 }, () => refresh(first.refresh_token)));
  expect(results.filter((r) => r.status === 200)).toHaveLength(200);
  const pairs = new Set(results.map((r) => `${r.json.access_token}|${r.json.refresh_token}`));
  expect(pairs.size).toBe(1);
  expect(await p.db.refreshTokens.countDocuments({ parentId: digest(first.refresh_token) })).toBe(1);
  expect(p.logs.entries().filter((e) => e.event === 'refresh_token_reuse').length).toBe(before);
  const [pair] = results;
  expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${pair.json.access_token}` })).status).toBe(200);
  expect((await refresh(pair.json.refresh_token)).status).toBe(200);
}, 120_000);

test('100 revoke-vs-refresh pairs: after every revoke that answered 200, 0 active tokens in the grant', async () => {
  let survivors = 0;
  let refreshWon = 0;
  let revokeOk = 0;
  for (let batch = 0; batch < 10; batch++) {
    const grants = await Promise.all(Array.from({ length: 10 }, () => login().then((r) => r.json)));
    const outcomes = await Promise.all(
      grants.map(async (g, i) => {
        // Alternate which token the revoker presents: the access token or the refresh token.
        const [rf, rv] = await Promise.all([refresh(g.refresh_token), revoke(i % 2 ? g.access_token : g.refresh_token)]);
        return { g, rf, rv };
      }),
    );
    for (const { g, rf, rv } of outcomes) {
      expect(rv.status).toBe(200);
      revokeOk++;
      if (rf.status === 200) {
        refreshWon++;
        expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${rf.json.access_token}` })).status).toBe(401);
      }
      survivors += await activeInFamily(await familyOf(g.access_token));
    }
  }
  console.log(JSON.stringify({ pairs: revokeOk, refreshAnswered200: refreshWon, survivingTokens: survivors }));
  expect(revokeOk).toBe(100);
  expect(survivors).toBe(0);
}, 180_000);

test('a refresh loop racing a revoke: the loop dies, 0 tokens of the grant survive (10 trials)', async () => {
  let survivors = 0;
  let refreshesBeforeRevoke = 0;
  for (let trial = 0; trial < 10; trial++) {
    const g = (await login()).json;
    let current = g.refresh_token as string;
    let revoked = false;
    let refreshesAfterRevoke = 0;
    const loop = (async () => {
      for (let i = 0; i < 200; i++) {
        const r = await refresh(current);
        if (r.status !== 200) return;
        if (revoked) refreshesAfterRevoke++;
        else refreshesBeforeRevoke++;
        current = r.json.refresh_token;
      }
    })();
    await new Promise((r) => setTimeout(r, 20 + trial * 5));
    expect((await revoke(g.access_token)).status).toBe(200);
    revoked = true;
    await loop;
    // A refresh already past its revocation check when the revoke landed may answer; its tokens are dead.
    expect(refreshesAfterRevoke).toBeLessThanOrEqual(1);
    survivors += await activeInFamily(await familyOf(g.access_token));
  }
  expect(refreshesBeforeRevoke).toBeGreaterThan(0); // the loop really was running
  expect(survivors).toBe(0);
}, 180_000);

test('revoking everything of a user while refreshes are in flight leaves 0 active tokens of that user', async () => {
  const grants = await Promise.all(Array.from({ length: 10 }, () => login('bob').then((r) => r.json)));
  const user = await p.db.users.findOne({ username: 'bob' });
  const refreshes = Promise.all(grants.map((g) => refresh(g.refresh_token)));
  await p.running.services.tokens.revokeForUser(user!._id);
  await refreshes;
  const live = { userId: user!._id, revokedAt: null, expiresAt: { $gt: new Date() } };
  expect((await p.db.accessTokens.countDocuments(live)) + (await p.db.refreshTokens.countDocuments(live))).toBe(0);
}, 60_000);

test('deleting a client while client_credentials requests are in flight leaves no token of it', async () => {
  const job = await p.createClient({ name: 'Batch job', redirectUris: [], grants: ['client_credentials'] });
  const requests = Promise.all(Array.from({ length: 30 }, () => token({ grant_type: 'client_credentials' }, job)));
  await new Promise((r) => setTimeout(r, 10));
  await p.running.services.clients.delete(job.client_id);
  const results = await requests;
  expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
  for (const r of results.filter((x) => x.status === 200)) {
    expect((await postForm(`${p.baseUrl}/o/introspect/`, { token: r.json.access_token }, { authorization: basic(c.client_id, c.client_secret) })).json.active).toBe(false);
  }
  expect(await p.db.accessTokens.countDocuments({ clientId: job.client_id, revokedAt: null })).toBe(0);
}, 60_000);
