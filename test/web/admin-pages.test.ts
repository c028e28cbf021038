// The admin console over real HTTP: access control, CSRF, one-time forms, every action audited,
// consistent data after bad input.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';
import { HttpSession, signIn, submitForm, textOf } from './support';

let p: TestProvider;
let admin: HttpSession;
const RC = 'http://rc.example.test/_oauth/hrm';

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'root', email: 'root@example.com', name: 'Ada Admin', password: 'admin password', admin: true });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  admin = await signIn(p.baseUrl, 'root', 'admin password');
});
afterAll(async () => { if (process.env.DEBUG_LOGS) console.log(p.logs.lines.filter((l) => l.includes("\"level\":50")).join("\n")); await p?.stop(); });

async function createClientViaForm(name: string, preset: string, redirectUris: string) {
  return submitForm(admin, p.baseUrl, '/admin/clients/new', '/admin/clients/', { name, preset, redirect_uris: redirectUris });
}

async function codeFlowTokens(clientId: string, secret: string, redirectUri = RC) {
  const { code } = await obtainCode(p.baseUrl, { client_id: clientId, redirect_uri: redirectUri, state: 's1', scope: 'read write' });
  const t = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: redirectUri, grant_type: 'authorization_code', state: 's1' }, { authorization: basic(clientId, secret) });
  expect(t.status).toBe(200);
  return t.json as { access_token: string; refresh_token: string };
}

