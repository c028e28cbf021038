// RFC 9700 defaults: exact redirect URIs, error pages, single-use codes with replay revocation,
// atomic rotation with reuse detection, PKCE rules, digests at rest, operator injection, cookies.
import { startTestProvider, type TestProvider } from '../support/provider';
import { HttpSession, hiddenFields } from '../support/http-session';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { authorizeUrl, basic, getJson, obtainCode, pkcePair, postForm } from '../support/oauth-requests';
import { digest } from '../../provider/src/kernel/security/tokens';
import { ManualClock } from '../../provider/src/kernel/clock';

const REDIRECT = 'https://chat.example.com/_oauth/hrm';
let p: TestProvider;
const clock = new ManualClock();
let c: { client_id: string; client_secret: string };
const auth = () => ({ authorization: basic(c.client_id, c.client_secret) });

beforeAll(async () => {
  p = await startTestProvider({ env: { AUTHORIZATION_CODE_EXPIRE_SECONDS: '2', LOGIN_RATE_LIMIT: '5' }, clock });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  c = await p.createClient({ name: 'Rocket.Chat', redirectUris: [REDIRECT], preset: 'rocketchat-login' });
});
afterAll(() => p.stop());

const exchange = (code: string, extra: Record<string, string> = {}) => postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: REDIRECT, grant_type: 'authorization_code', ...extra }, auth());

describe('redirect URIs', () => {
  test.each([
    ['unknown client', { client_id: 'nope', redirect_uri: REDIRECT }, /not registered/],
    ['unregistered redirect URI', { redirect_uri: 'https://evil.example.com/_oauth/hrm' }, /not registered for it/],
    ['redirect URI differing by a trailing slash', { redirect_uri: REDIRECT + '/' }, /not registered for it/],
    ['redirect URI differing only in case', { redirect_uri: REDIRECT.toUpperCase() }, /not registered for it/],
    ['missing client_id', { client_id: '' }, /client_id is missing/],
  ])('%s gets an error page, never a redirect', async (_name, override, message) => {
    const params: Record<string, string> = { client_id: c.client_id, redirect_uri: REDIRECT, state: 's', ...override };
    const res = await fetch(authorizeUrl(p.baseUrl, params), { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toMatch(message);
  });

  test('a token request with a different redirect_uri than the authorization request fails', async () => {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
    const res = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: 'https://chat.example.com/other', grant_type: 'authorization_code' }, auth());
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/invalid_(request|grant)/);
  });

  test('response_type other than code and unknown scopes are redirected back as errors (client and URI are valid)', async () => {
    const token = await authorizeWithForms(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's1', response_type: 'token' }), { username: 'alice', password: 'correct horse battery' });
    expect(token.searchParams.get('error')).toBe('unsupported_response_type');
    expect(token.searchParams.get('state')).toBe('s1');
    const scope = await authorizeWithForms(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's2', scope: 'read admin' }), { username: 'alice', password: 'correct horse battery' });
    expect(scope.searchParams.get('error')).toBe('invalid_scope');
  });
});

describe('authorization codes', () => {
  test('single use: a replay fails and revokes the tokens issued from the code', async () => {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
    const first = await exchange(code);
    expect(first.status).toBe(200);
    const replay = await exchange(code);
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe('invalid_grant');
    const me = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${first.json.access_token}` });
    expect(me.status).toBe(401);
    const refresh = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, auth());
    expect(refresh.json.error).toBe('invalid_grant');
  });

  test('20 parallel redemptions of one code give exactly one token', async () => {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
    const results = await Promise.all(Array.from({ length: 20 }, () => exchange(code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.json.error === 'invalid_grant')).toHaveLength(19);
    expect(await p.db.accessTokens.countDocuments({ familyId: digest(code) })).toBe(1);
  });

  test('codes expire (AUTHORIZATION_CODE_EXPIRE_SECONDS)', async () => {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
    await new Promise((r) => setTimeout(r, 2200));
    const res = await exchange(code);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/expired/) });
  });

  test("a code issued to another client is refused", async () => {
    const other = await p.createClient({ name: 'Other', redirectUris: [REDIRECT], preset: 'rocketchat-login' });
    const { code } = await obtainCode(p.baseUrl, { client_id: other.client_id, redirect_uri: REDIRECT, state: 's' });
    const res = await exchange(code);
    expect(res.json.error).toBe('invalid_grant');
  });
});

describe('refresh tokens', () => {
  async function freshTokens() {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
    return (await exchange(code)).json;
  }
  const refresh = (rt: string) => postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: rt }, auth());

  test('20 parallel uses of one refresh token rotate it exactly once: all get the same new pair', async () => {
    const t = await freshTokens();
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(t.refresh_token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(20);
    expect(new Set(results.map((r) => `${r.json.access_token} ${r.json.refresh_token}`)).size).toBe(1);
    expect(await p.db.refreshTokens.countDocuments({ parentId: digest(t.refresh_token) })).toBe(1);
  });

  test('reuse of a rotated refresh token after the grace window revokes the whole family', async () => {
    const t = await freshTokens();
    const next = (await refresh(t.refresh_token)).json;
    clock.advance(p.config.REFRESH_TOKEN_GRACE_SECONDS + 1);
    const reuse = await refresh(t.refresh_token);
    expect(reuse.json.error).toBe('invalid_grant');
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${next.access_token}` })).status).toBe(401);
    expect((await refresh(next.refresh_token)).json.error).toBe('invalid_grant');
    expect(p.logs.entries().some((e) => e.event === 'refresh_token_reuse')).toBe(true);
  });

  test('a refresh token of another client is refused', async () => {
    const t = await freshTokens();
    const other = await p.createClient({ name: 'Other2', redirectUris: [REDIRECT] });
    const res = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { authorization: basic(other.client_id, other.client_secret) });
    expect(res.json.error).toBe('invalid_grant');
  });
});

