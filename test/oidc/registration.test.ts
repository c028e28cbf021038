// DOT's wider surface, part 3: dynamic client registration (RFC 7591) and management (RFC 7592),
// off by default, behind a single-use initial access token created in the CLI. The registering
// party is openid-client (Client.register / Client.fromUri).
import { Issuer, type BaseClient } from 'openid-client';
import { startTestProvider, type TestProvider } from '../support/provider';
import { getJson } from '../support/oauth-requests';
import { runJson } from '../cli/run-cli';
import { decodeEntities, signIn } from '../web/support';
import { ALICE, loginAndReturn, returnedParams, startLogin } from './support';

const REDIRECT = 'http://127.0.0.1:9/cb';
let p: TestProvider;

beforeAll(async () => {
  p = await startTestProvider({ env: { DYNAMIC_CLIENT_REGISTRATION: 'true' } });
  await p.createUser({ ...ALICE, email: 'alice@example.com', name: 'Alice Smith' });
});
afterAll(async () => {
  await p?.stop();
});

const initialToken = async () => (await runJson(['registration', 'create-token', '--note', 'test'], { env: { MONGO_URL: p.mongoUrl, MONGO_DB: 'hrm_test' } })).initial_access_token as string;
const register = (body: unknown, token?: string) =>
  fetch(`${p.baseUrl}/o/register/`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body) });

test('off by default: no endpoint, nothing in discovery', async () => {
  const off = await startTestProvider({ database: undefined });
  try {
    expect((await getJson(`${off.baseUrl}/.well-known/openid-configuration`)).json).not.toHaveProperty('registration_endpoint');
    expect((await fetch(`${off.baseUrl}/o/register/`, { method: 'POST', body: '{}' })).status).toBe(404);
  } finally {
    await off.stop();
  }
});

test('openid-client registers with an initial access token, signs in with the new client, reads, updates and deletes it', async () => {
  const issuer = await Issuer.discover(p.baseUrl);
  expect(issuer.metadata.registration_endpoint).toBe(`${p.baseUrl}/o/register/`);
  const token = await initialToken();
  // openid-client 5's types omit the static RFC 7591/7592 helpers its Client has.
  const Registrar = issuer.Client as unknown as { register(m: object, o: { initialAccessToken: string }): Promise<BaseClient>; fromUri(uri: string, token: string): Promise<BaseClient> };
  const client = await Registrar.register({ client_name: 'Wiki', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }, { initialAccessToken: token });
  expect(client.client_id).toBeDefined();
  expect(client.client_secret).toBeDefined();
  const meta = client.metadata as Record<string, any>;
  expect(meta.registration_client_uri).toBe(`${p.baseUrl}/o/register/${client.client_id}`);
  expect(await p.db.clients.findOne({ _id: client.client_id as string })).toMatchObject({ name: 'Wiki', preset: 'oidc-web', type: 'confidential' });

  // The new client works.
  const login = startLogin(client);
  const tokens = await client.callback(REDIRECT, returnedParams(await loginAndReturn(login.url)), login.checks);
  expect(tokens.claims().aud).toBe(client.client_id);

  // The initial access token was single use.
  expect((await register({ redirect_uris: [REDIRECT] }, token)).status).toBe(401);

  // RFC 7592: read, update, delete with the registration access token.
  const read = await Registrar.fromUri(meta.registration_client_uri, meta.registration_access_token);
  expect(read.metadata).toMatchObject({ client_id: client.client_id, client_name: 'Wiki', redirect_uris: [REDIRECT] });
  expect(read.metadata).not.toHaveProperty('client_secret');
  const auth = { authorization: `Bearer ${meta.registration_access_token}`, 'content-type': 'application/json' };
  const put = await fetch(meta.registration_client_uri, { method: 'PUT', headers: auth, body: JSON.stringify({ client_id: client.client_id, client_name: 'Team Wiki', redirect_uris: [REDIRECT, 'http://127.0.0.1:9/cb2'], grant_types: ['authorization_code', 'refresh_token'] }) });
  expect(put.status).toBe(200);
  expect(await put.json()).toMatchObject({ client_name: 'Team Wiki', redirect_uris: [REDIRECT, 'http://127.0.0.1:9/cb2'] });
  const wrong = await fetch(meta.registration_client_uri, { headers: { authorization: 'Bearer not-the-token' } });
  expect(wrong.status).toBe(401);
  const del = await fetch(meta.registration_client_uri, { method: 'DELETE', headers: auth });
  expect(del.status).toBe(204);
  expect(await p.db.clients.findOne({ _id: client.client_id as string })).toBeNull();
  expect((await fetch(meta.registration_client_uri, { headers: auth })).status).toBe(401);
  expect((await p.db.audit.find({ actor: 'registration' }).toArray()).map((a) => a.action)).toEqual(['client.register', 'client.update', 'client.delete']);
});

