// Malformed requests get the RFC 6749/7009/7662 error and status with a description,
// never a 5xx or a stack trace, and nothing half-written.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';

const REDIRECT = 'https://chat.example.com/_oauth/hrm';
let p: TestProvider;
let c: { client_id: string; client_secret: string };
const token = (form: Record<string, string>, headers: Record<string, string> = { authorization: basic(c.client_id, c.client_secret) }) => postForm(`${p.baseUrl}/o/token/`, form, headers);

beforeAll(async () => {
  p = await startTestProvider({ env: { MAX_BODY_BYTES: '2048' } });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  c = await p.createClient({ name: 'Rocket.Chat', redirectUris: [REDIRECT], preset: 'rocketchat-login' });
});
afterAll(() => p.stop());

function expectOAuthError(res: { status: number; json: any; text: string }, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(res.json).toMatchObject({ error, error_description: expect.any(String) });
  expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
}

describe('token endpoint', () => {
  test('missing grant_type', async () => expectOAuthError(await token({}), 400, 'invalid_request'));
  test('unknown grant_type', async () => expectOAuthError(await token({ grant_type: 'magic' }), 400, 'unsupported_grant_type'));
  test('implicit is not a grant', async () => expectOAuthError(await token({ grant_type: 'implicit' }), 400, 'unsupported_grant_type'));
  test('duplicated parameter', async () => {
    const res = await fetch(`${p.baseUrl}/o/token/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(c.client_id, c.client_secret) }, body: 'grant_type=authorization_code&code=a&code=b' });
    const json = await res.json();
    expect(res.status).toBe(400);
    expect(json).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/more than once/) });
  });
  test('JSON body instead of a form', async () => {
    const res = await fetch(`${p.baseUrl}/o/token/`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(c.client_id, c.client_secret) }, body: JSON.stringify({ grant_type: 'client_credentials' }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error_description).toMatch(/x-www-form-urlencoded/);
  });
  test('oversized body', async () => {
    const res = await token({ grant_type: 'authorization_code', code: 'x'.repeat(5000) });
    expectOAuthError(res, 413, 'invalid_request');
  });
  test('malformed Basic header', async () => {
    const res = await token({ grant_type: 'client_credentials' }, { authorization: 'Basic %%%not-base64' });
    expectOAuthError(res, 401, 'invalid_client');
    const noColon = await token({ grant_type: 'client_credentials' }, { authorization: 'Basic ' + Buffer.from('justanid').toString('base64') });
    expectOAuthError(noColon, 401, 'invalid_client');
  });
  test('no client authentication at all', async () => expectOAuthError(await token({ grant_type: 'authorization_code', code: 'x' }, {}), 401, 'invalid_client'));
  test('unknown client', async () => expectOAuthError(await token({ grant_type: 'authorization_code', code: 'x' }, { authorization: basic('nobody', 'x') }), 401, 'invalid_client'));
  test('confidential client without its secret', async () => expectOAuthError(await token({ grant_type: 'authorization_code', code: 'x', client_id: c.client_id }, {}), 401, 'invalid_client'));
  test('two authentication methods at once', async () => expectOAuthError(await token({ grant_type: 'authorization_code', code: 'x', client_secret: c.client_secret }), 400, 'invalid_request'));
  test('missing code', async () => expectOAuthError(await token({ grant_type: 'authorization_code', redirect_uri: REDIRECT }), 400, 'invalid_request'));
  test('unknown code', async () => expectOAuthError(await token({ grant_type: 'authorization_code', code: 'made-up', redirect_uri: REDIRECT }), 400, 'invalid_grant'));
  test('missing refresh_token', async () => expectOAuthError(await token({ grant_type: 'refresh_token' }), 400, 'invalid_request'));
  test('unknown scope on client credentials', async () => {
    const svc = await p.createClient({ name: 'svc', redirectUris: [], grants: ['client_credentials'] });
    expectOAuthError(await token({ grant_type: 'client_credentials', scope: 'admin' }, { authorization: basic(svc.client_id, svc.client_secret) }), 400, 'invalid_scope');
  });
  test('GET is not allowed', async () => {
    const res = await getJson(`${p.baseUrl}/o/token/`);
    expect(res.status).toBe(405);
    expect(res.json.error).toBe('invalid_request');
  });
  test('a failed exchange leaves nothing half-written: the code still redeems once', async () => {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
    const before = await p.db.accessTokens.countDocuments();
    expectOAuthError(await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: basic(c.client_id, 'wrong') }), 401, 'invalid_client');
    expect(await p.db.accessTokens.countDocuments()).toBe(before);
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).status).toBe(200);
  });
});

describe('revocation and introspection', () => {
  test('revoke without token', async () => expectOAuthError(await postForm(`${p.baseUrl}/o/revoke_token/`, {}, { authorization: basic(c.client_id, c.client_secret) }), 400, 'invalid_request'));
  test('revoke with wrong secret', async () => expectOAuthError(await postForm(`${p.baseUrl}/o/revoke_token/`, { token: 'x' }, { authorization: basic(c.client_id, 'bad') }), 401, 'invalid_client'));
  test('revoke of an unknown token is 200 (RFC 7009 §2.2)', async () => {
    const res = await postForm(`${p.baseUrl}/o/revoke_token/`, { token: 'never-issued' }, { authorization: basic(c.client_id, c.client_secret) });
    expect(res.status).toBe(200);
  });
  test('introspect requires client authentication', async () => expectOAuthError(await postForm(`${p.baseUrl}/o/introspect/`, { token: 'x' }), 401, 'invalid_client'));
  test('introspect of unknown, expired or revoked tokens says inactive', async () => {
    const res = await postForm(`${p.baseUrl}/o/introspect/`, { token: 'never-issued' }, { authorization: basic(c.client_id, c.client_secret) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ active: false });
  });
  test('introspect without token', async () => expectOAuthError(await postForm(`${p.baseUrl}/o/introspect/`, {}, { authorization: basic(c.client_id, c.client_secret) }), 400, 'invalid_request'));
});

describe('userinfo', () => {
  test('malformed Authorization header', async () => {
    const res = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: 'Token abc' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
  });
  test('token in two places', async () => {
    const res = await getJson(`${p.baseUrl}/api/v2/o/userinfo/?access_token=a`, { authorization: 'Bearer b' });
    expect(res.status).toBe(400);
  });
  test('expired token', async () => {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's' });
    const t = (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).json;
    await p.db.accessTokens.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t.access_token}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });
});

describe('authorize endpoint', () => {
  test('duplicated client_id gets an error page', async () => {
    const res = await fetch(`${p.baseUrl}/o/authorize/?client_id=a&client_id=b&response_type=code`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/more than once/);
  });
  test('a consent post with a tampered redirect_uri is refused with a page, no redirect', async () => {
    const res = await fetch(`${p.baseUrl}/o/authorize/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `client_id=${c.client_id}&redirect_uri=https://evil.example/&response_type=code&allow=1`, redirect: 'manual' });
    expect(res.status).toBe(403); // no session, no CSRF token
    expect(res.headers.get('location')).toBeNull();
  });
  test('unknown paths are 404 in the caller’s language', async () => {
    expect((await getJson(`${p.baseUrl}/o/nothing/`)).json.error).toBe('not_found');
    const page = await fetch(`${p.baseUrl}/nothing`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toMatch(/Page not found/);
  });
});

test('no response in this file was a 5xx', () => {
  const fives = p.logs.entries().filter((e: any) => e.res?.statusCode >= 500);
  expect(fives).toEqual([]);
});
