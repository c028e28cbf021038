// Account page ("Connected apps"), security headers on every page, CSRF and stale pages,
// tampered hidden fields — over real HTTP.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';
import { HttpSession, hiddenFields, signIn, submitForm } from './support';

let p: TestProvider;
const RC = 'http://rc.example.test/_oauth/hrm';

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'root', email: 'root@example.com', name: 'Ada Admin', password: 'admin password', admin: true });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery', department: 'R&D' });
  await p.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob', password: 'bob password' });
});
afterAll(async () => p?.stop());

async function tokensFor(clientId: string, secret: string, creds = { username: 'alice', password: 'correct horse battery' }) {
  const { code } = await obtainCode(p.baseUrl, { client_id: clientId, redirect_uri: RC, state: 'st', scope: 'read write' }, creds);
  const t = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: RC, grant_type: 'authorization_code', state: 'st' }, { authorization: basic(clientId, secret) });
  expect(t.status).toBe(200);
  return t.json as { access_token: string; refresh_token: string };
}

describe('security headers and markup on every page', () => {
  test('CSP without inline scripts, no framing, no referrer, no inline handlers or styles', async () => {
    const c = await p.createClient({ name: 'Header check', redirectUris: [RC], preset: 'rocketchat-login' });
    const admin = await signIn(p.baseUrl, 'root', 'admin password');
    const rootId = (await p.db.users.findOne({ username: 'root' }))!._id;
    const pages: Array<[HttpSession, string]> = [
      [new HttpSession(), '/'],
      [new HttpSession(), '/accounts/login/'],
      [new HttpSession(), `/o/authorize/?client_id=nope&redirect_uri=x&response_type=code`],
      [admin, '/'],
      [admin, '/accounts/profile/'],
      [admin, `/o/authorize/?client_id=${c.client_id}&redirect_uri=${encodeURIComponent(RC)}&response_type=code&scope=read`],
      [admin, '/admin/'],
      [admin, '/admin/clients/'],
      [admin, '/admin/clients/new'],
      [admin, `/admin/clients/${c.client_id}/`],
      [admin, `/admin/clients/${c.client_id}/connect`],
      [admin, `/admin/clients/${c.client_id}/delete`],
      [admin, '/admin/users/'],
      [admin, '/admin/users/new'],
      [admin, `/admin/users/${rootId}/`],
      [admin, '/admin/tokens/'],
      [admin, '/admin/audit/'],
    ];
    for (const [http, path] of pages) {
      const res = await http.request(`${p.baseUrl}${path}`);
      const html = await res.text();
      expect([path, res.status < 500]).toEqual([path, true]);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect([path, /<script(?![^>]*\ssrc=)[^>]*>/i.test(html)]).toEqual([path, false]);
      expect([path, /\son[a-z]+\s*=/i.test(html)]).toEqual([path, false]);
      expect([path, /\sstyle\s*=/i.test(html)]).toEqual([path, false]);
      expect([path, /https?:\/\/(?!127\.0\.0\.1)[^"'\s]*\.(js|css)\b/.test(html)]).toEqual([path, false]);
      if (path.startsWith('/admin') || path.startsWith('/accounts')) expect(res.headers.get('cache-control')).toContain('no-store');
      // Every form that changes something carries a CSRF token.
      for (const form of html.match(/<form[^>]*method="post"[\s\S]*?<\/form>/g) ?? []) expect(form).toContain('name="_csrf"');
    }
  });

  test('every page is reachable by links from the start page', async () => {
    const admin = await signIn(p.baseUrl, 'root', 'admin password');
    const seen = new Set<string>();
    const queue = ['/'];
    while (queue.length && seen.size < 200) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await admin.request(`${p.baseUrl}${path}`);
      if (!(res.headers.get('content-type') ?? '').includes('text/html')) continue;
      const html = await res.text();
      for (const m of html.matchAll(/href="(\/[^"#?]*)(?:\?[^"]*)?"/g)) if (!m[1].startsWith('/static/') && !seen.has(m[1])) queue.push(m[1]);
    }
    for (const page of ['/accounts/profile/', '/admin/', '/admin/clients/', '/admin/clients/new', '/admin/users/', '/admin/users/new', '/admin/tokens/', '/admin/audit/']) expect(seen).toContain(page);
    expect([...seen].some((s) => /^\/admin\/clients\/[^/]+\/connect$/.test(s))).toBe(true);
    expect([...seen].some((s) => /^\/admin\/clients\/[^/]+\/delete$/.test(s))).toBe(true);
    expect([...seen].some((s) => /^\/admin\/users\/[^/]+\/$/.test(s))).toBe(true);
  });
});

describe('connected apps', () => {
  test('lists every granted client with scopes and dates; Revoke withdraws consent and tokens at once', async () => {
    const chat = await p.createClient({ name: 'Company chat', redirectUris: [RC], preset: 'rocketchat-login' });
    const wiki = await p.createClient({ name: 'Wiki', redirectUris: [RC], preset: 'generic', skipAuthorization: true });
    const tChat = await tokensFor(chat.client_id, chat.client_secret);
    const tWiki = await tokensFor(wiki.client_id, wiki.client_secret);
    const tBob = await tokensFor(chat.client_id, chat.client_secret, { username: 'bob', password: 'bob password' });
    const alice = await signIn(p.baseUrl, 'alice', 'correct horse battery');
    const page = await (await alice.request(`${p.baseUrl}/accounts/profile/`)).text();
    expect(page).toContain('Alice Smith');
    expect(page).toContain('R&amp;D');
    expect(page).toContain('<h3>Company chat</h3>');
    expect(page).toContain('<h3>Wiki</h3>'); // skip-authorization client: listed through its live tokens
    expect(page).toMatch(/First used \d{4}-\d\d-\d\d \d\d:\d\d UTC · last used \d{4}-/);
    expect(page).toContain('See your profile');

    const form = hiddenFields(page.slice(page.indexOf('<h3>Company chat</h3>')), '/accounts/profile/revoke/');
    expect(form.client_id).toBe(chat.client_id);
    const res = await alice.request(`${p.baseUrl}/accounts/profile/revoke/`, { form });
    expect(res.status).toBe(303);
    const after = await (await alice.request(`${p.baseUrl}${res.headers.get('location')}`)).text();
    expect(after).toContain('Access for Company chat was revoked');
    expect(after).not.toContain('<h3>Company chat</h3>');
    expect(after).toContain('<h3>Wiki</h3>');
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${tChat.access_token}` })).status).toBe(401);
    expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: tChat.refresh_token }, { authorization: basic(chat.client_id, chat.client_secret) })).status).toBe(400);
    // Other grants are untouched: Alice's other app and Bob's use of the same client.
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${tWiki.access_token}` })).status).toBe(200);
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${tBob.access_token}` })).status).toBe(200);
    const aliceId = (await p.db.users.findOne({ username: 'alice' }))!._id;
    expect(await p.db.consents.countDocuments({ userId: aliceId, clientId: chat.client_id })).toBe(0);
    expect(await p.db.audit.findOne({ action: 'connection.revoke', target: `client:${chat.client_id}` })).toMatchObject({ actor: 'alice' });

    // Double submit: the second one is harmless.
    const again = await alice.request(`${p.baseUrl}/accounts/profile/revoke/`, { form });
    expect(again.status).toBe(303);
    // Tampered client id: unknown → clear page; Bob's client id → only Alice's (absent) grant touched.
    const tampered = await alice.request(`${p.baseUrl}/accounts/profile/revoke/`, { form: { ...form, client_id: '{"$ne":null}' } });
    expect(tampered.status).toBe(404);
    expect(await tampered.text()).toContain('Nothing was changed');
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${tBob.access_token}` })).status).toBe(200);
    // After revoking, signing in to the app asks for consent again.
    const http = await signIn(p.baseUrl, 'alice', 'correct horse battery');
    const consent = await http.request(`${p.baseUrl}/o/authorize/?client_id=${chat.client_id}&redirect_uri=${encodeURIComponent(RC)}&response_type=code&scope=read`);
    expect(await consent.text()).toContain('Allow');
  });
});

