// The Apps-Engine OAuth2Client's request shapes (DESIGN.md): every token and refresh parameter in
// the query string of an empty-bodied POST, and revocation as POST ?token= without client auth.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, obtainCode, postForm } from '../support/oauth-requests';

const REDIRECT = 'https://chat.example.com/api/apps/public/app-id/hrm-callback';
let p: TestProvider;
let app: { client_id: string; client_secret: string };
let plain: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  app = await p.createClient({ name: 'HRM SSO app', redirectUris: [REDIRECT], preset: 'rocketchat-app' });
  plain = await p.createClient({ name: 'Generic', redirectUris: [REDIRECT], preset: 'generic' });
});
afterAll(() => p.stop());

/** Exactly what the engine sends: POST, no body, no content type, Accept: application/json. */
async function enginePost(path: string, query: Record<string, string>) {
  const res = await fetch(`${p.baseUrl}${path}?${new URLSearchParams(query)}`, { method: 'POST', headers: { accept: 'application/json' } });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function introspect(token: string) {
  return (await postForm(`${p.baseUrl}/o/introspect/`, { token }, { authorization: basic(app.client_id, app.client_secret) })).json;
}

test('code exchange, refresh and token-only revocation exactly as the engine sends them', async () => {
  const { code } = await obtainCode(p.baseUrl, { client_id: app.client_id, redirect_uri: REDIRECT, state: 'rc-user-id-1', scope: 'read write', access_type: 'offline' });
  const token = await enginePost('/o/token/', { client_id: app.client_id, client_secret: app.client_secret, code, redirect_uri: REDIRECT, grant_type: 'authorization_code', access_type: 'offline' });
  expect(token.status).toBe(200);
  expect(token.json).toMatchObject({ token_type: 'Bearer', scope: 'read write' });

  const refreshed = await enginePost('/o/token/', { client_id: app.client_id, client_secret: app.client_secret, redirect_uri: REDIRECT, refresh_token: token.json.refresh_token, grant_type: 'refresh_token' });
  expect(refreshed.status).toBe(200);
  expect(refreshed.json.access_token).not.toBe(token.json.access_token);

  const revoked = await enginePost('/o/revoke_token/', { token: refreshed.json.access_token });
  expect(revoked.status).toBe(200);
  expect(await introspect(refreshed.json.access_token)).toEqual({ active: false });
  expect(await introspect(refreshed.json.refresh_token)).toEqual({ active: false });
});

test('query-string credentials are refused for clients without the rocketchat-app flag', async () => {
  const { code } = await obtainCode(p.baseUrl, { client_id: plain.client_id, redirect_uri: REDIRECT, state: 's' });
  const res = await enginePost('/o/token/', { client_id: plain.client_id, client_secret: plain.client_secret, code, redirect_uri: REDIRECT, grant_type: 'authorization_code' });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('invalid_request');
  expect(res.json.error_description).toMatch(/query string/);
  // The code was not consumed by the refused request: the same code still works the RFC way.
  const ok = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: REDIRECT, grant_type: 'authorization_code' }, { authorization: basic(plain.client_id, plain.client_secret) });
  expect(ok.status).toBe(200);
});

test('token-only revocation is refused for tokens of clients without the flag', async () => {
  const { code } = await obtainCode(p.baseUrl, { client_id: plain.client_id, redirect_uri: REDIRECT, state: 's' });
  const token = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: REDIRECT, grant_type: 'authorization_code' }, { authorization: basic(plain.client_id, plain.client_secret) });
  const res = await enginePost('/o/revoke_token/', { token: token.json.access_token });
  expect(res.status).toBe(401);
  expect(res.json.error).toBe('invalid_client');
  const still = await postForm(`${p.baseUrl}/o/introspect/`, { token: token.json.access_token }, { authorization: basic(plain.client_id, plain.client_secret) });
  expect(still.json.active).toBe(true);
});

test('wrong secret in the query string is invalid_client', async () => {
  const res = await enginePost('/o/token/', { client_id: app.client_id, client_secret: 'nope', grant_type: 'client_credentials' });
  expect(res.status).toBe(401);
  expect(res.json.error).toBe('invalid_client');
});

test('no query string (secrets, codes, tokens) ever reaches the logs', async () => {
  const text = p.logs.text;
  expect(text).not.toContain(app.client_secret);
  expect(text).not.toContain('client_secret=');
  expect(text).not.toMatch(/[?&](code|token|refresh_token)=/);
  // Requests are logged, by path only.
  expect(p.logs.entries().some((e: any) => e.req?.path === '/o/token/')).toBe(true);
});
