// Two-factor sign-in at its edges, over real HTTP against one real provider and FerretDB:
// - a silent authorization request (prompt=none) from a user who must set up two-factor first,
//   or who is between password and code, goes back to the client with an OIDC error and the
//   state — never to a page (OIDC Core §3.1.2.6);
// - one client IP guessing second-step codes across several accounts is stopped by a per-IP
//   limit (TWO_FACTOR_IP_RATE_LIMIT), other addresses are not;
// - the ID token's amr claim (RFC 8176) says which second factor was used, checked by openid-client.
import { authenticator } from 'otplib';
import { discoverClient, startLogin, returnedParams } from '../oidc/support';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { startTestProvider, type TestProvider } from '../support/provider';
import { HttpSession, decodeEntities, hiddenFields, signIn, textOf } from './support';

let p: TestProvider;
const RC = 'http://rc.example.test/_oauth/hrm';
const STEP_MS = 30_000;
const totp = authenticator.clone({ step: 30, digits: 6 });
const codeAt = (secret: string, ms: number) => totp.clone({ epoch: ms }).generate(secret);
const ATTACKER = '203.0.113.7';
const OTHER = '198.51.100.9';

beforeAll(async () => {
  p = await startTestProvider({
    env: { TWO_FACTOR_REQUIRED: 'everyone', TWO_FACTOR_RATE_LIMIT: '5', TWO_FACTOR_IP_RATE_LIMIT: '3', TRUST_PROXY: '1' },
  });
  for (const name of ['nova', 'omar', 'uma', 'ivy', 'kai', 'amy', 'rex']) {
    await p.createUser({ username: name, email: `${name}@example.com`, name: name.toUpperCase(), password: `${name} password` });
  }
});
afterAll(async () => p?.stop());

const silent = (clientId: string, extra: Record<string, string> = {}) =>
  `${p.baseUrl}/o/authorize/?${new URLSearchParams({ client_id: clientId, redirect_uri: RC, response_type: 'code', scope: 'openid read', state: 'st-42', prompt: 'none', ...extra })}`;

/** Signs in (password only, set-up required), sets up two-factor with a code computed here. */
async function enrol(username: string) {
  const http = await signIn(p.baseUrl, username, `${username} password`);
  const html = await (await http.request(`${p.baseUrl}/accounts/two-factor/setup/`)).text();
  const secret = textOf(html, 'manual-key')!.replace(/\s+/g, '');
  const at = Date.now();
  const res = await http.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...hiddenFields(html, '/accounts/two-factor/setup/'), code: codeAt(secret, at) } });
  expect(res.status).toBe(200);
  return { secret, at };
}

/** The password step from one client address; returns the session waiting for the code. */
async function passwordStep(username: string, ip: string) {
  const http = new HttpSession();
  const headers = { 'x-forwarded-for': ip };
  const login = await (await http.request(`${p.baseUrl}/accounts/login/`, { headers })).text();
  const res = await http.request(`${p.baseUrl}/accounts/login/`, { headers, form: { ...hiddenFields(login, '/accounts/login/'), username, password: `${username} password` } });
  expect(res.headers.get('location')).toBe('/accounts/login/two-factor/');
  const page = await (await http.request(`${p.baseUrl}/accounts/login/two-factor/`, { headers })).text();
  const fields = hiddenFields(page, '/accounts/login/two-factor/');
  return { http, submit: (code: string) => http.request(`${p.baseUrl}/accounts/login/two-factor/`, { headers, form: { ...fields, code } }) };
}

describe('prompt=none while two-factor is required', () => {
  test('a user who has not set it up: interaction_required with the state back to the client, not the set-up page', async () => {
    const c = await p.createClient({ name: 'Silent', redirectUris: [RC], preset: 'rocketchat-login' });
    const http = await signIn(p.baseUrl, 'nova', 'nova password');
    const res = await http.request(silent(c.client_id));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(RC);
    expect(location.searchParams.get('error')).toBe('interaction_required');
    expect(location.searchParams.get('state')).toBe('st-42');
    expect(location.searchParams.get('code')).toBeNull();
    expect(res.headers.get('cache-control')).toContain('no-store');

    // Bad input is still judged first: an unregistered redirect_uri gets a page, never a redirect.
    const bad = await http.request(silent(c.client_id, { redirect_uri: 'https://evil.example/cb' }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('location')).toBeNull();
    // Without prompt=none the user is still led to the set-up, and no code was issued meanwhile.
    const interactive = await http.request(silent(c.client_id, { prompt: 'consent' }));
    expect(interactive.status).toBe(302);
    expect(interactive.headers.get('location')).toMatch(/^\/accounts\/two-factor\/setup\/\?next=/);
    expect(await p.db.codes.countDocuments({})).toBe(0);
  });

  test('a user between password and code: login_required with the state; the pending step is kept', async () => {
    const c = await p.createClient({ name: 'Silent two', redirectUris: [RC], preset: 'rocketchat-login' });
    const { secret, at } = await enrol('omar');
    const { http, submit } = await passwordStep('omar', OTHER);
    const res = await http.request(silent(c.client_id));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('state')).toBe('st-42');
    expect(location.searchParams.get('code')).toBeNull();
    // The code step still completes afterwards, and then the silent request gets a code.
    expect((await submit(codeAt(secret, at + STEP_MS))).status).toBe(303);
    const after = await http.request(silent(c.client_id, { prompt: 'consent' }));
    expect(after.status).toBe(200); // consent page: signed in with both factors, not gated
  });
});