test('bad registrations get RFC 7591 errors and spend no token', async () => {
  expect((await register({ redirect_uris: [REDIRECT] })).status).toBe(401);
  expect((await register({ redirect_uris: [REDIRECT] }, 'unknown-token')).status).toBe(401);
  const token = await initialToken();
  const cases: Array<[unknown, string, RegExp]> = [
    [{ redirect_uris: ['not a url'] }, 'invalid_redirect_uri', /not an absolute URL/],
    [{ redirect_uris: 'http://x' }, 'invalid_redirect_uri', /array of strings/],
    [{ redirect_uris: [REDIRECT], grant_types: ['password'] }, 'invalid_client_metadata', /not offered through registration/],
    [{ redirect_uris: [REDIRECT], grant_types: ['implicit'] }, 'invalid_client_metadata', /not offered/],
    [{ redirect_uris: [REDIRECT], response_types: ['token'] }, 'invalid_client_metadata', /RFC 9700/],
    [{ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata', /token_endpoint_auth_method/],
    [{ grant_types: ['authorization_code'] }, 'invalid_redirect_uri', /at least one redirect URI/],
    [[1, 2], 'invalid_client_metadata', /JSON object/],
    [{ redirect_uris: [REDIRECT], logo_uri: 'http://wiki.example/logo.png' }, 'invalid_client_metadata', /^logo_uri: The logo URL must start with https:\/\//],
    [{ redirect_uris: [REDIRECT], logo_uri: 'logo.png' }, 'invalid_client_metadata', /^logo_uri: "logo.png" is not a complete URL/],
    [{ redirect_uris: [REDIRECT], logo_uri: 42 }, 'invalid_client_metadata', /logo_uri must be a string/],
    [{ redirect_uris: [REDIRECT], client_uri: 'javascript:alert(1)' }, 'invalid_client_metadata', /^client_uri: The home page must be an http\(s\) URL/],
  ];
  for (const [body, error, message] of cases) {
    const res = await register(body, token);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.error).toBe(error);
    expect(json.error_description).toMatch(message);
  }
  const broken = await register('{"redirect_uris":', token);
  expect(broken.status).toBe(400);
  // None of those spent the token.
  const ok = await register({ client_name: 'CLI', token_endpoint_auth_method: 'none', grant_types: ['urn:ietf:params:oauth:grant-type:device_code'] }, token);
  expect(ok.status).toBe(201);
  const body = await ok.json();
  expect(body).not.toHaveProperty('client_secret');
  expect(body.token_endpoint_auth_method).toBe('none');
});

test('logo_uri and client_uri: returned, kept on update, and shown on the consent page', async () => {
  const before = await p.db.clients.countDocuments({});
  const res = await register({ client_name: 'Team Wiki', redirect_uris: [REDIRECT], logo_uri: 'https://wiki.example/logo.png', client_uri: 'https://wiki.example/' }, await initialToken());
  expect(res.status).toBe(201);
  const meta = await res.json();
  expect(meta).toMatchObject({ logo_uri: 'https://wiki.example/logo.png', client_uri: 'https://wiki.example/' });
  expect(await p.db.clients.countDocuments({})).toBe(before + 1);

  const alice = await signIn(p.baseUrl, ALICE.username, ALICE.password);
  const consent = async () => decodeEntities(await (await alice.request(`${p.baseUrl}/o/authorize/?${new URLSearchParams({ client_id: meta.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's' })}`)).text());
  const html = await consent();
  expect(html).toContain('<img src="https://wiki.example/logo.png" alt="" width="48" height="48">');
  expect(html).toContain('<a href="https://wiki.example/" rel="noopener noreferrer" target="_blank">About Team Wiki</a> (wiki.example)');

  // RFC 7592 update: the metadata replace the old; leaving logo_uri out removes the logo, a bad one changes nothing.
  const auth = { authorization: `Bearer ${meta.registration_access_token}`, 'content-type': 'application/json' };
  const update = (body: object) => fetch(meta.registration_client_uri, { method: 'PUT', headers: auth, body: JSON.stringify({ client_id: meta.client_id, client_name: 'Team Wiki', redirect_uris: [REDIRECT], ...body }) });
  const bad = await update({ logo_uri: 'http://wiki.example/logo.png', client_uri: 'https://wiki.example/' });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toBe('invalid_client_metadata');
  expect(await p.db.clients.findOne({ _id: meta.client_id })).toMatchObject({ logoUri: 'https://wiki.example/logo.png' });
  const put = await update({ client_uri: 'https://wiki.example/home' });
  expect(put.status).toBe(200);
  const after = await put.json();
  expect(after).not.toHaveProperty('logo_uri');
  expect(after.client_uri).toBe('https://wiki.example/home');
  const html2 = await consent();
  expect(html2).not.toContain('wiki.example/logo.png');
  expect(html2).toContain('<a href="https://wiki.example/home"');
});
