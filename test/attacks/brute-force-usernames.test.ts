// Padded and look-alike spellings of one username are one account for the limiter: 0 guesses
// past the limit, on the sign-in form and on the password grant, and the right password in a
// padded spelling after the limit is refused too.
import { startTestProvider, type TestProvider } from '../support/provider';
import { normaliseUsername } from '../../provider/src/store/users';
import { formGuess, grantGuess, loginForm, tally, ONE_WINDOW } from './support';

const LIMIT = 5;
const SPELLINGS = (name: string) => [
  ` ${name}`, `${name}\t`, `\u3000${name}`, `${name.toUpperCase()}`, `\u00a0${name}\u200b`, `${name}\n`,
  name.replace(/[a-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), // full-width forms
  `\u2003${name}\u2009`, `\ufeff${name}`, `  ${name.toUpperCase()}  `,
];

let p: TestProvider;
let client: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider({ env: { LOGIN_RATE_LIMIT: String(LIMIT), LOGIN_IP_RATE_LIMIT: '1000', RATE_LIMIT_WINDOW_SECONDS: ONE_WINDOW } });
  for (const u of ['bf2', 'bf3', 'bf4', 'bf5']) await p.createUser({ username: u, email: `${u}@example.com`, name: u.toUpperCase(), password: 'right password 42' });
  client = await p.createClient({ name: 'password grant test', redirectUris: ['http://127.0.0.1:9/cb'], preset: 'generic', grants: ['password'] });
}, 60000);
afterAll(() => p?.stop());

test('every spelling normalises to the account name', () => {
  for (const s of SPELLINGS('bf2')) expect(normaliseUsername(s)).toBe('bf2');
});

test('sign-in form: 30 guesses in 10 spellings → exactly the limit checked, then even the right password is refused', async () => {
  const form = await loginForm(p.baseUrl);
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) statuses.push(await formGuess(p.baseUrl, form, SPELLINGS('bf2')[i % 10], `guess ${i}`));
  expect(tally(statuses)).toEqual({ 401: LIMIT, 429: 30 - LIMIT });
  expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
  expect(await formGuess(p.baseUrl, form, '\u3000bf2', 'right password 42')).toBe(429);
});

test('password grant: 30 guesses in 10 spellings → exactly the limit checked, then the right password is refused', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) statuses.push((await grantGuess(p.baseUrl, client, SPELLINGS('bf3')[i % 10], `guess ${i}`)).status);
  expect(tally(statuses)).toEqual({ 400: LIMIT, 429: 30 - LIMIT });
  const last = await grantGuess(p.baseUrl, client, ' BF3\t', 'right password 42');
  expect(last.status).toBe(429);
  expect(JSON.parse(last.text)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
  expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
});

test('form and grant share one counter per account', async () => {
  const form = await loginForm(p.baseUrl);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    statuses.push(i % 2 ? await formGuess(p.baseUrl, form, SPELLINGS('bf4')[i % 10], `guess ${i}`) : (await grantGuess(p.baseUrl, client, SPELLINGS('bf4')[i % 10], `guess ${i}`)).status);
  }
  expect(statuses.filter((s) => s !== 429)).toHaveLength(LIMIT);
});

test('a look-alike spelling with the right password signs in, and a success resets the account counter', async () => {
  for (let i = 0; i < LIMIT - 1; i++) expect((await grantGuess(p.baseUrl, client, 'bf5', `wrong ${i}`)).status).toBe(400);
  const ok = await grantGuess(p.baseUrl, client, 'ＢＦ５', 'right password 42');
  expect(ok.status).toBe(200);
  const after: number[] = [];
  for (let i = 0; i < LIMIT + 1; i++) after.push((await grantGuess(p.baseUrl, client, ' bf5', `wrong again ${i}`)).status);
  expect(after).toEqual([...Array(LIMIT).fill(400), 429]);
});
