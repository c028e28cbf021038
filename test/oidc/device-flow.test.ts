// DOT's wider surface, part 2: the device authorization grant (RFC 8628) with a real client
// loop — openid-client's deviceAuthorization().poll() — while a person approves in the browser
// flow; plus slow_down, denial, expiry, single use and bad input.
import { Issuer, type BaseClient } from 'openid-client';
import { startTestProvider, type TestProvider } from '../support/provider';
import { hiddenFields, type HttpSession } from '../support/http-session';
import { basic, getJson, postForm } from '../support/oauth-requests';
import { ALICE, signedInSession } from './support';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
let p: TestProvider;
let tv: BaseClient;
let tvId: string;
let alice: HttpSession;
let aliceId: string;

beforeAll(async () => {
  p = await startTestProvider({ env: { DEVICE_CODE_INTERVAL_SECONDS: '1' } });
  aliceId = (await p.createUser({ ...ALICE, email: 'alice@example.com', name: 'Alice Smith' })).id;
  const c = await p.createClient({ name: 'Meeting-room TV', type: 'public', redirectUris: [], grants: [GRANT, 'refresh_token'] });
  tvId = c.client_id;
  const issuer = await Issuer.discover(p.baseUrl);
  tv = new issuer.Client({ client_id: c.client_id, token_endpoint_auth_method: 'none' });
  alice = await signedInSession(p.baseUrl, ALICE.username, ALICE.password);
});
afterAll(async () => {
  await p?.stop();
});

/** The person's side: open the verification URI, confirm the code, allow or deny. */
async function decide(session: HttpSession, verificationUriComplete: string, allow: boolean): Promise<string> {
  const entry = await session.request(verificationUriComplete);
  expect(entry.status).toBe(200);
  const html = await entry.text();
  const code = /name="user_code"[^>]*value="([^"]*)"/.exec(html)![1];
  const confirm = await session.request(`${p.baseUrl}/o/device/`, { form: { ...hiddenFields(html, '/o/device/'), user_code: code.toLowerCase() } });
  expect(confirm.status).toBe(200);
  const confirmHtml = await confirm.text();
  expect(confirmHtml).toContain('Meeting-room TV');
  const fields = hiddenFields(confirmHtml, '/o/device/decide');
  const done = await session.request(`${p.baseUrl}/o/device/decide`, { form: allow ? { ...fields, allow: 'Allow' } : fields });
  return done.text();
}