describe('access control', () => {
  test('anonymous visitors are sent to the login page and back', async () => {
    const anon = new HttpSession();
    for (const path of ['/admin/', '/admin/clients/', '/admin/audit/', '/accounts/profile/']) {
      const res = await anon.request(`${p.baseUrl}${path}`);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`/accounts/login/?next=${encodeURIComponent(path)}`);
    }
    const post = await anon.request(`${p.baseUrl}/admin/clients/`, { form: { name: 'x', preset: 'generic', redirect_uris: RC } });
    expect(post.status).toBe(401);
    expect(await post.text()).toContain('You are signed out');
    expect(await p.db.clients.countDocuments({ name: 'x' })).toBe(0);
  });

  test('signed-in non-admins get a 403 page and change nothing', async () => {
    const alice = await signIn(p.baseUrl, 'alice', 'correct horse battery');
    const res = await alice.request(`${p.baseUrl}/admin/clients/new`);
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('Administrators only');
    expect(html).not.toContain('href="/admin/"');
    // Even with a valid CSRF token from a page of their own.
    const own = await (await alice.request(`${p.baseUrl}/accounts/profile/`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(own)![1];
    const post = await alice.request(`${p.baseUrl}/admin/clients/`, { form: { _csrf: csrf, _once: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'sneaky', preset: 'generic', redirect_uris: RC } });
    expect(post.status).toBe(403);
    expect(await p.db.clients.countDocuments({ name: 'sneaky' })).toBe(0);
  });
});

describe('clients', () => {
  test('create with the Rocket.Chat login preset: secret shown once, works for a token, audited without it', async () => {
    const { res, html } = await createClientViaForm('Company chat', 'rocketchat-login', `${RC}\n`);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const secret = textOf(html, 'value-secret-once')!;
    const clientId = textOf(html, 'value-client-id')!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const doc = await p.db.clients.findOne({ _id: clientId });
    expect(doc).toMatchObject({ name: 'Company chat', preset: 'rocketchat-login', redirectUris: [RC, `${RC}?close`], requirePkce: false, allowQueryCredentials: false });
    // Every Rocket.Chat Custom OAuth value is on the page.
    for (const [id, value] of Object.entries({ url: p.baseUrl, 'token-path': '/o/token/', 'token-sent-via': 'Header', 'identity-token-sent-via': 'Header', 'identity-path': '/api/v2/o/userinfo/', 'authorize-path': '/o/authorize/', scope: 'read write', 'login-style': 'Redirect', 'username-field': 'username', 'email-field': 'email', 'name-field': 'name', 'merge-users': 'On' })) {
      expect([id, textOf(html, `value-${id}`)]).toEqual([id, value]);
    }
    expect(html).toContain('&lt;Site_Url&gt;/_oauth/hrm');
    // The secret works with Rocket.Chat's exact token request.
    const t = await codeFlowTokens(clientId, secret);
    const me = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t.access_token}` });
    expect(me.json).toMatchObject({ username: 'alice', id: me.json.sub });
    // Shown once: the connect page later does not show it.
    const later = await (await admin.request(`${p.baseUrl}/admin/clients/${clientId}/connect`)).text();
    expect(later).not.toContain(secret);
    expect(textOf(later, 'value-client-secret')).toContain('shown only once');
    const entry = await p.db.audit.findOne({ action: 'client.create', target: `client:${clientId}` });
    expect(entry).toMatchObject({ actor: 'root', detail: { name: 'Company chat', preset: 'rocketchat-login' } });
    expect(JSON.stringify(await p.db.audit.find({}).toArray())).not.toContain(secret);
  });

  test('a double-submitted create form makes one client; the second answer points to it', async () => {
    const page = await (await admin.request(`${p.baseUrl}/admin/clients/new`)).text();
    const { hiddenFields } = await import('../support/http-session');
    const form = { ...hiddenFields(page, '/admin/clients/'), name: 'Twice', preset: 'generic', redirect_uris: 'https://app.example.test/cb' };
    const [a, b] = await Promise.all([admin.request(`${p.baseUrl}/admin/clients/`, { form }), admin.request(`${p.baseUrl}/admin/clients/`, { form })]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const dup = await (a.status === 409 ? a : b).text();
    expect(dup).toContain('Already submitted');
    expect(await p.db.clients.countDocuments({ name: 'Twice' })).toBe(1);
    // Re-posting later (refresh after the answer) is also refused, pointing to the client.
    const again = await admin.request(`${p.baseUrl}/admin/clients/`, { form });
    expect(again.status).toBe(409);
    const id = (await p.db.clients.findOne({ name: 'Twice' }))!._id;
    expect(await again.text()).toContain(`/admin/clients/${id}/connect`);
  });

  test('missing or stale CSRF token: clear 403 page, nothing created', async () => {
    const page = await (await admin.request(`${p.baseUrl}/admin/clients/new`)).text();
    const { hiddenFields } = await import('../support/http-session');
    const fields = hiddenFields(page, '/admin/clients/');
    for (const csrf of [undefined, 'stale-token', fields._csrf + 'x']) {
      const form: Record<string, string> = { ...fields, name: 'NoCsrf', preset: 'generic', redirect_uris: 'https://a.example.test/cb' };
      if (csrf === undefined) delete form._csrf;
      else form._csrf = csrf;
      const res = await admin.request(`${p.baseUrl}/admin/clients/`, { form });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('This form has expired');
    }
    expect(await p.db.clients.countDocuments({ name: 'NoCsrf' })).toBe(0);
  });

  test('bad input is explained in place and nothing is half-written', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ name: '', preset: 'generic', redirect_uris: 'https://a.example.test/cb' }, /name is required/],
      [{ name: 'Bad URI', preset: 'generic', redirect_uris: 'javascript:alert(1)' }, /must use https or http/],
      [{ name: 'Frag', preset: 'generic', redirect_uris: 'https://a.example.test/cb#x' }, /fragment/],
      [{ name: 'No URI', preset: 'rocketchat-login', redirect_uris: '' }, /at least one redirect URI/],
      [{ name: 'Evil preset', preset: 'superuser', redirect_uris: 'https://a.example.test/cb' }, /Choose one of the presets/],
    ];
    const before = await p.db.clients.countDocuments({});
    for (const [fields, message] of cases) {
      const { res, html } = await createClientViaForm(fields.name, fields.preset, fields.redirect_uris);
      expect(res.status).toBe(400);
      expect(html).toMatch(message);
      expect(html).toContain('role="alert"');
      if (fields.name) expect(html).toContain(`value="${fields.name}"`);
    }
    expect(await p.db.clients.countDocuments({})).toBe(before);
    // Repeated fields (name=a&name=b) are not strings: refused, not crashed.
    const page = await (await admin.request(`${p.baseUrl}/admin/clients/new`)).text();
    const { hiddenFields } = await import('../support/http-session');
    const f = hiddenFields(page, '/admin/clients/');
    const body = new URLSearchParams({ ...f, preset: 'generic', redirect_uris: 'https://a.example.test/cb' });
    body.append('name', 'a');
    body.append('name', 'b');
    const res = await fetch(`${p.baseUrl}/admin/clients/`, { method: 'POST', headers: { cookie: `hrm_sso_session=${admin.cookie('hrm_sso_session')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body, redirect: 'manual' });
    expect(res.status).toBe(400);
  });

  test('names are escaped everywhere they are shown', async () => {
    const { res } = await createClientViaForm('<script>alert(1)</script>', 'generic', 'https://x.example.test/cb');
    expect(res.status).toBe(201);
    const list = await (await admin.request(`${p.baseUrl}/admin/clients/`)).text();
    expect(list).not.toContain('<script>alert(1)</script>');
    expect(list).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('edit, rotate (once per submission), Connect page Site URL check', async () => {
    const { html } = await createClientViaForm('HRM app', 'rocketchat-app', 'https://chat.example.test/api/apps/public/736dcc32-f0fa-405c-9c63-688d81ec82fa/hrm-callback');
    const id = textOf(html, 'value-client-id')!;
    const secret = textOf(html, 'value-secret-once')!;
    expect(textOf(html, 'value-provider-url')).toBe(p.baseUrl);
    expect(html).toContain('&lt;Site_Url&gt;/api/apps/public/736dcc32-f0fa-405c-9c63-688d81ec82fa/hrm-callback');
    expect(await p.db.clients.findOne({ _id: id })).toMatchObject({ allowQueryCredentials: true, allowTokenOnlyRevocation: true });

    const check = await (await admin.request(`${p.baseUrl}/admin/clients/${id}/connect?site=${encodeURIComponent('https://chat.example.test/')}`)).text();
    expect(textOf(check, 'value-exact-redirect')).toBe('https://chat.example.test/api/apps/public/736dcc32-f0fa-405c-9c63-688d81ec82fa/hrm-callback');
    expect(check).toContain('✓ registered');
    const other = await (await admin.request(`${p.baseUrl}/admin/clients/${id}/connect?site=${encodeURIComponent('https://other.example.test')}`)).text();
    expect(other).toContain('not registered');
    const junk = await admin.request(`${p.baseUrl}/admin/clients/${id}/connect?site=${encodeURIComponent('javascript:alert(1)')}`);
    expect(await junk.text()).toContain('Enter the Site URL');

    // Edit: bad URI refused with the form kept, then a good change saved and audited.
    const bad = await submitForm(admin, p.baseUrl, `/admin/clients/${id}/`, `/admin/clients/${id}/`, { name: 'HRM app', redirect_uris: 'not a url' });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('not an absolute URL');
    expect((await p.db.clients.findOne({ _id: id }))!.redirectUris).toHaveLength(1);
    const good = await submitForm(admin, p.baseUrl, `/admin/clients/${id}/`, `/admin/clients/${id}/`, { name: 'HRM app (prod)', redirect_uris: 'https://chat.example.test/api/apps/public/736dcc32-f0fa-405c-9c63-688d81ec82fa/hrm-callback\nhttps://chat2.example.test/api/apps/public/736dcc32-f0fa-405c-9c63-688d81ec82fa/hrm-callback', skip_authorization: 'on' });
    expect(good.res.status).toBe(303);
    expect(await p.db.clients.findOne({ _id: id })).toMatchObject({ name: 'HRM app (prod)', skipAuthorization: true });
    expect((await p.db.clients.findOne({ _id: id }))!.redirectUris).toHaveLength(2);
    expect(await p.db.audit.findOne({ action: 'client.update', target: `client:${id}` })).toMatchObject({ actor: 'root', detail: { name: 'HRM app (prod)', skipAuthorization: true } });

    // Rotate: the form posted twice rotates once; the first answer's secret works, the old one does not.
    const page = await (await admin.request(`${p.baseUrl}/admin/clients/${id}/`)).text();
    const { hiddenFields } = await import('../support/http-session');
    const form = hiddenFields(page, `/admin/clients/${id}/rotate-secret`);
    const first = await admin.request(`${p.baseUrl}/admin/clients/${id}/rotate-secret`, { form });
    const firstHtml = await first.text();
    expect(first.status).toBe(200);
    const second = await admin.request(`${p.baseUrl}/admin/clients/${id}/rotate-secret`, { form });
    expect(second.status).toBe(409);
    const fresh = textOf(firstHtml, 'value-secret-once')!;
    expect(fresh).not.toBe(secret);
    // The app preset has no client_credentials grant: authentication passes with the new secret
    // (unauthorized_client), fails with the old one (invalid_client).
    const cc = (s: string) => postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, { authorization: basic(id, s) });
    expect((await cc(secret)).status).toBe(401);
    expect((await cc(fresh)).json.error).toBe('unauthorized_client');
    expect(await p.db.audit.countDocuments({ action: 'client.rotate_secret', target: `client:${id}` })).toBe(1);
  });

  test('deleting a client in use: warned, confirmed by name, everything it issued stops working', async () => {
    const { html } = await createClientViaForm('Doomed', 'rocketchat-login', RC);
    const id = textOf(html, 'value-client-id')!;
    const secret = textOf(html, 'value-secret-once')!;
    const t = await codeFlowTokens(id, secret);
    const confirm = await (await admin.request(`${p.baseUrl}/admin/clients/${id}/delete`)).text();
    expect(confirm).toContain('This client is in use');
    expect(confirm).toMatch(/1 active access token, 1 refresh token, 1 person connected/);
    const wrong = await submitForm(admin, p.baseUrl, `/admin/clients/${id}/delete`, `/admin/clients/${id}/delete`, { confirm_name: 'doomed' });
    expect(wrong.res.status).toBe(400);
    expect(await p.db.clients.countDocuments({ _id: id })).toBe(1);
    const del = await submitForm(admin, p.baseUrl, `/admin/clients/${id}/delete`, `/admin/clients/${id}/delete`, { confirm_name: 'Doomed' });
    expect(del.res.status).toBe(303);
    expect(del.res.headers.get('location')).toBe('/admin/clients/?notice=client-deleted');
    // A second submission of the same form: a clear page, nothing else changes.
    const again = await admin.request(`${p.baseUrl}/admin/clients/${id}/delete`, { form: { ...del.hidden, confirm_name: 'Doomed' } });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('already deleted');
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t.access_token}` })).status).toBe(401);
    const refresh = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { authorization: basic(id, secret) });
    expect(refresh.status).toBe(401);
    expect(await p.db.consents.countDocuments({ clientId: id })).toBe(0);
    const authorize = await fetch(`${p.baseUrl}/o/authorize/?client_id=${id}&redirect_uri=${encodeURIComponent(RC)}&response_type=code`, { redirect: 'manual' });
    expect(authorize.status).toBe(400);
    expect(await p.db.audit.findOne({ action: 'client.delete', target: `client:${id}` })).toMatchObject({ actor: 'root', detail: { activeAccessTokens: 1, consents: 1 } });
  });

  test('tokens page: counts per client and user, revoke all for a client', async () => {
    const c = await p.createClient({ name: 'Counted', redirectUris: [RC], preset: 'rocketchat-login' });
    const t = await codeFlowTokens(c.client_id, c.client_secret);
    const page = await (await admin.request(`${p.baseUrl}/admin/tokens/`)).text();
    expect(page).toMatch(/Counted<\/a>[\s\S]*?<td data-label="Active access tokens">1<\/td>\s*<td data-label="Active refresh tokens">1<\/td>/);
    expect(page).toContain('href="/admin/users/');
    const form = (await import('../support/http-session')).hiddenFields(page.slice(page.indexOf('Counted')), '/admin/tokens/revoke-client');
    expect(form.client_id).toBe(c.client_id);
    const res = await admin.request(`${p.baseUrl}/admin/tokens/revoke-client`, { form });
    expect(res.status).toBe(303);
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t.access_token}` })).status).toBe(401);
    expect(await p.db.audit.findOne({ action: 'tokens.revoke_client', target: `client:${c.client_id}` })).toMatchObject({ actor: 'root' });
    // A tampered client id: a clear page, nothing revoked.
    const tampered = await admin.request(`${p.baseUrl}/admin/tokens/revoke-client`, { form: { ...form, client_id: 'nope' } });
    expect(tampered.status).toBe(404);
  });
});