describe('PKCE', () => {
  test('plain is refused unless the client allows it', async () => {
    const verifier = pkcePair().verifier;
    const refused = await authorizeWithForms(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's', code_challenge: verifier, code_challenge_method: 'plain' }), { username: 'alice', password: 'correct horse battery' });
    expect(refused.searchParams.get('error')).toBe('invalid_request');
    const allowing = await p.createClient({ name: 'plain-ok', redirectUris: [REDIRECT], allowPlainPkce: true });
    const { code } = await obtainCode(p.baseUrl, { client_id: allowing.client_id, redirect_uri: REDIRECT, state: 's', code_challenge: verifier, code_challenge_method: 'plain' });
    const ok = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: REDIRECT, grant_type: 'authorization_code', code_verifier: verifier }, { authorization: basic(allowing.client_id, allowing.client_secret) });
    expect(ok.status).toBe(200);
  });

  test('a confidential client that asks for PKCE gets it demanded', async () => {
    const strict = await p.createClient({ name: 'strict', redirectUris: [REDIRECT], requirePkce: true });
    const back = await authorizeWithForms(authorizeUrl(p.baseUrl, { client_id: strict.client_id, redirect_uri: REDIRECT, state: 's' }), { username: 'alice', password: 'correct horse battery' });
    expect(back.searchParams.get('error_description')).toMatch(/Code challenge required/);
  });

  test('a verifier sent for a code issued without a challenge is refused', async () => {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
    const res = await exchange(code, { code_verifier: pkcePair().verifier });
    expect(res.json.error).toBe('invalid_grant');
  });
});

describe('storage', () => {
  test('client secrets, tokens and codes are stored only as digests', async () => {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
    const t = (await exchange(code)).json;
    const dump = JSON.stringify(await Promise.all([p.db.clients.find().toArray(), p.db.accessTokens.find().toArray(), p.db.refreshTokens.find().toArray(), p.db.codes.find().toArray()]));
    for (const secret of [c.client_secret, t.access_token, t.refresh_token, code]) expect(dump).not.toContain(secret);
    expect(await p.db.accessTokens.findOne({ _id: digest(t.access_token) })).not.toBeNull();
    const user = await p.db.users.findOne({ username: 'alice' });
    expect(user?.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(user)).not.toContain('correct horse battery');
  });
});

describe('login form', () => {
  test('a Mongo operator in a field is rejected, not executed', async () => {
    const http = new HttpSession();
    const page = await http.request(`${p.baseUrl}/accounts/login/`);
    const fields = hiddenFields(await page.text(), '/accounts/login/');
    const res = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, 'username[$ne]': 'x', 'password[$ne]': 'x' } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Enter your username and password/);
    expect(http.cookie('hrm_sso_session')).toBeUndefined(); // no session for a visitor who is not signed in
    const profile = await http.request(`${p.baseUrl}/o/authorize/?response_type=code&client_id=${c.client_id}&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(profile.headers.get('location')).toMatch(/^\/accounts\/login\//);
  });

  test('session cookie is HttpOnly and SameSite=Lax, and the id changes at login', async () => {
    const http = new HttpSession();
    const page = await http.request(`${p.baseUrl}/accounts/login/`);
    const setCookie = page.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/); // issuer is http in tests; Secure when https
    const before = http.cookie('hrm_sso_session');
    const fields = hiddenFields(await page.text(), '/accounts/login/');
    const ok = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: 'alice', password: 'correct horse battery' } });
    expect(ok.status).toBe(303);
    expect(http.cookie('hrm_sso_session')).not.toBe(before);
  });

  test('a login post without the CSRF token is refused and signs nobody in', async () => {
    const http = new HttpSession();
    await http.request(`${p.baseUrl}/accounts/login/`);
    const res = await http.request(`${p.baseUrl}/accounts/login/`, { form: { username: 'alice', password: 'correct horse battery', next: '/' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/form has expired/);
  });

  test('login attempts are rate limited per IP and username (counters in the database)', async () => {
    const http = new HttpSession();
    const page = await http.request(`${p.baseUrl}/accounts/login/`);
    const fields = hiddenFields(await page.text(), '/accounts/login/');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: 'bob', password: 'wrong password' } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(await p.db.rateLimits.countDocuments({ _id: { $regex: '^login-account:' } } as never)).toBeGreaterThan(0);
  });

  test('the consent page cannot be framed and sends no referrer', async () => {
    const res = await fetch(`${p.baseUrl}/accounts/login/`);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
