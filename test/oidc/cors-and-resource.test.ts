// DOT's wider surface, part 1: per-client CORS (allowed origins, https only, judged per client on
// token, revocation and userinfo, preflights) and RFC 9728 protected-resource metadata.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, postForm } from '../support/oauth-requests';
import { hiddenFields } from '../support/http-session';
import { runCli } from '../cli/run-cli';
import { ALICE, discoverClient, loginAndReturn, returnedParams, signedInSession, startLogin } from './support';

const REDIRECT = 'http://127.0.0.1:9/cb';
const SPA = 'https://spa.example.com';
const EVIL = 'https://evil.example.com';
let p: TestProvider;
let spa: { client_id: string; client_secret: string };
let other: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ ...ALICE, email: 'alice@example.com', name: 'Alice Smith', admin: true });
  spa = await p.createClient({ name: 'SPA', type: 'public', redirectUris: [REDIRECT], allowedOrigins: [SPA], skipAuthorization: true });
  other = await p.createClient({ name: 'Other', redirectUris: [REDIRECT], grants: ['authorization_code', 'client_credentials'] });
});
afterAll(async () => {
  await p?.stop();
});

async function options(path: string, origin: string) {
  return fetch(`${p.baseUrl}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
}

test('preflight: 204 with the CORS headers for a registered origin, 403 without them for any other', async () => {
  for (const path of ['/o/token/', '/o/revoke_token/', '/api/v2/o/userinfo/']) {
    const ok = await options(path, SPA);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    const bad = await options(path, EVIL);
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    expect((await bad.json()).error_description).toMatch(/not registered/);
  }
});

test('token, userinfo and revocation answer the SPA origin only for the client that registered it', async () => {
  const rp = await discoverClient(p.baseUrl, { client_id: spa.client_id, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  const login = startLogin(rp);
  const back = returnedParams(await loginAndReturn(login.url));
  // The code exchange from the browser app's origin.
  const exchange = await fetch(`${p.baseUrl}/o/token/`, {
    method: 'POST',
    headers: { origin: SPA, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: back.code, redirect_uri: REDIRECT, client_id: spa.client_id, code_verifier: login.checks.code_verifier }),
  });
  expect(exchange.status).toBe(200);
  expect(exchange.headers.get('access-control-allow-origin')).toBe(SPA);
  const tokens = await exchange.json();
  expect(tokens.id_token).toBeDefined();

  const info = await fetch(`${p.baseUrl}/api/v2/o/userinfo/`, { headers: { origin: SPA, authorization: `Bearer ${tokens.access_token}` } });
  expect(info.status).toBe(200);
  expect(info.headers.get('access-control-allow-origin')).toBe(SPA);
  const infoEvil = await fetch(`${p.baseUrl}/api/v2/o/userinfo/`, { headers: { origin: EVIL, authorization: `Bearer ${tokens.access_token}` } });
  expect(infoEvil.headers.get('access-control-allow-origin')).toBeNull();

  // Another client's request from the SPA's origin gets no CORS header: origins are per client.
  const cc = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, { authorization: basic(other.client_id, other.client_secret), origin: SPA });
  expect(cc.status).toBe(200);
  expect(cc.headers.get('access-control-allow-origin')).toBeNull();

  const revoke = await fetch(`${p.baseUrl}/o/revoke_token/`, { method: 'POST', headers: { origin: SPA, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: tokens.access_token, client_id: spa.client_id }) });
  expect(revoke.status).toBe(200);
  expect(revoke.headers.get('access-control-allow-origin')).toBe(SPA);
  // Without an Origin (server-to-server), nothing changes.
  const plain = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, { authorization: basic(other.client_id, other.client_secret) });
  expect(plain.headers.get('access-control-allow-origin')).toBeNull();
});

test('allowed origins must be https and exactly scheme://host[:port] (store, CLI and admin page)', async () => {
  await expect(p.createClient({ name: 'x', redirectUris: [REDIRECT], allowedOrigins: ['http://spa.example.com'] })).rejects.toThrow(/must use https/);
  await expect(p.createClient({ name: 'x', redirectUris: [REDIRECT], allowedOrigins: ['https://spa.example.com/app'] })).rejects.toThrow(/exactly scheme:\/\/host/);
  await expect(p.createClient({ name: 'x', redirectUris: [REDIRECT], allowedOrigins: ['*'] })).rejects.toThrow(/not a URL/);
  const r = await runCli(['client', 'create', '--name', 'x', '--redirect-uri', REDIRECT, '--allowed-origin', 'https://a.example.com/'], { env: { MONGO_URL: p.mongoUrl, MONGO_DB: 'hrm_test' } });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^Error: Allowed origin "https:\/\/a.example.com\/" must be exactly/);

  const admin = await signedInSession(p.baseUrl, ALICE.username, ALICE.password);
  const page = await admin.request(`${p.baseUrl}/admin/clients/${other.client_id}/logout`);
  const fields = hiddenFields(await page.text(), `/admin/clients/${other.client_id}/logout`);
  const bad = await admin.request(`${p.baseUrl}/admin/clients/${other.client_id}/logout`, { form: { ...fields, allowed_origins: 'http://insecure.example.com', post_logout_redirect_uris: '' } });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toMatch(/must use https/);
  const good = await admin.request(`${p.baseUrl}/admin/clients/${other.client_id}/logout`, { form: { ...fields, allowed_origins: 'https://dash.example.com', post_logout_redirect_uris: 'http://127.0.0.1:9/bye', revoke_tokens_on_logout: 'on' } });
  expect(good.status).toBe(303);
  expect(await p.db.clients.findOne({ _id: other.client_id })).toMatchObject({ allowedOrigins: ['https://dash.example.com'], postLogoutRedirectUris: ['http://127.0.0.1:9/bye'], revokeTokensOnLogout: true });
  expect((await options('/o/token/', 'https://dash.example.com')).status).toBe(204);
});

test('RFC 9728 protected-resource metadata names this authorization server', async () => {
  const m = await getJson(`${p.baseUrl}/.well-known/oauth-protected-resource`);
  expect(m.status).toBe(200);
  expect(m.json).toMatchObject({ resource: p.baseUrl, authorization_servers: [p.baseUrl], bearer_methods_supported: ['header', 'body', 'query'] });
  expect(m.json.scopes_supported).toContain('openid');
  const as = await getJson(`${p.baseUrl}${new URL(m.json.authorization_servers[0]).pathname.replace(/\/$/, '')}/.well-known/oauth-authorization-server`);
  expect(as.json.issuer).toBe(m.json.authorization_servers[0]);
});
