// Standard clients, with simple-oauth2 as the independent client implementation:
// authorization code with S256 PKCE, refresh, client credentials; client_secret_basic and _post.
import { AuthorizationCode, ClientCredentials } from 'simple-oauth2';
import { startTestProvider, type TestProvider } from '../support/provider';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { basic, getJson, pkcePair, postForm, obtainCode } from '../support/oauth-requests';

const REDIRECT = 'http://127.0.0.1:9/callback';
let p: TestProvider;

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
});
afterAll(() => p.stop());

function oauthConfig(id: string, secret: string, authorizationMethod: 'header' | 'body', withAuthorize = true) {
  return {
    client: { id, secret },
    auth: { tokenHost: p.baseUrl, tokenPath: '/o/token/', revokePath: '/o/revoke_token/', ...(withAuthorize ? { authorizePath: '/o/authorize/' } : {}) },
    options: { authorizationMethod, bodyFormat: 'form' as const },
  };
}

test.each(['header', 'body'] as const)('simple-oauth2 authorization code with S256 PKCE and refresh (client_secret_%s)', async (method) => {
  const c = await p.createClient({ name: `std-${method}`, redirectUris: [REDIRECT] });
  const client = new AuthorizationCode(oauthConfig(c.client_id, c.client_secret, method));
  const { verifier, challenge } = pkcePair();
  const url = client.authorizeURL({ redirect_uri: REDIRECT, scope: 'read', state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256' } as any);
  const back = await authorizeWithForms(url, { username: 'alice', password: 'correct horse battery' });
  const token = await client.getToken({ code: back.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier } as any);
  expect(token.token.scope).toBe('read');
  const me = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${token.token.access_token}` });
  expect(me.json.username).toBe('alice');

  const refreshed = await token.refresh();
  expect(refreshed.token.access_token).not.toBe(token.token.access_token);
  const me2 = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${refreshed.token.access_token}` });
  expect(me2.status).toBe(200);
  await refreshed.revokeAll();
  const gone = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${refreshed.token.access_token}` });
  expect(gone.status).toBe(401);
});

test('simple-oauth2 client credentials', async () => {
  const c = await p.createClient({ name: 'service', redirectUris: [], grants: ['client_credentials'] });
  const client = new ClientCredentials(oauthConfig(c.client_id, c.client_secret, 'header', false));
  const token = await client.getToken({ scope: 'read' });
  expect(token.token).toMatchObject({ token_type: 'Bearer', scope: 'read' });
  expect(token.token.refresh_token).toBeUndefined();
  const info = await postForm(`${p.baseUrl}/o/introspect/`, { token: token.token.access_token as string }, { authorization: basic(c.client_id, c.client_secret) });
  expect(info.json).toMatchObject({ active: true, client_id: c.client_id, sub: c.client_id });
  // A client token has no user behind it: userinfo refuses it.
  const me = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${token.token.access_token}` });
  expect(me.status).toBe(401);
});

test('a public client must use PKCE and authenticates with client_id only', async () => {
  const c = await p.createClient({ name: 'spa', redirectUris: [REDIRECT], type: 'public' });
  expect(c.client_secret).toBe('');
  const noPkce = await authorizeWithForms(`${p.baseUrl}/o/authorize/?response_type=code&client_id=${c.client_id}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=a`, { username: 'alice', password: 'correct horse battery' });
  expect(noPkce.searchParams.get('error')).toBe('invalid_request');
  expect(noPkce.searchParams.get('error_description')).toMatch(/Code challenge required/);
  const { verifier, challenge } = pkcePair();
  const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 'b', code_challenge: challenge, code_challenge_method: 'S256' });
  const token = await postForm(`${p.baseUrl}/o/token/`, { client_id: c.client_id, code, redirect_uri: REDIRECT, grant_type: 'authorization_code', code_verifier: verifier });
  expect(token.status).toBe(200);
  const refreshed = await postForm(`${p.baseUrl}/o/token/`, { client_id: c.client_id, grant_type: 'refresh_token', refresh_token: token.json.refresh_token });
  expect(refreshed.status).toBe(200);
});

test('password grant only for clients that opt in', async () => {
  const optedIn = await p.createClient({ name: 'legacy', redirectUris: [], grants: ['password', 'refresh_token'] });
  const ok = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'alice', password: 'correct horse battery', scope: 'read' }, { authorization: basic(optedIn.client_id, optedIn.client_secret) });
  expect(ok.status).toBe(200);
  expect(ok.json.refresh_token).toBeDefined();
  const wrong = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'alice', password: 'nope nope nope', scope: 'read' }, { authorization: basic(optedIn.client_id, optedIn.client_secret) });
  expect(wrong.status).toBe(400);
  expect(wrong.json.error).toBe('invalid_grant');
  const std = await p.createClient({ name: 'std', redirectUris: [REDIRECT] });
  const refused = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'alice', password: 'correct horse battery' }, { authorization: basic(std.client_id, std.client_secret) });
  expect(refused.status).toBe(400);
  expect(refused.json.error).toBe('unauthorized_client');
});

test('metadata (RFC 8414) lists endpoints, grants, auth methods, scopes and PKCE methods', async () => {
  for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    const m = await getJson(`${p.baseUrl}${path}`);
    expect(m.status).toBe(200);
    expect(m.json).toMatchObject({
      issuer: p.baseUrl,
      authorization_endpoint: `${p.baseUrl}/o/authorize/`,
      token_endpoint: `${p.baseUrl}/o/token/`,
      revocation_endpoint: `${p.baseUrl}/o/revoke_token/`,
      introspection_endpoint: `${p.baseUrl}/o/introspect/`,
      userinfo_endpoint: `${p.baseUrl}/api/v2/o/userinfo/`,
      response_types_supported: ['code', 'code id_token'],
      scopes_supported: ['read', 'write', 'openid', 'profile', 'email', 'hr', 'hrm'],
      code_challenge_methods_supported: expect.arrayContaining(['S256']),
      token_endpoint_auth_methods_supported: expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
      grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    });
  }
});
