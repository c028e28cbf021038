// Per-account limits across client IPs, and per-IP limits across accounts. Each client binds its
// socket to its own loopback address (127.0.0.x), so the provider sees distinct IPs without
// trusting a forwarded header (TRUST_PROXY stays off).
import { startTestProvider, type TestProvider } from '../support/provider';
import { formGuess, grantGuess, loginForm, tally, ONE_WINDOW } from './support';

const ACCOUNT_LIMIT = 10;
const IP_LIMIT = 15;
const ip = (n: number) => `127.0.0.${n}`;

let p: TestProvider;
let client: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider({ env: { LOGIN_RATE_LIMIT: String(ACCOUNT_LIMIT), LOGIN_IP_RATE_LIMIT: String(IP_LIMIT), RATE_LIMIT_WINDOW_SECONDS: ONE_WINDOW } });
  await p.createUser({ username: 'victim', email: 'victim@example.com', name: 'Victim', password: 'right password 42' });
  await p.createUser({ username: 'bystander', email: 'bystander@example.com', name: 'Bystander', password: 'right password 42' });
  client = await p.createClient({ name: 'password grant test', redirectUris: ['http://127.0.0.1:9/cb'], preset: 'generic', grants: ['password'] });
}, 60000);
afterAll(() => p?.stop());

test('6 IPs × 10 guesses on one account (form and grant): exactly the account limit checked in total', async () => {
  const statuses: number[] = [];
  for (let n = 2; n <= 7; n++) {
    const form = n % 2 ? await loginForm(p.baseUrl, ip(n)) : undefined;
    for (let i = 0; i < 10; i++) {
      statuses.push(form ? await formGuess(p.baseUrl, form, 'victim', `guess ${n}.${i}`, ip(n)) : (await grantGuess(p.baseUrl, client, 'victim', `guess ${n}.${i}`, ip(n))).status);
    }
  }
  expect(statuses.filter((s) => s !== 429)).toHaveLength(ACCOUNT_LIMIT);
  expect(tally(statuses)[429]).toBe(60 - ACCOUNT_LIMIT);
  // A seventh address with the right password is refused as well: the account is what is limited.
  expect((await grantGuess(p.baseUrl, client, 'victim', 'right password 42', ip(8))).status).toBe(429);
});

test('one IP guessing one password over 40 accounts: exactly the per-IP limit checked; other IPs are unaffected', async () => {
  const form = await loginForm(p.baseUrl, ip(9));
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) statuses.push(i % 2 ? await formGuess(p.baseUrl, form, `someone${i}`, 'Summer2026!', ip(9)) : (await grantGuess(p.baseUrl, client, `someone${i}`, 'Summer2026!', ip(9))).status);
  expect(statuses.filter((s) => s !== 429)).toHaveLength(IP_LIMIT);
  expect(statuses.slice(IP_LIMIT).every((s) => s === 429)).toBe(true);
  expect(await formGuess(p.baseUrl, form, 'bystander', 'right password 42', ip(9))).toBe(429);
  // The provider saw the socket's own address (no forwarded header involved).
  const limited = p.logs.entries().filter((e) => e.event === 'login_rate_limited');
  expect(limited.some((e) => String(e.ip).endsWith(ip(9)) && e.limitedBy === 'ip')).toBe(true);
  // The same account from another address signs in.
  const elsewhere = await loginForm(p.baseUrl, ip(10));
  expect(await formGuess(p.baseUrl, elsewhere, 'bystander', 'right password 42', ip(10))).toBe(303);
});