describe('users', () => {
  test('create, duplicate refused, edit, reset password, all audited', async () => {
    const created = await submitForm(admin, p.baseUrl, '/admin/users/new', '/admin/users/', { username: 'bob', email: 'bob@example.com', name: 'Bob Jones', department: 'Sales', job_title: 'Rep', password: 'first password' });
    expect(created.res.status).toBe(303);
    const bob = (await p.db.users.findOne({ username: 'bob' }))!;
    expect(bob).toMatchObject({ email: 'bob@example.com', department: 'Sales', jobTitle: 'Rep', givenName: 'Bob', familyName: 'Jones', admin: false });
    const dup = await submitForm(admin, p.baseUrl, '/admin/users/new', '/admin/users/', { username: 'Bob', email: 'b2@example.com', name: 'B', password: 'long enough' });
    expect(dup.res.status).toBe(400);
    expect(dup.html).toContain('A user named &quot;bob&quot; already exists');
    const short = await submitForm(admin, p.baseUrl, '/admin/users/new', '/admin/users/', { username: 'carol', email: 'c@example.com', name: 'C', password: 'short' });
    expect(short.res.status).toBe(400);
    expect(await p.db.users.countDocuments({ username: 'carol' })).toBe(0);

    const edit = await submitForm(admin, p.baseUrl, `/admin/users/${bob._id}/`, `/admin/users/${bob._id}/`, { email: 'bob.jones@example.com', name: 'Bob Jones', given_name: 'Bob', family_name: 'Jones', department: 'Marketing', job_title: 'Lead' });
    expect(edit.res.status).toBe(303);
    expect(await p.db.users.findOne({ _id: bob._id })).toMatchObject({ email: 'bob.jones@example.com', department: 'Marketing', jobTitle: 'Lead' });
    const taken = await submitForm(admin, p.baseUrl, `/admin/users/${bob._id}/`, `/admin/users/${bob._id}/`, { email: 'alice@example.com', name: 'Bob Jones' });
    expect(taken.res.status).toBe(400);
    expect(taken.html).toContain('already exists');
    expect((await p.db.users.findOne({ _id: bob._id }))!.email).toBe('bob.jones@example.com');

    const mismatch = await submitForm(admin, p.baseUrl, `/admin/users/${bob._id}/`, `/admin/users/${bob._id}/password`, { password: 'new password 1', password_confirm: 'new password 2' });
    expect(mismatch.res.status).toBe(400);
    const reset = await submitForm(admin, p.baseUrl, `/admin/users/${bob._id}/`, `/admin/users/${bob._id}/password`, { password: 'new password 1', password_confirm: 'new password 1' });
    expect(reset.res.status).toBe(303);
    await signIn(p.baseUrl, 'bob', 'new password 1');
    const actions = (await p.db.audit.find({ target: 'user:bob' }).toArray()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.update', 'user.reset_password']));
    expect(JSON.stringify(await p.db.audit.find({ target: 'user:bob' }).toArray())).not.toMatch(/password 1|first password/);
  });

  test('a user deactivated mid-session loses the session and the tokens at once', async () => {
    await p.createUser({ username: 'dave', email: 'dave@example.com', name: 'Dave', password: 'dave password' });
    const dave = await signIn(p.baseUrl, 'dave', 'dave password');
    expect((await dave.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(200);
    const c = await p.createClient({ name: 'Dave app', redirectUris: [RC], preset: 'rocketchat-login', skipAuthorization: true });
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: RC, scope: 'read' }, { username: 'dave', password: 'dave password' });
    const t = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: RC, grant_type: 'authorization_code' }, { authorization: basic(c.client_id, c.client_secret) });
    const id = (await p.db.users.findOne({ username: 'dave' }))!._id;
    const off = await submitForm(admin, p.baseUrl, `/admin/users/${id}/`, `/admin/users/${id}/active`, {});
    expect(off.res.status).toBe(303);
    expect(off.res.headers.get('location')).toContain('notice=user-deactivated');
    expect((await dave.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302);
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t.json.access_token}` })).status).toBe(401);
    await expect(signIn(p.baseUrl, 'dave', 'dave password')).rejects.toThrow(/401/);
    expect(await p.db.audit.findOne({ action: 'user.deactivate', target: 'user:dave' })).toMatchObject({ actor: 'root', detail: { tokensRevoked: 1 } });
    const on = await submitForm(admin, p.baseUrl, `/admin/users/${id}/`, `/admin/users/${id}/active`, {});
    expect(on.res.headers.get('location')).toContain('notice=user-activated');
    await signIn(p.baseUrl, 'dave', 'dave password');
  });

  test('an admin cannot lock themselves out', async () => {
    const rootId = (await p.db.users.findOne({ username: 'root' }))!._id;
    const page = await (await admin.request(`${p.baseUrl}/admin/users/${rootId}/`)).text();
    expect(page).not.toContain('Deactivate user');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const res = await admin.request(`${p.baseUrl}/admin/users/${rootId}/active`, { form: { _csrf: csrf, active: 'false' } });
    expect(res.status).toBe(400);
    const demote = await submitForm(admin, p.baseUrl, `/admin/users/${rootId}/`, `/admin/users/${rootId}/`, { email: 'root@example.com', name: 'Ada Admin' });
    expect(demote.res.status).toBe(400);
    expect(await p.db.users.findOne({ _id: rootId })).toMatchObject({ active: true, admin: true });
  });

  test('unknown ids get a clear 404 page', async () => {
    for (const path of ['/admin/users/nope/', '/admin/clients/nope/', '/admin/clients/nope/connect', '/admin/clients/nope/delete']) {
      const res = await admin.request(`${p.baseUrl}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.text()).toContain('not found');
    }
  });
});

test('the audit log page shows who did what', async () => {
  const html = await (await admin.request(`${p.baseUrl}/admin/audit/`)).text();
  expect(html).toMatch(/<td data-label="What happened">root created the client [^<]+<\/td>/);
  expect(html).toMatch(/<td data-label="What happened">root deactivated [^<]+<\/td>/);
  expect(html).toContain('<td data-label="Event">Client created</td>');
});
