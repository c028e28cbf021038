// Visitors without a session cost no database write: 300 cookieless page views (pages, 404s,
// unknown /o/ and /api/ paths, the sign-in form, an authorization request) store 0 sessions.
// Signing in still works (the sign-in form's CSRF token is a signed cookie, not a session) and
// creates exactly one session.
import { startTestProvider, type TestProvider } from '../support/provider';
import { HttpSession, hiddenFields } from '../support/http-session';
import { rawRequest } from './support';

let p: TestProvider;
let clientId: string;

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice', password: 'correct horse battery' });
  clientId = (await p.createClient({ name: 'Chat', redirectUris: ['http://127.0.0.1:9/cb'], preset: 'rocketchat-login' })).client_id;
}, 60000);
afterAll(() => p?.stop());

const sessions = () => p.db.db.collection('sessions').countDocuments({});

test('300 cookieless page views write 0 session documents and set no session cookie', async () => {
  const paths = ['/', '/accounts/login/', '/accounts/login/?next=/o/authorize/', '/no/such/page', '/o/nothing-here/', '/api/v9/unknown', '/o/userinfo/x', `/o/authorize/?response_type=code&client_id=${clientId}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb`, '/accounts/profile/', '/admin/'];
  const setCookies: string[] = [];
  for (let i = 0; i < 300; i++) {
    const res = await rawRequest(`${p.baseUrl}${paths[i % paths.length]}`, { headers: { accept: i % 3 ? 'text/html' : 'application/json' } });
    expect(res.status).toBeLessThan(500);
    setCookies.push(...(res.headers['set-cookie'] ?? []));
  }
  expect(await sessions()).toBe(0);
  expect(setCookies.filter((c) => c.startsWith('hrm_sso_session='))).toEqual([]);
});

test('bad form posts by visitors write no session either', async () => {
  for (let i = 0; i < 20; i++) {
    const res = await rawRequest(`${p.baseUrl}/accounts/login/`, { form: { username: 'alice', password: 'x', _csrf: 'forged' } });
    expect(res.status).toBe(403);
  }
  expect(await sessions()).toBe(0);
});

test('signing in through the form works with the signed CSRF cookie and stores exactly one session', async () => {
  const http = new HttpSession();
  const page = await http.request(`${p.baseUrl}/accounts/login/`);
  expect(http.cookie('hrm_sso_csrf')).toBeDefined();
  const fields = hiddenFields(await page.text(), '/accounts/login/');
  // A token from another browser's cookie does not pass.
  const other = new HttpSession();
  const otherFields = hiddenFields(await (await other.request(`${p.baseUrl}/accounts/login/`)).text(), '/accounts/login/');
  expect((await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...otherFields, username: 'alice', password: 'correct horse battery' } })).status).toBe(403);
  const res = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: 'alice', password: 'correct horse battery' } });
  expect(res.status).toBe(303);
  expect(http.cookie('hrm_sso_session')).toBeDefined();
  expect(await sessions()).toBe(1);
  // Signed in, forms carry the session's token: signing out works and ends the session.
  const profile = await http.request(`${p.baseUrl}/accounts/profile/`);
  const logoutFields = hiddenFields(await profile.text(), '/accounts/logout/');
  expect((await http.request(`${p.baseUrl}/accounts/logout/`, { form: logoutFields })).status).toBe(200);
  expect(await sessions()).toBe(0);
});

test('a password typed into the username field is not logged', async () => {
  const http = new HttpSession();
  const fields = hiddenFields(await (await http.request(`${p.baseUrl}/accounts/login/`)).text(), '/accounts/login/');
  const typed = 'Tr0ub4dor&3-in-the-wrong-box';
  expect((await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: typed, password: 'x' } })).status).toBe(401);
  expect((await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: 'alice', password: 'not her password' } })).status).toBe(401);
  const failures = p.logs.entries().filter((e) => e.event === 'login_failed');
  expect(p.logs.text).not.toContain(typed);
  expect(failures).toEqual([
    expect.objectContaining({ reason: 'unknown_user', ip: expect.stringContaining('127.0.0.1'), typedNameHash: expect.stringMatching(/^[0-9a-f]{12}$/) }),
    expect.objectContaining({ reason: 'wrong_password', username: 'alice' }),
  ]);
});
