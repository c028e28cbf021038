// Concurrent brute force on the embedded database (FerretDB, where `$inc` is not atomic), against
// two provider instances sharing it: the limits hold exactly — 0 guesses past them.
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { startTestProvider, type TestProvider } from '../support/provider';
import { formGuess, grantGuess, loginForm, tally, ONE_WINDOW } from './support';

const ACCOUNT_LIMIT = 10;
const IP_LIMIT = 40;
const TOKEN_LIMIT = 300;

let database: TestDatabase;
let a: TestProvider;
let b: TestProvider;
let client: { client_id: string; client_secret: string };

async function pair(env: Record<string, string>, dbName: string): Promise<[TestProvider, TestProvider]> {
  // One window for the whole file: a fixed window ending mid-test would (rightly) allow another round.
  const shared = { RATE_LIMIT_WINDOW_SECONDS: ONE_WINDOW, ...env, MONGO_DB: dbName };
  return [await startTestProvider({ env: shared, database }), await startTestProvider({ env: shared, database })];
}

beforeAll(async () => {
  database = await startTestDatabase();
  [a, b] = await pair({ LOGIN_RATE_LIMIT: String(ACCOUNT_LIMIT), LOGIN_IP_RATE_LIMIT: String(IP_LIMIT), TOKEN_RATE_LIMIT: String(TOKEN_LIMIT) }, 'hrm_bf');
  await a.createUser({ username: 'victim', email: 'victim@example.com', name: 'Victim', password: 'right password 42' });
  client = await a.createClient({ name: 'password grant test', redirectUris: ['http://127.0.0.1:9/cb'], preset: 'generic', grants: ['password'] });
}, 60000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await database?.stop();
});

test('50 concurrent wrong sign-ins on one account through two instances: exactly the limit checked', async () => {
  const [formA, formB] = [await loginForm(a.baseUrl), await loginForm(b.baseUrl)];
  const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? formGuess(a.baseUrl, formA, 'victim', `guess ${i}`) : formGuess(b.baseUrl, formB, ' Victim', `guess ${i}`))));
  expect(tally(statuses)).toEqual({ 401: ACCOUNT_LIMIT, 429: 50 - ACCOUNT_LIMIT });
  // The right password is refused as well until the window ends.
  expect(await formGuess(a.baseUrl, formA, 'victim', 'right password 42')).toBe(429);
});

test('600 concurrent password-grant guesses over 60 accounts from one IP: exactly the per-IP limit checked', async () => {
  // From 127.0.0.2: the previous test's failures from 127.0.0.1 count against that address.
  const results = await Promise.all(Array.from({ length: 600 }, (_, i) => grantGuess(i % 2 ? a.baseUrl : b.baseUrl, client, `user${i % 60}`, `guess ${i}`, '127.0.0.2')));
  const statuses = results.map((r) => r.status);
  expect(tally(statuses)).toEqual({ 400: IP_LIMIT, 429: 600 - IP_LIMIT });
  for (const r of results.filter((x) => x.status === 400)) expect(JSON.parse(r.text).error).toBe('invalid_grant');
});

describe('token endpoint limit per IP', () => {
  let c: TestProvider;
  let d: TestProvider;
  beforeAll(async () => {
    [c, d] = await pair({ TOKEN_RATE_LIMIT: String(TOKEN_LIMIT), LOGIN_RATE_LIMIT: '100000', LOGIN_IP_RATE_LIMIT: '100000' }, 'hrm_bf_token');
    client = await c.createClient({ name: 'password grant test', redirectUris: ['http://127.0.0.1:9/cb'], preset: 'generic', grants: ['password'] });
  }, 60000);
  afterAll(async () => {
    await c?.stop();
    await d?.stop();
  });

  test('600 concurrent password-grant guesses through two instances: none past the token limit, and few database writes', async () => {
    const statuses = (await Promise.all(Array.from({ length: 600 }, (_, i) => grantGuess(i % 2 ? c.baseUrl : d.baseUrl, client, `user${i}`, `guess ${i}`)))).map((r) => r.status);
    const checked = statuses.filter((s) => s !== 429).length;
    expect(statuses.filter((s) => s !== 429 && s !== 400)).toEqual([]);
    // Both instances drain the shared allowance; the leases the loser of the last claims holds are at most 1/8 of what was left.
    expect(checked).toBeLessThanOrEqual(TOKEN_LIMIT);
    expect(checked).toBeGreaterThanOrEqual(TOKEN_LIMIT - Math.ceil(TOKEN_LIMIT / 8));
    // Counting costs block claims, not one write per request.
    const claims = await c.db.rateLimits.countDocuments({ _id: { $regex: '^token:' } } as never);
    expect(claims).toBeLessThan(TOKEN_LIMIT / 4);
  });
});
