// Login, consent and logout as DOT's forms behave: `allow` present approves, absent cancels;
// consent is skipped for skip-authorization clients and for scopes already granted.
import { startTestProvider, type TestProvider } from '../support/provider';
import { HttpSession, hiddenFields } from '../support/http-session';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { authorizeUrl } from '../support/oauth-requests';

const REDIRECT = 'https://chat.example.com/_oauth/hrm';
const creds = { username: 'alice', password: 'correct horse battery' };
let p: TestProvider;

beforeAll(async () => {
  p = await startTestProvider({ env: { ORGANIZATION_NAME: 'Acme <HR>' } });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: creds.password });
});
afterAll(() => p.stop());

async function signedIn(): Promise<HttpSession> {
  const http = new HttpSession();
  const page = await http.request(`${p.baseUrl}/accounts/login/`);
  const res = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...hiddenFields(await page.text(), '/accounts/login/'), ...creds } });
  expect(res.status).toBe(303);
  return http;
}

test('the consent page names the client and each scope in words; Cancel (no `allow`) returns access_denied', async () => {
  const c = await p.createClient({ name: 'Team <Chat>', redirectUris: [REDIRECT] });
  const http = await signedIn();
  const page = await http.request(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 'st', scope: 'read write' }));
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toContain('Team &lt;Chat&gt;'); // auto-escaped
  expect(html).toContain('Acme &lt;HR&gt;');
  expect(html).toMatch(/See your profile/);
  expect(html).toMatch(/Act on your behalf/);
  const back = await authorizeWithForms(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 'st' }), creds, { cancel: true, session: http });
  expect(back.searchParams.get('error')).toBe('access_denied');
  expect(back.searchParams.get('state')).toBe('st');
  expect(await p.db.codes.countDocuments({ clientId: c.client_id })).toBe(0);
});

test('consent is remembered per scope: same scopes skip it, a new scope asks again', async () => {
  const c = await p.createClient({ name: 'Remembered', redirectUris: [REDIRECT] });
  const http = await signedIn();
  await authorizeWithForms(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 'a', scope: 'read' }), creds, { session: http });
  const again = await http.request(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 'b', scope: 'read' }));
  expect(again.status).toBe(302);
  expect(again.headers.get('location')).toMatch(/code=/);
  const wider = await http.request(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 'c', scope: 'read write' }));
  expect(wider.status).toBe(200);
  expect(await wider.text()).toMatch(/Allow/);
});

test('skip-authorization clients never show the consent page', async () => {
  const c = await p.createClient({ name: 'Trusted', redirectUris: [REDIRECT], skipAuthorization: true });
  const http = await signedIn();
  const res = await http.request(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 'z', scope: 'read write' }));
  expect(res.status).toBe(302);
  expect(new URL(res.headers.get('location')!).searchParams.get('state')).toBe('z');
});

test('wrong password keeps the username and shows the error in place; next cannot leave the site', async () => {
  const http = new HttpSession();
  const page = await http.request(`${p.baseUrl}/accounts/login/?next=//evil.example.com/`);
  const fields = hiddenFields(await page.text(), '/accounts/login/');
  expect(fields.next).toBe('/accounts/profile/');
  // A browser drops tabs and newlines from a URL: "/<TAB>/evil.example.com/" would leave the site.
  for (const next of ['%2F%09%2Fevil.example.com%2F', '%2F%0A%2Fevil.example.com%2F']) {
    const tricked = await http.request(`${p.baseUrl}/accounts/login/?next=${next}`);
    expect(hiddenFields(await tricked.text(), '/accounts/login/').next).toBe('/accounts/profile/');
  }
  const wrong = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: 'alice', password: 'nope nope' } });
  const html = await wrong.text();
  expect(wrong.status).toBe(401);
  expect(html).toMatch(/role="alert"[^>]*>Wrong username or password/);
  expect(html).toMatch(/name="username"[^>]*value="alice"/);
});

test('logout ends the session: the next authorization asks to sign in again', async () => {
  const http = await signedIn();
  const home = await http.request(`${p.baseUrl}/`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1];
  const out = await http.request(`${p.baseUrl}/accounts/logout/`, { form: { _csrf: csrf } });
  expect(out.status).toBe(200);
  expect(await out.text()).toMatch(/You are signed out/);
  const c = await p.createClient({ name: 'After logout', redirectUris: [REDIRECT], skipAuthorization: true });
  const res = await http.request(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 'q' }));
  expect(res.headers.get('location')).toMatch(/^\/accounts\/login\/\?next=/);
});

test('a deactivated user loses the session at the next request', async () => {
  await p.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob', password: 'bob password 1' });
  const http = new HttpSession();
  const page = await http.request(`${p.baseUrl}/accounts/login/`);
  await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...hiddenFields(await page.text(), '/accounts/login/'), username: 'bob', password: 'bob password 1' } });
  await p.running.services.users.setActive('bob', false);
  const c = await p.createClient({ name: 'Deactivation', redirectUris: [REDIRECT], skipAuthorization: true });
  const res = await http.request(authorizeUrl(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 'q' }));
  expect(res.headers.get('location')).toMatch(/^\/accounts\/login\//);
});
