// Issue 9.E (token items) and 9.A (what deactivation, password resets and client changes end):
// scoped userinfo, introspection limited to the token's own client, one public client-auth
// error, the client check before reuse revocation, the app preset without client_credentials,
// ?access_token= only for clients that need it, the client cache's bounded delay.
import { ManualClock } from '../../provider/src/kernel/clock';
import { ClientStore } from '../../provider/src/store/clients';
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';
import { signIn, submitForm, HttpSession } from '../web/support';

const REDIRECT = 'https://chat.example.com/_oauth/hrm';
const PASSWORD = 'correct horse battery';
const clock = new ManualClock();
let p: TestProvider;
let pw: { client_id: string; client_secret: string };
let other: { client_id: string; client_secret: string };
let login: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider({ clock, env: { CLIENT_CACHE_SECONDS: '1', TOKEN_RATE_LIMIT: '100000', LOGIN_RATE_LIMIT: '1000' } });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: PASSWORD, department: 'Finance' });
  await p.createUser({ username: 'root', email: 'root@example.com', name: 'Root Admin', password: PASSWORD, admin: true });
  pw = await p.createClient({ name: 'Password test', redirectUris: [], grants: ['password', 'refresh_token'] });
  other = await p.createClient({ name: 'Other', redirectUris: [], grants: ['password', 'refresh_token'] });
  login = await p.createClient({ name: 'Rocket.Chat', redirectUris: [REDIRECT], preset: 'rocketchat-login' });
});
afterAll(() => p.stop());

