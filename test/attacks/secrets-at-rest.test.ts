// Every secret a run handles — client secrets (old and rotated), passwords (right, wrong, typed
// into the username field, reset), authorization codes, access and refresh tokens, the browser
// session id — is looked for in a dump of every collection and in the captured logs: 0 plaintext
// occurrences.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, obtainCode, postForm, getJson } from '../support/oauth-requests';
import { HttpSession, hiddenFields } from '../support/http-session';

const RC = 'https://chat.example.com/_oauth/hrm';
const APP = 'https://chat.example.com/api/apps/public/app-id/hrm-callback';
let p: TestProvider;
const secrets = new Map<string, string>(); // value → what it is

function keep(what: string, value: string | undefined) {
  if (!value) throw new Error(`no ${what} to look for`);
  secrets.set(value, what);
  return value;
}

beforeAll(async () => {
  // No refresh grace: replaying a rotated refresh token takes the reuse path (family revoked, logged).
  p = await startTestProvider({ env: { LOGIN_RATE_LIMIT: '100', LOGIN_IP_RATE_LIMIT: '100', REFRESH_TOKEN_GRACE_SECONDS: '0' } });
}, 60000);
afterAll(() => p?.stop());

async function dumpDatabase(): Promise<string> {
  const parts: string[] = [];
  for (const { name } of await p.db.db.listCollections().toArray()) {
    parts.push(`## ${name}\n${JSON.stringify(await p.db.db.collection(name).find({}).toArray())}`);
  }
  return parts.join('\n');
}

test('a full run leaves 0 plaintext secrets in any collection or log line', async () => {
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice', password: keep('password', 'correct horse battery') });
  await p.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob', password: keep('password', 'bobs own passphrase 7') });
  const login = await p.createClient({ name: 'Chat login', redirectUris: [RC], preset: 'rocketchat-login' });
  const app = await p.createClient({ name: 'Chat app', redirectUris: [APP], preset: 'rocketchat-app' });
  const generic = await p.createClient({ name: 'Generic', redirectUris: [RC], preset: 'generic', grants: ['authorization_code', 'refresh_token', 'client_credentials', 'password'] });
  keep('client secret', login.client_secret);
  keep('client secret', app.client_secret);
  const oldGenericSecret = keep('client secret', generic.client_secret);
  const genericSecret = keep('rotated client secret', await p.running.services.clients.rotateSecret(generic.client_id));

  // Rocket.Chat login: code, exchange with Basic, userinfo.
  const { code } = await obtainCode(p.baseUrl, { client_id: login.client_id, redirect_uri: RC, state: 's1' });
  keep('code', code);
  const t1 = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: RC, grant_type: 'authorization_code' }, { authorization: basic(login.client_id, login.client_secret) });
  expect(t1.status).toBe(200);
  keep('access token', t1.json.access_token);
  keep('refresh token', t1.json.refresh_token);
  expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t1.json.access_token}` })).status).toBe(200);
  // A replayed code (logged as a replay, never verbatim).
  expect((await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: RC, grant_type: 'authorization_code' }, { authorization: basic(login.client_id, login.client_secret) })).status).toBe(400);

  // The Apps-Engine client: everything in the query string, userinfo with ?access_token=, refresh, token-only revoke.
  const appCode = keep('code', (await obtainCode(p.baseUrl, { client_id: app.client_id, redirect_uri: APP, state: 'rc-user' })).code);
  const enginePost = async (path: string, q: Record<string, string>) => {
    const res = await fetch(`${p.baseUrl}${path}?${new URLSearchParams(q)}`, { method: 'POST', headers: { accept: 'application/json' } });
    return { status: res.status, json: await res.json().catch(() => undefined) };
  };
  const t2 = await enginePost('/o/token/', { client_id: app.client_id, client_secret: app.client_secret, code: appCode, redirect_uri: APP, grant_type: 'authorization_code' });
  expect(t2.status).toBe(200);
  keep('access token', t2.json.access_token);
  keep('refresh token', t2.json.refresh_token);
  expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/?access_token=${t2.json.access_token}`)).status).toBe(200);
  const t3 = await enginePost('/o/token/', { client_id: app.client_id, client_secret: app.client_secret, redirect_uri: APP, refresh_token: t2.json.refresh_token, grant_type: 'refresh_token' });
  expect(t3.status).toBe(200);
  keep('access token', t3.json.access_token);
  keep('refresh token', t3.json.refresh_token);
  expect((await enginePost('/o/revoke_token/', { token: t3.json.access_token })).status).toBe(200);

  // Password and client-credentials grants, introspection, refresh reuse, wrong secrets.
  const t4 = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'bob', password: 'bobs own passphrase 7' }, { authorization: basic(generic.client_id, genericSecret) });
  expect(t4.status).toBe(200);
  keep('access token', t4.json.access_token);
  keep('refresh token', t4.json.refresh_token);
  const wrongGuess = keep('password guess', 'bobs wrong passphrase 8');
  expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'bob', password: wrongGuess }, { authorization: basic(generic.client_id, genericSecret) })).status).toBe(400);
  const t5 = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, { authorization: basic(generic.client_id, genericSecret) });
  expect(t5.status).toBe(200);
  keep('access token', t5.json.access_token);
  expect((await postForm(`${p.baseUrl}/o/introspect/`, { token: t4.json.access_token }, { authorization: basic(generic.client_id, genericSecret) })).json.active).toBe(true);
  const t6 = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: t4.json.refresh_token }, { authorization: basic(generic.client_id, genericSecret) });
  keep('access token', t6.json.access_token);
  keep('refresh token', t6.json.refresh_token);
  expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: t4.json.refresh_token }, { authorization: basic(generic.client_id, genericSecret) })).status).toBe(400);
  expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, { authorization: basic(generic.client_id, oldGenericSecret) })).status).toBe(401);
  expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials', client_id: generic.client_id, client_secret: keep('wrong secret', 'not-the-secret-0123456789') })).status).toBe(401);

  // Browser: a password typed into the username field, a wrong password, a good sign-in, a password reset.
  const http = new HttpSession();
  const fields = hiddenFields(await (await http.request(`${p.baseUrl}/accounts/login/`)).text(), '/accounts/login/');
  expect((await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: keep('password in the username field', 'correct-horse-battery-staple!'), password: 'x' } })).status).toBe(401);
  expect((await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: 'alice', password: keep('password guess', 'alice wrong guess 99') } })).status).toBe(401);
  expect((await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: 'alice', password: 'correct horse battery' } })).status).toBe(303);
  const sessionCookie = decodeURIComponent(http.cookie('hrm_sso_session') ?? '');
  keep('session id', /^s:([^.]+)\./.exec(sessionCookie)?.[1]);
  await p.running.services.users.setPassword('alice', keep('reset password', 'brand new passphrase 11'));

  const dump = await dumpDatabase();
  const logs = p.logs.text;
  expect(dump.length).toBeGreaterThan(1000);
  expect(logs.length).toBeGreaterThan(1000);
  expect(secrets.size).toBeGreaterThanOrEqual(25);
  const found = [...secrets].flatMap(([value, what]) => [dump.includes(value) ? `${what} in the database` : '', logs.includes(value) ? `${what} in the logs` : '']).filter(Boolean);
  expect(found).toEqual([]);
});