describe('stale and tampered forms', () => {
  test('a login page whose CSRF cookie is gone (browser restarted): clear 403 page, then signing in works', async () => {
    const http = new HttpSession();
    const page = await (await new HttpSession().request(`${p.baseUrl}/accounts/login/`)).text();
    const fields = hiddenFields(page, '/accounts/login/'); // the token of a cookie this browser no longer has
    const res = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...fields, username: 'alice', password: 'correct horse battery' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This form has expired');
    await signIn(p.baseUrl, 'alice', 'correct horse battery', http);
  });

  test('a login page left open while signing in elsewhere in the same browser', async () => {
    const http = new HttpSession();
    const stale = hiddenFields(await (await http.request(`${p.baseUrl}/accounts/login/`)).text(), '/accounts/login/');
    await signIn(p.baseUrl, 'alice', 'correct horse battery', http); // the other tab; the session id rotates
    const res = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...stale, username: 'alice', password: 'correct horse battery' } });
    // Already signed in: the stale page simply continues to where it was going.
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/accounts/profile/');
    expect((await http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(200); // still signed in
  });

  test('tampered consent fields: re-validated, error page, no redirect, no consent', async () => {
    const c = await p.createClient({ name: 'Tamper', redirectUris: [RC], preset: 'rocketchat-login' });
    const http = await signIn(p.baseUrl, 'bob', 'bob password');
    const page = await (await http.request(`${p.baseUrl}/o/authorize/?client_id=${c.client_id}&redirect_uri=${encodeURIComponent(RC)}&response_type=code&scope=read&state=abc`)).text();
    const fields = hiddenFields(page, '/o/authorize/');
    const tampered: Array<Record<string, string>> = [{ redirect_uri: 'https://evil.example/cb' }, { client_id: 'unknown' }, { response_type: 'token' }, { scope: 'admin' }];
    for (const bad of tampered) {
      const res = await http.request(`${p.baseUrl}/o/authorize/`, { form: { ...fields, ...bad, allow: 'Authorize' } });
      const location = res.headers.get('location') ?? '';
      expect(location.startsWith('https://evil.example')).toBe(false);
      if (res.status === 400) expect(await res.text()).toMatch(/Unregistered return address|Unknown application/);
      else expect(location).toMatch(/^http:\/\/rc\.example\.test\/_oauth\/hrm\?error=/);
    }
    const bobId = (await p.db.users.findOne({ username: 'bob' }))!._id;
    expect(await p.db.consents.countDocuments({ userId: bobId, clientId: c.client_id })).toBe(0);
  });

  test('back button after consent: the authorize page re-runs without asking again and without errors', async () => {
    const c = await p.createClient({ name: 'Back', redirectUris: [RC], preset: 'rocketchat-login' });
    const http = await signIn(p.baseUrl, 'bob', 'bob password');
    const url = `${p.baseUrl}/o/authorize/?client_id=${c.client_id}&redirect_uri=${encodeURIComponent(RC)}&response_type=code&scope=read&state=abc`;
    const first = await http.request(url);
    expect(first.headers.get('cache-control')).toContain('no-store');
    const fields = hiddenFields(await first.text(), '/o/authorize/');
    const allowed = await http.request(`${p.baseUrl}/o/authorize/`, { form: { ...fields, allow: 'Authorize' } });
    expect(allowed.status).toBe(302);
    // Back: the browser reloads the (no-store) consent URL → straight back to the app with a fresh code.
    const back = await http.request(url);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toMatch(/^http:\/\/rc\.example\.test\/_oauth\/hrm\?code=.+&state=abc$/);
    // Resubmitting the consent form itself (Back twice, then Allow again): one consent, no error.
    const resubmit = await http.request(`${p.baseUrl}/o/authorize/`, { form: { ...fields, allow: 'Authorize' } });
    expect(resubmit.status).toBe(302);
    const bobId = (await p.db.users.findOne({ username: 'bob' }))!._id;
    expect(await p.db.consents.countDocuments({ userId: bobId, clientId: c.client_id })).toBe(1);
  });

  test('forms on admin pages without their one-time field are refused, nothing changed', async () => {
    const admin = await signIn(p.baseUrl, 'root', 'admin password');
    const { res } = await submitForm(admin, p.baseUrl, '/admin/clients/new', '/admin/clients/', { _once: '', name: 'No once', preset: 'generic', redirect_uris: RC });
    expect(res.status).toBe(400);
    expect(await p.db.clients.countDocuments({ name: 'No once' })).toBe(0);
  });
});