test('discovery names the device endpoint; openid-client polls until the person allows, then gets tokens', async () => {
  const m = (await getJson(`${p.baseUrl}/.well-known/openid-configuration`)).json;
  expect(m.device_authorization_endpoint).toBe(`${p.baseUrl}/o/device-authorization/`);
  expect(m.grant_types_supported).toContain(GRANT);

  const handle = await tv.deviceAuthorization({ scope: 'read' });
  expect(handle.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  expect(handle.verification_uri).toBe(`${p.baseUrl}/o/device/`);
  const polling = handle.poll(); // the real client loop: authorization_pending until the decision
  await new Promise((r) => setTimeout(r, 1500));
  expect(await decide(alice, handle.verification_uri_complete, true)).toContain('Device connected');
  const tokens = await polling;
  expect(tokens.access_token).toBeDefined();
  expect(tokens.refresh_token).toBeDefined();
  const info = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${tokens.access_token}` });
  expect(info.json).toMatchObject({ id: aliceId, username: 'alice' });
  // Refresh works like any other grant.
  expect((await tv.refresh(tokens)).access_token).toBeDefined();
});

test('pending, slow_down, single use, denial and expiry get their RFC 8628 errors', async () => {
  const start = await postForm(`${p.baseUrl}/o/device-authorization/`, { client_id: tvId, scope: 'read' });
  expect(start.status).toBe(200);
  const poll = () => postForm(`${p.baseUrl}/o/token/`, { grant_type: GRANT, device_code: start.json.device_code, client_id: tvId });
  const first = await poll();
  expect(first.status).toBe(400);
  expect(first.json.error).toBe('authorization_pending');
  const tooFast = await poll();
  expect(tooFast.json).toMatchObject({ error: 'slow_down' });
  expect(tooFast.json.error_description).toMatch(/wait at least 6 seconds/);

  await decide(alice, start.json.verification_uri_complete, true);
  const ok = await poll();
  expect(ok.status).toBe(200);
  const again = await poll();
  expect(again.json).toMatchObject({ error: 'invalid_grant' });

  const denied = await postForm(`${p.baseUrl}/o/device-authorization/`, { client_id: tvId });
  expect(await decide(alice, denied.json.verification_uri_complete, false)).toContain('Device not connected');
  expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: GRANT, device_code: denied.json.device_code, client_id: tvId })).json.error).toBe('access_denied');

  const stale = await postForm(`${p.baseUrl}/o/device-authorization/`, { client_id: tvId });
  await p.db.deviceCodes.updateMany({ status: 'pending' }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
  expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: GRANT, device_code: stale.json.device_code, client_id: tvId })).json.error).toBe('expired_token');
  // The expired user code is refused on the page too.
  const page = await alice.request(`${p.baseUrl}/o/device/`);
  const res = await alice.request(`${p.baseUrl}/o/device/`, { form: { ...hiddenFields(await page.text(), '/o/device/'), user_code: stale.json.user_code } });
  expect(res.status).toBe(400);
  expect(await res.text()).toMatch(/not valid, or it has expired/);
});

test('parallel polls: exactly one counts as a poll, the others are told to slow down (issue 20 E)', async () => {
  const start = await postForm(`${p.baseUrl}/o/device-authorization/`, { client_id: tvId, scope: 'read' });
  expect(start.status).toBe(200);
  const poll = () => postForm(`${p.baseUrl}/o/token/`, { grant_type: GRANT, device_code: start.json.device_code, client_id: tvId });
  // A read-then-update let every one of these through as "authorization_pending".
  const answers = await Promise.all(Array.from({ length: 8 }, poll));
  expect(answers.map((a) => a.status)).toEqual(Array(8).fill(400));
  const errors = answers.map((a) => a.json.error).sort();
  expect(errors).toEqual(['authorization_pending', ...Array(7).fill('slow_down')]);
});

test('bad input: unknown device code, other client, no device grant, unknown scope, garbage user code, no 5xx', async () => {
  expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: GRANT, device_code: 'nope', client_id: tvId })).json.error).toBe('invalid_grant');
  expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: GRANT, client_id: tvId })).json).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/device_code/) });
  const web = await p.createClient({ name: 'Web', redirectUris: ['http://127.0.0.1:9/cb'] });
  const refused = await postForm(`${p.baseUrl}/o/device-authorization/`, {}, { authorization: basic(web.client_id, web.client_secret) });
  expect(refused.status).toBe(400);
  expect(refused.json.error).toBe('unauthorized_client');
  const start = await postForm(`${p.baseUrl}/o/device-authorization/`, { client_id: tvId });
  // Another client cannot redeem this device code.
  const stolen = await postForm(`${p.baseUrl}/o/token/`, { grant_type: GRANT, device_code: start.json.device_code }, { authorization: basic(web.client_id, web.client_secret) });
  expect(stolen.status).toBe(400);
  expect((await postForm(`${p.baseUrl}/o/device-authorization/`, { client_id: tvId, scope: 'admin' })).json.error).toBe('invalid_scope');
  expect((await postForm(`${p.baseUrl}/o/device-authorization/`, { client_id: 'unknown' })).status).toBe(401);
  expect((await postForm(`${p.baseUrl}/o/device-authorization/?client_id=${tvId}`, {})).json.error).toBe('invalid_request');
  expect((await fetch(`${p.baseUrl}/o/device-authorization/`)).status).toBe(405);
  const page = await alice.request(`${p.baseUrl}/o/device/`);
  const fields = hiddenFields(await page.text(), '/o/device/');
  for (const code of ['', 'AAAA-AAAA', '<script>', 'x'.repeat(500)]) {
    const res = await alice.request(`${p.baseUrl}/o/device/`, { form: { ...fields, user_code: code } });
    expect(res.status).toBe(400);
  }
  // Anonymous visitors are sent to sign in first, keeping the code.
  const anon = await fetch(`${p.baseUrl}/o/device/?user_code=bcdf-ghjk`, { redirect: 'manual' });
  expect(anon.status).toBe(302);
  expect(decodeURIComponent(anon.headers.get('location')!)).toContain('/o/device/?user_code=BCDF-GHJK');
  expect(p.logs.text).not.toContain(start.json.device_code);
});
