// A real relying party (openid-client 5, panva) against the provider: discovery → code + PKCE →
// ID token checked against the JWKS (signature, nonce, at_hash) → userinfo → refresh → end
// session; the hybrid flow; prompt, max_age, login_hint, the claims parameter; and bad input.
import { TokenSet, type BaseClient } from 'openid-client';
import { startTestProvider, type TestProvider } from '../support/provider';
import { ClientStore } from '../../provider/src/store/clients';
import { HttpSession, hiddenFields } from '../support/http-session';
import { getJson } from '../support/oauth-requests';
import { ALICE, discoverClient, jwtPayload, loginAndReturn, returnedParams, startLogin } from './support';

const REDIRECT = 'http://127.0.0.1:9/cb';
const BYE = 'http://127.0.0.1:9/bye';
let p: TestProvider;
let rp: BaseClient;
let clientId: string;
let aliceId: string;

beforeAll(async () => {
  p = await startTestProvider();
  aliceId = (await p.createUser({ ...ALICE, email: 'alice@example.com', name: 'Alice Smith', department: 'Finance', jobTitle: 'Controller' })).id;
  const c = await p.createClient({ name: 'Grafana', preset: 'oidc-web', redirectUris: [REDIRECT], postLogoutRedirectUris: [BYE], revokeTokensOnLogout: true });
  clientId = c.client_id;
  rp = await discoverClient(p.baseUrl, { client_id: c.client_id, client_secret: c.client_secret, redirect_uris: [REDIRECT], post_logout_redirect_uris: [BYE], response_types: ['code'] });
});
afterAll(async () => {
  await p?.stop();
});

/** A signed-in, consented session and its first token set. */
async function signIn(session = new HttpSession(), extra: Record<string, string> = {}) {
  const { url, checks } = startLogin(rp, extra);
  const back = await loginAndReturn(url, session);
  const tokens = await rp.callback(REDIRECT, returnedParams(back), checks);
  return { session, tokens, checks };
}

