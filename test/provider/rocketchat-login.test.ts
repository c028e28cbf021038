// Rocket.Chat Custom OAuth, exactly as its server sends requests (DESIGN.md):
// "Token Sent Via: Header" and "Payload", identity by Bearer header or ?access_token, with and without S256 PKCE.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, pkcePair, postForm } from '../support/oauth-requests';

const REDIRECT = 'https://chat.example.com/_oauth/hrm';
let p: TestProvider;
let client: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery', department: 'Finance', jobTitle: 'Controller' });
  client = await p.createClient({ name: 'Rocket.Chat', redirectUris: [REDIRECT], preset: 'rocketchat-login' });
});
afterAll(() => p.stop());

async function introspect(token: string) {
  return postForm(`${p.baseUrl}/o/introspect/`, { token }, { authorization: basic(client.client_id, client.client_secret) });
}

async function fullCycle(mode: 'header' | 'payload', pkce: boolean) {
  const state = `meteor-state-${mode}-${pkce}`;
  const { verifier, challenge } = pkcePair();
  const extra: Record<string, string> = pkce ? { code_challenge: challenge, code_challenge_method: 'S256' } : {};
  const { code, back } = await obtainCode(p.baseUrl, { client_id: client.client_id, redirect_uri: REDIRECT, state, scope: 'read write', ...extra });
  expect(back.origin + back.pathname).toBe(REDIRECT);
  expect(back.searchParams.get('state')).toBe(state);

  const form: Record<string, string> = { code, redirect_uri: REDIRECT, grant_type: 'authorization_code', state };
  if (pkce) form.code_verifier = verifier;
  const headers: Record<string, string> = {};
  if (mode === 'header') headers.authorization = basic(client.client_id, client.client_secret);
  else Object.assign(form, { client_id: client.client_id, client_secret: client.client_secret });
  const token = await postForm(`${p.baseUrl}/o/token/`, form, headers);
  expect(token.status).toBe(200);
  expect(token.headers.get('cache-control')).toBe('no-store');
  expect(token.json).toMatchObject({ token_type: 'Bearer', scope: 'read write' });
  expect(token.json.expires_in).toBeGreaterThan(35990);
  expect(typeof token.json.access_token).toBe('string');

  const identity =
    mode === 'header'
      ? await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${token.json.access_token}` })
      : await getJson(`${p.baseUrl}/api/v2/o/userinfo/?access_token=${encodeURIComponent(token.json.access_token)}`);
  expect(identity.status).toBe(200);
  expect(identity.json).toMatchObject({ username: 'alice', preferred_username: 'alice', email: 'alice@example.com', email_verified: true, name: 'Alice Smith', given_name: 'Alice', family_name: 'Smith', department: 'Finance', job_title: 'Controller' });
  expect(typeof identity.json.id).toBe('string');
  expect(identity.json.id).toBe(identity.json.sub);

  const refreshed = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: token.json.refresh_token }, { authorization: basic(client.client_id, client.client_secret) });
  expect(refreshed.status).toBe(200);
  expect(refreshed.json.refresh_token).not.toBe(token.json.refresh_token);
  // Rotation retires the old refresh token; the old access token runs to its expiry (as in
  // node-oidc-provider), so a request already using it is not broken by a concurrent refresh.
  expect((await introspect(token.json.refresh_token)).json).toEqual({ active: false });
  expect((await introspect(refreshed.json.access_token)).json).toMatchObject({ active: true, client_id: client.client_id, username: 'alice', scope: 'read write' });

  const revoked = await postForm(`${p.baseUrl}/o/revoke_token/`, { token: refreshed.json.access_token, token_type_hint: 'access_token' }, { authorization: basic(client.client_id, client.client_secret) });
  expect(revoked.status).toBe(200);
  expect((await introspect(refreshed.json.access_token)).json).toEqual({ active: false });
  expect((await introspect(refreshed.json.refresh_token)).json).toEqual({ active: false });
  const after = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${refreshed.json.access_token}` });
  expect(after.status).toBe(401);
  expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
}

test('Token Sent Via: Header (HTTP Basic), identity by Bearer header, no PKCE', () => fullCycle('header', false));
test('Token Sent Via: Header with S256 PKCE (newer Passport-based servers)', () => fullCycle('header', true));
test('Token Sent Via: Payload (client_id/client_secret in the body), identity via ?access_token', () => fullCycle('payload', false));
test('Token Sent Via: Payload with S256 PKCE', () => fullCycle('payload', true));

test('userinfo is served at the DOT path /o/userinfo/ too, and without a token answers 401 with a Bearer challenge', async () => {
  const none = await getJson(`${p.baseUrl}/o/userinfo/`);
  expect(none.status).toBe(401);
  expect(none.headers.get('www-authenticate')).toBe('Bearer realm="hrm"');
  const bogus = await getJson(`${p.baseUrl}/o/userinfo/`, { authorization: 'Bearer not-a-token' });
  expect(bogus.status).toBe(401);
  expect(bogus.json.error).toBe('invalid_token');
});

test('a PKCE verifier that does not match is invalid_grant', async () => {
  const { challenge } = pkcePair();
  const { code } = await obtainCode(p.baseUrl, { client_id: client.client_id, redirect_uri: REDIRECT, state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
  const res = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: REDIRECT, grant_type: 'authorization_code', code_verifier: pkcePair().verifier }, { authorization: basic(client.client_id, client.client_secret) });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('invalid_grant');
  expect(res.json.error_description).toMatch(/verifier/);
});

test('the provider logs why a token request failed, without the secret (Rocket.Chat discards the body)', async () => {
  const res = await postForm(`${p.baseUrl}/o/token/`, { code: 'x', redirect_uri: REDIRECT, grant_type: 'authorization_code' }, { authorization: basic(client.client_id, 'wrong-secret-value') });
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toContain('Basic');
  const line = p.logs.entries().find((e) => e.event === 'token_error' && e.error === 'invalid_client');
  expect(line).toMatchObject({ clientId: client.client_id, reason: 'Wrong client secret.' });
  expect(p.logs.text).not.toContain('wrong-secret-value');
  expect(p.logs.text).not.toContain(client.client_secret);
});