type C = { client_id: string; client_secret: string };
const token = (form: Record<string, string>, client: C = pw) => postForm(`${p.baseUrl}/o/token/`, form, { authorization: basic(client.client_id, client.client_secret) });
const passwordGrant = (scope: string, client: C = pw, username = 'alice') => token({ grant_type: 'password', username, password: PASSWORD, scope }, client).then((r) => r.json);
const userinfo = (at: string) => getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${at}` });
const introspect = (t: string, client: C) => postForm(`${p.baseUrl}/o/introspect/`, { token: t }, { authorization: basic(client.client_id, client.client_secret) });

describe('userinfo scopes', () => {
  test('"read" reads the profile; "read write" (Rocket.Chat) too', async () => {
    for (const scope of ['read', 'read write']) {
      const me = await userinfo((await passwordGrant(scope)).access_token);
      expect(me.status).toBe(200);
      expect(me.json).toMatchObject({ username: 'alice', email: 'alice@example.com', department: 'Finance' });
    }
  });

  test('a "write"-only token reads nothing: 403 insufficient_scope naming "read"', async () => {
    const me = await userinfo((await passwordGrant('write')).access_token);
    expect(me.status).toBe(403);
    expect(me.json.error).toBe('insufficient_scope');
    expect(me.headers.get('www-authenticate')).toMatch(/error="insufficient_scope", scope="read"/);
    expect(me.text).not.toContain('alice');
  });
});

describe('?access_token= at userinfo', () => {
  test('refused for a client without the flag; accepted for the Rocket.Chat presets ("Payload" mode)', async () => {
    const generic = await passwordGrant('read');
    const q = await getJson(`${p.baseUrl}/api/v2/o/userinfo/?access_token=${encodeURIComponent(generic.access_token)}`);
    expect(q.status).toBe(400);
    expect(q.json.error_description).toMatch(/Authorization header/);
    // A form body (RFC 6750 §2.2) stays open to every client.
    expect((await postForm(`${p.baseUrl}/api/v2/o/userinfo/`, { access_token: generic.access_token })).status).toBe(200);

    const { code } = await obtainCode(p.baseUrl, { client_id: login.client_id, redirect_uri: REDIRECT, state: 's', scope: 'read write' });
    const rc = (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, login)).json;
    const payload = await getJson(`${p.baseUrl}/api/v2/o/userinfo/?access_token=${encodeURIComponent(rc.access_token)}`);
    expect(payload.status).toBe(200);
    expect(payload.json.username).toBe('alice');
  });
});

describe('introspection', () => {
  test("a client sees its own tokens; another client's are inactive unless it holds the introspection permission", async () => {
    const t = await passwordGrant('read');
    expect((await introspect(t.access_token, pw)).json).toMatchObject({ active: true, client_id: pw.client_id, username: 'alice' });
    expect((await introspect(t.access_token, other)).json).toEqual({ active: false });
    expect((await introspect(t.refresh_token, other)).json).toEqual({ active: false });
    const rs = await p.createClient({ name: 'Resource server', redirectUris: [], grants: ['client_credentials'], allowIntrospection: true });
    expect((await introspect(t.access_token, rs)).json).toMatchObject({ active: true, client_id: pw.client_id });
  });

  test('a refresh token retired by rotation is inactive', async () => {
    const t = await passwordGrant('read');
    const next = (await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).json;
    expect((await introspect(t.refresh_token, pw)).json).toEqual({ active: false });
    expect((await introspect(next.refresh_token, pw)).json.active).toBe(true);
  });
});

describe('client authentication', () => {
  test('unknown client and wrong secret get the same answer; the log tells them apart', async () => {
    const unknown = await token({ grant_type: 'password', username: 'alice', password: PASSWORD }, { client_id: 'nobody', client_secret: 'x' });
    const wrong = await token({ grant_type: 'password', username: 'alice', password: PASSWORD }, { client_id: pw.client_id, client_secret: 'wrong' });
    const missing = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', client_id: pw.client_id });
    for (const r of [unknown, wrong, missing]) {
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
    }
    const reasons = p.logs.entries().filter((e) => e.event === 'token_error').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Unknown client.', 'Wrong client secret.', 'This client is confidential: its client_secret is required.']));
  });

  test('a client cannot revoke another client\'s grant with a retired refresh token', async () => {
    const t = await passwordGrant('read');
    const next = (await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).json;
    clock.advance(p.config.REFRESH_TOKEN_GRACE_SECONDS + 1);
    const attempt = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token }, other);
    expect(attempt.json.error).toBe('invalid_grant');
    expect((await userinfo(next.access_token)).status).toBe(200);
    expect((await token({ grant_type: 'refresh_token', refresh_token: next.refresh_token })).status).toBe(200);
  });

  test('the rocketchat-app preset cannot use client_credentials', async () => {
    const app = await p.createClient({ name: 'App', redirectUris: ['https://chat.example.com/api/apps/public/x/hrm-callback'], preset: 'rocketchat-app' });
    const r = await token({ grant_type: 'client_credentials' }, app);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('unauthorized_client');
  });

  test('a secret rotated by another process stops working within CLIENT_CACHE_SECONDS; in this process at once', async () => {
    const job = await p.createClient({ name: 'Job', redirectUris: [], grants: ['client_credentials'] });
    const cc = (secret: string) => token({ grant_type: 'client_credentials' }, { client_id: job.client_id, client_secret: secret });
    expect((await cc(job.client_secret)).status).toBe(200);
    const elsewhere = new ClientStore(p.db); // what the CLI or another instance does
    const rotated = await elsewhere.rotateSecret(job.client_id);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await cc(job.client_secret)).status).toBe(401);
    expect((await cc(rotated)).status).toBe(200);
    const again = await p.running.services.clients.rotateSecret(job.client_id);
    expect((await cc(rotated)).status).toBe(401);
    expect((await cc(again)).status).toBe(200);
  });
});

describe('what deactivation and password resets end', () => {
  async function adminSession() {
    return signIn(p.baseUrl, 'root', PASSWORD);
  }
  async function signedIn(http: HttpSession) {
    const res = await http.request(`${p.baseUrl}/accounts/profile/`);
    return res.status === 200;
  }

  test('deactivation ends sessions, tokens, consents and unredeemed codes — even after reactivation', async () => {
    await p.createUser({ username: 'carol', email: 'carol@example.com', name: 'Carol', password: PASSWORD });
    const carol = (await p.db.users.findOne({ username: 'carol' }))!;
    const browser = await signIn(p.baseUrl, 'carol', PASSWORD);
    expect(await signedIn(browser)).toBe(true);
    const t = await passwordGrant('read', pw, 'carol');
    const { code } = await obtainCode(p.baseUrl, { client_id: login.client_id, redirect_uri: REDIRECT, state: 's' }, { username: 'carol', password: PASSWORD });
    expect(await p.db.consents.countDocuments({ userId: carol._id })).toBe(1);

    const admin = await adminSession();
    const off = await submitForm(admin, p.baseUrl, `/admin/users/${carol._id}/`, `/admin/users/${carol._id}/active`, { active: 'false' });
    expect(off.res.status).toBe(303);
    const on = await submitForm(admin, p.baseUrl, `/admin/users/${carol._id}/`, `/admin/users/${carol._id}/active`, { active: 'true' });
    expect(on.res.status).toBe(303);

    expect(await signedIn(browser)).toBe(false);
    expect((await userinfo(t.access_token)).status).toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).json.error).toBe('invalid_grant');
    expect(await p.db.consents.countDocuments({ userId: carol._id })).toBe(0);
    const late = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, login);
    expect(late.json.error).toBe('invalid_grant');
    // Signing in again works: only what existed before the deactivation ended.
    expect((await userinfo((await passwordGrant('read', pw, 'carol')).access_token)).status).toBe(200);
  });

  test('an admin password reset ends the user\'s sessions and tokens', async () => {
    await p.createUser({ username: 'dave', email: 'dave@example.com', name: 'Dave', password: PASSWORD });
    const dave = (await p.db.users.findOne({ username: 'dave' }))!;
    const browser = await signIn(p.baseUrl, 'dave', PASSWORD);
    const t = await passwordGrant('read', pw, 'dave');
    const admin = await adminSession();
    const reset = await submitForm(admin, p.baseUrl, `/admin/users/${dave._id}/`, `/admin/users/${dave._id}/password`, { password: 'a brand new password', password_confirm: 'a brand new password' });
    expect(reset.res.status).toBe(303);
    expect(await signedIn(browser)).toBe(false);
    expect((await userinfo(t.access_token)).status).toBe(401);
    expect(await signedIn(await signIn(p.baseUrl, 'dave', 'a brand new password'))).toBe(true);
  });
});