test('discovery: the same document at every path, OIDC fields, S256 only, a JWKS with kid and no private parts', async () => {
  const docs = await Promise.all(['/.well-known/openid-configuration', '/o/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'].map((path) => getJson(`${p.baseUrl}${path}`)));
  for (const d of docs) expect(d.json).toEqual(docs[0].json);
  const m = docs[0].json;
  expect(m).toMatchObject({
    issuer: p.baseUrl,
    jwks_uri: `${p.baseUrl}/o/.well-known/jwks.json`,
    end_session_endpoint: `${p.baseUrl}/o/logout/`,
    userinfo_endpoint: `${p.baseUrl}/api/v2/o/userinfo/`,
    response_types_supported: ['code', 'code id_token'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    code_challenge_methods_supported: ['S256'],
    claims_parameter_supported: true,
    subject_types_supported: ['public'],
  });
  expect(m.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'hr']));
  expect(m.claims_supported).toEqual(expect.arrayContaining(['sub', 'auth_time', 'amr', 'nonce', 'email', 'department', 'job_title', 'id', 'username']));
  expect(m.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
  expect(m.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
  const jwks = await getJson(m.jwks_uri);
  expect(jwks.status).toBe(200);
  expect(jwks.json.keys).toHaveLength(1);
  expect(jwks.json.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
  for (const k of jwks.json.keys) for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(k).not.toHaveProperty(privatePart);
});

test('"plain" PKCE is advertised only while a client may use it', async () => {
  const plain = await p.createClient({ name: 'legacy', redirectUris: [REDIRECT], allowPlainPkce: true });
  expect((await getJson(`${p.baseUrl}/.well-known/openid-configuration`)).json.code_challenge_methods_supported).toEqual(['S256', 'plain']);
  await p.running.services.clients.delete(plain.client_id);
  expect((await getJson(`${p.baseUrl}/.well-known/openid-configuration`)).json.code_challenge_methods_supported).toEqual(['S256']);
});

test('the discovery document does not ask the database per request; a client change elsewhere shows within CLIENT_CACHE_SECONDS (issue 20 E)', async () => {
  const discovery = () => getJson(`${p.baseUrl}/.well-known/openid-configuration`).then((r) => r.json.code_challenge_methods_supported);
  const clientReads: string[] = [];
  const watch = (e: { commandName: string; command: Record<string, unknown> }) => {
    if (e.command[e.commandName] === 'clients') clientReads.push(e.commandName);
  };
  expect(await discovery()).toEqual(['S256']);
  p.db.client.on('commandStarted', watch);
  try {
    for (let i = 0; i < 5; i++) expect(await discovery()).toEqual(['S256']);
  } finally {
    p.db.client.off('commandStarted', watch);
  }
  expect(clientReads).toEqual([]);
  // Another process (the CLI) allows plain PKCE: seen once the cached answer has aged out.
  const elsewhere = new ClientStore(p.db);
  const legacy = await elsewhere.create({ name: 'legacy elsewhere', redirectUris: [REDIRECT], allowPlainPkce: true });
  const until = Date.now() + (p.config.CLIENT_CACHE_SECONDS + 5) * 1000;
  while ((await discovery()).length === 1) {
    if (Date.now() > until) throw new Error('the change never showed');
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await discovery()).toEqual(['S256', 'plain']);
  // A change in this process shows at once.
  await p.running.services.clients.delete(legacy.client._id);
  expect(await discovery()).toEqual(['S256']);
});

test('code + PKCE → ID token verified by openid-client (JWKS signature, nonce, at_hash) → userinfo → refresh → end session', async () => {
  const { session, tokens, checks } = await signIn();
  // callback() already verified the signature against the JWKS, iss, aud, exp, nonce and at_hash.
  const claims = tokens.claims();
  expect(claims).toMatchObject({ iss: p.baseUrl, sub: aliceId, aud: clientId, azp: clientId, nonce: checks.nonce, email: 'alice@example.com', name: 'Alice Smith' });
  expect(typeof claims.at_hash).toBe('string');
  expect(Math.abs(claims.auth_time! - Date.now() / 1000)).toBeLessThan(300);
  expect(claims.exp - claims.iat).toBe(3600);
  expect(claims.amr).toEqual(['pwd']); // RFC 8176: password only
  expect(claims).not.toHaveProperty('department'); // hr scope not asked for

  const info = await rp.userinfo(tokens);
  expect(info).toEqual({ sub: aliceId, name: 'Alice Smith', given_name: 'Alice', family_name: 'Smith', preferred_username: 'alice', updated_at: expect.any(Number), email: 'alice@example.com', email_verified: true });
  expect(info).not.toHaveProperty('id'); // OIDC shape, not the DOT-style body

  // Refresh: a new ID token for the same user and authentication, without the nonce (OIDC Core §12.2).
  const refreshed = await rp.refresh(tokens);
  expect(refreshed.id_token).toBeDefined();
  expect(refreshed.claims()).toMatchObject({ sub: aliceId, aud: clientId, auth_time: claims.auth_time, amr: ['pwd'] });
  expect(refreshed.claims()).not.toHaveProperty('nonce');

  // RP-initiated logout with the hint: no confirmation, back to the registered URI with state.
  const logout = await session.request(rp.endSessionUrl({ id_token_hint: refreshed.id_token!, post_logout_redirect_uri: BYE, state: 'bye-1' }));
  expect(logout.status).toBe(303);
  expect(logout.headers.get('location')).toBe(`${BYE}?state=bye-1`);
  // The client revokes on logout: its tokens for Alice are gone.
  await expect(rp.userinfo(refreshed)).rejects.toThrow(/invalid_token/);
  await expect(rp.refresh(refreshed)).rejects.toThrow(/invalid_grant/);
  // The provider session is over: prompt=none now answers login_required.
  const again = startLogin(rp, { prompt: 'none' });
  const res = await session.request(again.url);
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  await expect(rp.callback(REDIRECT, returnedParams(back), again.checks)).rejects.toMatchObject({ error: 'login_required' });
});

test('a tampered ID token and a wrong nonce are refused by the relying party', async () => {
  const { tokens, checks } = await signIn();
  const [h, body, sig] = tokens.id_token!.split('.');
  const forged = { ...jwtPayload(tokens.id_token!), sub: 'someone-else' };
  const tampered = [h, Buffer.from(JSON.stringify(forged)).toString('base64url'), sig].join('.');
  // validateIdToken is the check callback() runs; openid-client's types leave it untyped.
  const validate = (rp as unknown as { validateIdToken(t: TokenSet, nonce: string, by: string): Promise<unknown> }).validateIdToken.bind(rp);
  await expect(validate(new TokenSet({ ...tokens, id_token: tampered }), checks.nonce, 'token')).rejects.toThrow(/signature/i);
  expect(body).not.toBe(Buffer.from(JSON.stringify(forged)).toString('base64url'));

  const session = new HttpSession();
  const login = startLogin(rp);
  const back = await loginAndReturn(login.url, session);
  await expect(rp.callback(REDIRECT, returnedParams(back), { ...login.checks, nonce: 'not-the-nonce-we-sent' })).rejects.toThrow(/nonce mismatch/);
});

test('prompt=none: login_required without a session, consent_required without consent, a code with both', async () => {
  const anon = startLogin(rp, { prompt: 'none' });
  const res = await new HttpSession().request(anon.url);
  expect(res.status).toBe(302);
  const params = returnedParams(new URL(res.headers.get('location')!));
  expect(params).toMatchObject({ error: 'login_required', state: anon.checks.state });

  const { session } = await signIn();
  const other = await p.createClient({ name: 'Other', preset: 'oidc-web', redirectUris: [REDIRECT] });
  const otherRp = await discoverClient(p.baseUrl, { client_id: other.client_id, client_secret: other.client_secret, redirect_uris: [REDIRECT] });
  const noConsent = startLogin(otherRp, { prompt: 'none' });
  const r2 = await session.request(noConsent.url);
  expect(returnedParams(new URL(r2.headers.get('location')!))).toMatchObject({ error: 'consent_required' });

  const silent = startLogin(rp, { prompt: 'none' });
  const r3 = await session.request(silent.url);
  const tokens = await rp.callback(REDIRECT, returnedParams(new URL(r3.headers.get('location')!)), silent.checks);
  expect(tokens.claims().sub).toBe(aliceId);
});

test('prompt=login and max_age make a signed-in user sign in again; login_hint pre-fills the username', async () => {
  const { session, tokens: first } = await signIn();
  const forced = startLogin(rp, { prompt: 'login', login_hint: 'alice' });
  const res = await session.request(forced.url);
  expect(res.status).toBe(302);
  const login = new URL(res.headers.get('location')!, p.baseUrl);
  expect(login.pathname).toBe('/accounts/login/');
  expect(login.searchParams.get('next')).not.toMatch(/prompt=login/); // no loop after signing in
  const page = await (await session.request(login)).text();
  expect(page).toMatch(/name="username"[^>]*value="alice"/);
  await new Promise((r) => setTimeout(r, 1100)); // auth_time has one-second resolution
  const back = await loginAndReturn(forced.url, session);
  const again = await rp.callback(REDIRECT, returnedParams(back), forced.checks);
  expect(again.claims().auth_time!).toBeGreaterThan(first.claims().auth_time!);

  // max_age: a sign-in older than max_age seconds must be repeated (3 s: room for a loaded machine).
  await new Promise((r) => setTimeout(r, 3100));
  const aged = startLogin(rp, { max_age: '3' });
  const r2 = await session.request(aged.url);
  expect(new URL(r2.headers.get('location')!, p.baseUrl).pathname).toBe('/accounts/login/');
  const back2 = await loginAndReturn(aged.url, session);
  const t2 = await rp.callback(REDIRECT, returnedParams(back2), { ...aged.checks, max_age: 3 });
  expect(t2.claims().auth_time).toBeGreaterThan(again.claims().auth_time!);
  // prompt=none with an old sign-in is login_required.
  await new Promise((r) => setTimeout(r, 1100));
  const silentAged = startLogin(rp, { prompt: 'none', max_age: '1' });
  const r3 = await session.request(silentAged.url);
  expect(returnedParams(new URL(r3.headers.get('location')!))).toMatchObject({ error: 'login_required' });
});

test('prompt=consent shows the consent page even after consent', async () => {
  const { session } = await signIn();
  const ask = startLogin(rp, { prompt: 'consent' });
  const res = await session.request(ask.url);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('action="/o/authorize/"');
});

test('the claims parameter: essential and voluntary members in the ID token and userinfo, named on the consent page', async () => {
  const claims = JSON.stringify({ id_token: { department: { essential: true }, email: null }, userinfo: { job_title: null, unknown_claim: null } });
  const session = new HttpSession();
  await signIn(session); // consent for openid profile email exists; the extra claims must still be asked for
  const ask = startLogin(rp, { scope: 'openid', claims });
  const res = await session.request(ask.url);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toMatch(/See these details about you as well: job_title, department, email\./);
  const back = await loginAndReturn(ask.url, session);
  const tokens = await rp.callback(REDIRECT, returnedParams(back), ask.checks);
  expect(tokens.claims()).toMatchObject({ sub: aliceId, department: 'Finance', email: 'alice@example.com' });
  expect(tokens.claims()).not.toHaveProperty('job_title');
  expect(await rp.userinfo(tokens)).toEqual({ sub: aliceId, job_title: 'Controller' });
});

test('the HR scope releases department and job title', async () => {
  const { tokens } = await signIn(new HttpSession(), { scope: 'openid hr' });
  expect(tokens.claims()).toMatchObject({ department: 'Finance', job_title: 'Controller' });
  expect(await rp.userinfo(tokens)).toEqual({ sub: aliceId, department: 'Finance', job_title: 'Controller' });
});

test('hybrid code id_token: the front-channel ID token (c_hash, nonce) and the code exchange both verify', async () => {
  const hybrid = await discoverClient(p.baseUrl, { client_id: clientId, client_secret: rp.client_secret as string, redirect_uris: [REDIRECT], response_types: ['code id_token'] });
  const login = startLogin(hybrid, { response_type: 'code id_token' });
  const back = await loginAndReturn(login.url);
  expect(back.search).toBe(''); // everything in the fragment
  const params = returnedParams(back);
  expect(params).toMatchObject({ code: expect.any(String), id_token: expect.any(String), state: login.checks.state });
  expect(jwtPayload(params.id_token)).toMatchObject({ nonce: login.checks.nonce, c_hash: expect.any(String), sub: aliceId });
  // Profile data stays out of the URL: the front-channel ID token carries no scope claims.
  expect(jwtPayload(params.id_token)).not.toHaveProperty('email');
  const tokens = await hybrid.callback(REDIRECT, params, login.checks);
  expect(tokens.claims()).toMatchObject({ sub: aliceId, nonce: login.checks.nonce, email: 'alice@example.com' });
  // The hybrid flow needs a nonce.
  const noNonce = new URL(login.url);
  noNonce.searchParams.delete('nonce');
  const r = await new HttpSession().request(noNonce);
  expect(returnedParams(new URL(r.headers.get('location')!))).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/nonce is required/) });
});

