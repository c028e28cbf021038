// API endpoints and unknown API paths run no session, CSRF or view middleware and carry no page
// headers; browser pages keep theirs. Transient FerretDB reply errors are retried once.
import { BSON } from 'mongodb';
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, postForm } from '../support/oauth-requests';
import { isTransientReplyError, retryIdempotent } from '../../provider/src/db/retry';

let p: TestProvider;
let client: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider();
  client = await p.createClient({ name: 'api', redirectUris: ['http://127.0.0.1:9/cb'], grants: ['client_credentials'] });
});
afterAll(async () => p?.stop());

async function sessionCount() {
  return p.db.db.collection('sessions').countDocuments({});
}

test.each(['/api/nope', '/api/v2/o/nope/', '/o/nope/', '/o/token/extra'])('unknown API path %s: JSON 404, no cookie, no session stored, no CSP', async (path) => {
  const before = await sessionCount();
  // A browser-like Accept header: the path alone decides.
  const res = await fetch(p.baseUrl + path, { headers: { accept: 'text/html' } });
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(await res.json()).toEqual({ error: 'not_found', error_description: 'No such endpoint.' });
  expect(res.headers.get('set-cookie')).toBeNull();
  expect(res.headers.get('content-security-policy')).toBeNull();
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(await sessionCount()).toBe(before);
});

test('token and userinfo answers: no cookie, no CSP, no ETag', async () => {
  const tok = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, { authorization: basic(client.client_id, client.client_secret) });
  expect(tok.status).toBe(200);
  for (const h of ['set-cookie', 'content-security-policy', 'etag']) expect(tok.headers.get(h)).toBeNull();
  const meta = await getJson(`${p.baseUrl}/.well-known/oauth-authorization-server`);
  expect(meta.status).toBe(200);
  for (const h of ['set-cookie', 'content-security-policy', 'etag']) expect(meta.headers.get(h)).toBeNull();
  const ui = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: 'Bearer nope' });
  expect(ui.status).toBe(401);
  expect(ui.headers.get('set-cookie')).toBeNull();
});

test('browser pages keep the session chain and page headers', async () => {
  const res = await fetch(`${p.baseUrl}/o/authorize/?response_type=code&client_id=${client.client_id}`, { redirect: 'manual', headers: { accept: 'text/html' } });
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  const login = await fetch(`${p.baseUrl}/accounts/login/`, { headers: { accept: 'text/html' } });
  expect(login.status).toBe(200);
  expect(login.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  // The login form carries a CSRF token; before sign-in it lives in a signed cookie, not a session (no session write per visitor).
  expect(await login.text()).toMatch(/name="_csrf"/);
  expect(login.headers.get('set-cookie')).toMatch(/hrm_sso_csrf=/);
  expect(login.headers.get('set-cookie')).not.toMatch(/hrm_sso_session=/);
});

describe('retry of transient reply errors', () => {
  const transient = () => new BSON.BSONError('BSON element "cursor" is missing');

  test('one retry, then the answer', async () => {
    let calls = 0;
    await expect(retryIdempotent(async () => (++calls === 1 ? Promise.reject(transient()) : 'ok'))).resolves.toBe('ok');
    expect(calls).toBe(2);
  });

  test('only once: a second transient error surfaces', async () => {
    let calls = 0;
    await expect(retryIdempotent(async () => { calls++; throw transient(); })).rejects.toThrow(/cursor/);
    expect(calls).toBe(2);
  });

  test('other errors are not retried', async () => {
    let calls = 0;
    const dup = Object.assign(new Error('E11000 duplicate key'), { code: 11000, name: 'MongoServerError' });
    await expect(retryIdempotent(async () => { calls++; throw dup; })).rejects.toBe(dup);
    expect(calls).toBe(1);
    expect(isTransientReplyError(new Error('BSON element "cursor" is missing'))).toBe(false); // not a BSONError
    expect(isTransientReplyError(transient())).toBe(true);
  });
});