describe('the ID token says how the person signed in (amr, RFC 8176)', () => {
  test('password + TOTP → ["pwd","otp","mfa"]; password + recovery code → ["pwd","mfa"]; also after refresh', async () => {
    const c = await p.createClient({ name: 'Amr', redirectUris: [RC], preset: 'generic' });
    const rp = await discoverClient(p.baseUrl, { client_id: c.client_id, client_secret: c.client_secret!, redirect_uris: [RC], response_types: ['code'] });
    const viaTotp = await enrol('amy');
    const first = await passwordStep('amy', '192.0.2.10');
    expect((await first.submit(codeAt(viaTotp.secret, viaTotp.at + STEP_MS))).status).toBe(303);
    const login = startLogin(rp);
    const tokens = await rp.callback(RC, returnedParams(await authorizeWithForms(login.url, { username: 'amy', password: 'unused' }, { session: first.http })), login.checks);
    expect(tokens.claims().amr).toEqual(['pwd', 'otp', 'mfa']);
    expect((await rp.refresh(tokens)).claims().amr).toEqual(['pwd', 'otp', 'mfa']);

    // A recovery code: shown once at set-up, read from the page here.
    const setup = await signIn(p.baseUrl, 'rex', 'rex password');
    const html = await (await setup.request(`${p.baseUrl}/accounts/two-factor/setup/`)).text();
    const secret = textOf(html, 'manual-key')!.replace(/\s+/g, '');
    const done = await (await setup.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...hiddenFields(html, '/accounts/two-factor/setup/'), code: codeAt(secret, Date.now()) } })).text();
    const recovery = done.match(/<li><code>([a-z0-9-]{19})<\/code><\/li>/)![1];
    const second = await passwordStep('rex', '192.0.2.11');
    expect((await second.submit(recovery)).status).toBe(303);
    const login2 = startLogin(rp);
    const tokens2 = await rp.callback(RC, returnedParams(await authorizeWithForms(login2.url, { username: 'rex', password: 'unused' }, { session: second.http })), login2.checks);
    expect(tokens2.claims().amr).toEqual(['pwd', 'mfa']);
  });
});

describe('second-step codes guessed from one address', () => {
  test('wrong codes across several accounts from one IP are stopped with a clear message; other IPs and accounts are not', async () => {
    const uma = await enrol('uma');
    const ivy = await enrol('ivy');
    const kai = await enrol('kai');
    const a = await passwordStep('uma', ATTACKER);
    const b = await passwordStep('ivy', ATTACKER);
    const c = await passwordStep('kai', ATTACKER);
    // The per-IP count lives in fixed 60 s windows (RATE_LIMIT_WINDOW_SECONDS, aligned to the epoch):
    // a burst straddling a boundary splits its count and never sees 429 (failed once so). Start the
    // burst with at least 30 s of the window left.
    const WINDOW_MS = 60_000;
    const left = WINDOW_MS - (Date.now() % WINDOW_MS);
    if (left < 30_000) await new Promise((r) => setTimeout(r, left + 200));
    // Three wrong codes, each account below its own limit of five.
    expect((await a.submit('000000')).status).toBe(401);
    expect((await b.submit('000000')).status).toBe(401);
    expect((await b.submit('111111')).status).toBe(401);
    const limited = await c.submit('222222');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(decodeEntities(await limited.text())).toContain('Too many wrong codes from your network. Wait 1 minute and try again.');
    // Even the right code is refused from this address until the window ends, and is not spent.
    const right = await a.submit(codeAt(uma.secret, uma.at + STEP_MS));
    expect(right.status).toBe(429);
    expect((await a.http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302);
    expect((await p.db.users.findOne({ username: 'uma' }))!.twoFactor!.lastStep).toBe(Math.floor(uma.at / STEP_MS));

    // Another address signs in to the same accounts with right codes.
    for (const [name, e] of [['ivy', ivy], ['kai', kai]] as const) {
      const s = await passwordStep(name, OTHER);
      expect((await s.submit(codeAt(e.secret, e.at + STEP_MS))).status).toBe(303);
    }
  });
});