test.each(['token', 'id_token token', 'code token', 'code id_token token'])('response_type=%s is refused with unsupported_response_type citing RFC 9700', async (responseType) => {
  const { url } = startLogin(rp, { response_type: responseType });
  const res = await new HttpSession().request(url);
  expect(res.status).toBe(302);
  const params = returnedParams(new URL(res.headers.get('location')!));
  expect(params.error).toBe('unsupported_response_type');
  expect(params.error_description).toMatch(/RFC 9700/);
  expect(params).not.toHaveProperty('access_token');
});

test('malformed OIDC parameters get clear errors, never a 5xx', async () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ claims: '{not json' }, /not valid JSON/],
    [{ claims: '[1,2]' }, /must be a JSON object/],
    [{ claims: '{"id_token":{"email":{"essential":"yes"}}}' }, /essential must be true or false/],
    [{ claims: '{"userinfo":"email"}' }, /claims\.userinfo must be a JSON object/],
    [{ prompt: 'none login' }, /cannot be combined/],
    [{ prompt: 'sometimes' }, /Unknown prompt value/],
    [{ max_age: '-5' }, /max_age must be a whole number/],
    [{ nonce: 'n'.repeat(600) }, /nonce is too long/],
    [{ request: 'eyJ.x.y' }, /request objects\) is not supported/],
  ];
  for (const [extra, message] of cases) {
    const { url } = startLogin(rp, extra);
    const res = await new HttpSession().request(url);
    expect(res.status).toBe(302);
    const params = returnedParams(new URL(res.headers.get('location')!));
    expect(params.error).toMatch(/invalid_request|request_not_supported/);
    expect(params.error_description).toMatch(message);
  }
});

test('userinfo keeps the DOT-style body for Rocket.Chat clients and for OAuth-only (no openid) requests', async () => {
  const rc = await p.createClient({ name: 'Rocket.Chat', preset: 'rocketchat-login', redirectUris: [REDIRECT], skipAuthorization: true });
  const rcRp = await discoverClient(p.baseUrl, { client_id: rc.client_id, client_secret: rc.client_secret, redirect_uris: [REDIRECT] });
  for (const scope of ['openid profile email', 'read write']) {
    const login = startLogin(rcRp, { scope });
    const back = await loginAndReturn(login.url);
    const tokens = scope.includes('openid') ? await rcRp.callback(REDIRECT, returnedParams(back), login.checks) : await rcRp.oauthCallback(REDIRECT, returnedParams(back), login.checks);
    const info = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${tokens.access_token}` });
    // The DOT-style body, its fields limited by the scopes (oauth/scopes.ts): hr/read bring the HR fields.
    expect(info.json).toMatchObject({ id: aliceId, sub: aliceId, username: 'alice', email: 'alice@example.com' });
    if (scope === 'read write') expect(info.json).toMatchObject({ department: 'Finance' });
    else expect(info.json).not.toHaveProperty('department');
  }
});

describe('RP-initiated logout', () => {
  test('without a hint, a confirmation page; confirming ends the session and returns to the registered URI', async () => {
    const { session } = await signIn();
    const url = `${p.baseUrl}/o/logout/?client_id=${clientId}&post_logout_redirect_uri=${encodeURIComponent(BYE)}&state=s1`;
    const page = await session.request(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Sign out of');
    // Just following the link changed nothing: the session still works.
    const silent = startLogin(rp, { prompt: 'none' });
    expect(returnedParams(new URL((await session.request(silent.url)).headers.get('location')!))).toHaveProperty('code');
    // A forged confirmation without the CSRF token is refused.
    const fields = hiddenFields(html, '/o/logout/');
    const forged = await session.request(`${p.baseUrl}/o/logout/`, { form: { ...fields, _csrf: 'x', confirm: 'yes' } });
    expect(forged.status).toBe(403);
    const done = await session.request(`${p.baseUrl}/o/logout/`, { form: { ...fields, confirm: 'yes' } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${BYE}?state=s1`);
    const after = startLogin(rp, { prompt: 'none' });
    expect(returnedParams(new URL((await session.request(after.url)).headers.get('location')!))).toMatchObject({ error: 'login_required' });
  });

  test('an unregistered post_logout_redirect_uri, a mismatched client or a forged hint: an error page, no redirect, session kept', async () => {
    const { session, tokens } = await signIn();
    const other = await p.createClient({ name: 'Other RP', preset: 'oidc-web', redirectUris: [REDIRECT], postLogoutRedirectUris: [BYE] });
    const [h, b] = tokens.id_token!.split('.');
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://evil.example/bye' }, /not registered/],
      [{ id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${BYE}/` }, /not registered/],
      [{ client_id: clientId, post_logout_redirect_uri: 'http://127.0.0.1:9/other' }, /not registered/],
      [{ post_logout_redirect_uri: BYE }, /without saying which application/],
      [{ id_token_hint: tokens.id_token!, client_id: other.client_id }, /does not match/],
      [{ id_token_hint: `${h}.${b}.AAAA` }, /did not issue/],
      [{ id_token_hint: 'garbage' }, /did not issue/],
      [{ client_id: 'no-such-client' }, /not registered with this sign-in service/],
    ];
    for (const [params, message] of bad) {
      const res = await session.request(`${p.baseUrl}/o/logout/?${new URLSearchParams(params)}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toMatch(message);
    }
    const dup = await session.request(`${p.baseUrl}/o/logout/?state=a&state=b`);
    expect(dup.status).toBe(400);
    const silent = startLogin(rp, { prompt: 'none' });
    expect(returnedParams(new URL((await session.request(silent.url)).headers.get('location')!))).toHaveProperty('code');
  });

  test("a client that does not revoke on logout keeps its tokens; the provider session still ends", async () => {
    const keep = await p.createClient({ name: 'Keeper', preset: 'oidc-web', redirectUris: [REDIRECT], postLogoutRedirectUris: [BYE], skipAuthorization: true });
    const keepRp = await discoverClient(p.baseUrl, { client_id: keep.client_id, client_secret: keep.client_secret, redirect_uris: [REDIRECT], post_logout_redirect_uris: [BYE] });
    const session = new HttpSession();
    const login = startLogin(keepRp);
    const tokens = await keepRp.callback(REDIRECT, returnedParams(await loginAndReturn(login.url, session)), login.checks);
    const res = await session.request(keepRp.endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: BYE }));
    expect(res.headers.get('location')).toBe(BYE);
    expect((await keepRp.userinfo(tokens)).sub).toBe(aliceId);
    const after = startLogin(keepRp, { prompt: 'none' });
    expect(returnedParams(new URL((await session.request(after.url)).headers.get('location')!))).toMatchObject({ error: 'login_required' });
  });
});

test('no log line carries an ID token, a code or the claims of a token', () => {
  const all = p.logs.text;
  expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  expect(all).not.toMatch(/code=/);
});
