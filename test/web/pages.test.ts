// The pages people see, over real HTTP against one real provider and FerretDB:
// - branding from configuration, consent in sentences with "Switch account", client logo and home
//   page, the Rocket.Chat app's link notice, plurals, the issuer warning, Connect Rocket.Chat only
//   for Rocket.Chat presets (with the same settings table as the docs), the audit log's filters
//   and pages, discovery without PKCE plain;
// - account security: two-factor set-up confirmed by a code computed here with otplib, two-step
//   sign-in, recovery codes used once, replayed and wrong codes, expired set-up and sign-in, CSRF,
//   rate limit, TWO_FACTOR_REQUIRED, admin reset, the password grant, password change ending other
//   sessions, the session list.
import { authenticator } from 'otplib';
import { loadConfig, ConfigError } from '../../provider/src/kernel/config';
import { issuerWarning } from '../../provider/src/http/views/issuer-warning';
import { renderSettingsTable } from '../../provider/src/tools/rocketchat-settings-docs';
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';
import { HttpSession, decodeEntities, hiddenFields, signIn, submitForm, textOf } from './support';

let p: TestProvider;
let admin: HttpSession;
const RC = 'http://rc.example.test/_oauth/hrm';
const APP_CB = 'http://rc.example.test/api/apps/public/x/hrm-callback';
const STEP_MS = 30_000;
const totp = authenticator.clone({ step: 30, digits: 6 });
/** The code for a moment (otplib, like the user's app). */
const codeAt = (secret: string, ms: number) => totp.clone({ epoch: ms }).generate(secret);

beforeAll(async () => {
  p = await startTestProvider({
    env: {
      ORGANIZATION_NAME: 'Acme Corp',
      LOGO_URL: 'https://cdn.acme.example/logo.svg',
      ACCENT_COLOR: '#0F766E',
      SUPPORT_CONTACT: 'it-help@acme.example',
      SCOPES: 'read write openid profile email hr payroll',
      TWO_FACTOR_RATE_LIMIT: '4',
    },
  });
  await p.createUser({ username: 'root', email: 'root@example.com', name: 'Ada Admin', password: 'admin password', admin: true });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'alice password' });
  await p.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob Jones', password: 'bob password' });
  for (const name of ['tess', 'rita', 'lena', 'greg', 'pat', 'sam', 'ann', 'vic']) {
    await p.createUser({ username: name, email: `${name}@example.com`, name: name.toUpperCase(), password: `${name} old password` });
  }
  admin = await signIn(p.baseUrl, 'root', 'admin password');
});
afterAll(async () => p?.stop());

/** The consent page's "Switch account" form (the header has a plain Sign out form too). */
const switchForm = (html: string) => hiddenFields(html.match(/<form method="post" action="\/accounts\/logout\/" class="switch">[\s\S]*?<\/form>/)![0]);

const authorizePath = (clientId: string, redirectUri: string, scope: string) =>
  `/o/authorize/?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope, state: 'st' })}`;

describe('discovery', () => {
  test('advertises only S256 while no client allows PKCE plain', async () => {
    const { json } = await getJson(`${p.baseUrl}/.well-known/openid-configuration`);
    expect((json as { code_challenge_methods_supported: string[] }).code_challenge_methods_supported).toEqual(['S256']);
  });
});

describe('branding', () => {
  test('organisation, logo, favicon, accent colour and support contact on every page', async () => {
    for (const [http, path] of [[new HttpSession(), '/accounts/login/'], [admin, '/admin/'], [admin, '/accounts/profile/']] as const) {
      const html = await (await http.request(`${p.baseUrl}${path}`)).text();
      expect(html).toContain('<img src="https://cdn.acme.example/logo.svg" alt="" class="logo" height="32">');
      expect(html).toContain('<span class="org">Acme Corp</span>');
      expect(html).toContain('<link rel="icon" href="/static/favicon.svg">');
      expect(html).toContain('<link rel="stylesheet" href="/static/theme.css">');
      expect(html).toContain('<a href="mailto:it-help@acme.example">it-help@acme.example</a>');
      expect(html).toMatch(/<title>[^<]+ · Acme Corp<\/title>/);
    }
    const theme = await fetch(`${p.baseUrl}/static/theme.css`);
    expect(theme.headers.get('content-type')).toContain('text/css');
    expect(await theme.text()).toMatch(/--accent: #0f766e; --on-accent: #ffffff; --link-dark: #[0-9a-f]{6};/);
    const icon = await fetch(`${p.baseUrl}/static/favicon.svg`);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    expect(await icon.text()).toContain('fill="#0f766e"');
    const css = await (await fetch(`${p.baseUrl}/static/style.css`)).text();
    expect(css).toContain('@media (prefers-color-scheme: dark)');
    expect(css).toContain('table.cards td[data-label]::before');
  });

  test('bad branding values stop the start with a sentence naming the variable', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ ACCENT_COLOR: 'red' }, /ACCENT_COLOR is "red", but it must be a colour such as #1d4ed8\./],
      [{ ACCENT_COLOR: '#12345' }, /ACCENT_COLOR is "#12345"/],
      [{ LOGO_URL: 'http://cdn.example/logo.png' }, /LOGO_URL is "http:\/\/cdn.example\/logo.png", but it must be an https:\/\/ URL or a path starting with \//],
      [{ FAVICON_URL: '//evil.example/x.ico' }, /FAVICON_URL is/],
      [{ TWO_FACTOR_REQUIRED: 'sometimes' }, /TWO_FACTOR_REQUIRED is "sometimes", but it must be one of off, admins, everyone\./],
      [{ PASSWORD_MIN_SCORE: '5' }, /PASSWORD_MIN_SCORE is "5", but it must be at most 4\./],
      [{ TWO_FACTOR_ENCRYPTION_KEY: 'short-secret' }, /TWO_FACTOR_ENCRYPTION_KEY is set \(value hidden, 12 characters\), but it must be at least 32 characters long\./],
    ];
    for (const [env, message] of bad) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    }
    expect(loadConfig({ LOGO_URL: '/static/logo.svg', ACCENT_COLOR: '#AbCdEf' }).LOGO_URL).toBe('/static/logo.svg');
  });
});

describe('consent', () => {
  test('scopes as sentences, unknown scope fallback, who is signed in, client logo and home page', async () => {
    const c = await p.createClient({ name: 'Payroll portal', redirectUris: [RC], preset: 'generic' });
    // Logo and home page are set on the client page; an http logo is refused and changes nothing.
    const bad = await submitForm(admin, p.baseUrl, `/admin/clients/${c.client_id}/`, `/admin/clients/${c.client_id}/appearance`, { logo_uri: 'http://cdn.example/logo.png', home_page_uri: 'https://payroll.example/' });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('The logo URL must start with https://');
    expect((await p.db.clients.findOne({ _id: c.client_id }))!.homePageUri).toBeUndefined();
    const ok = await submitForm(admin, p.baseUrl, `/admin/clients/${c.client_id}/`, `/admin/clients/${c.client_id}/appearance`, { logo_uri: 'https://payroll.example/logo.png', home_page_uri: 'https://payroll.example/' });
    expect(ok.res.status).toBe(303);

    const alice = await signIn(p.baseUrl, 'alice', 'alice password');
    const res = await alice.request(`${p.baseUrl}${authorizePath(c.client_id, RC, 'openid email read write payroll')}`);
    const html = decodeEntities(await res.text());
    expect(res.status).toBe(200);
    expect(html).toContain('<li data-scope="openid">Sign you in with your HRM account (your account ID).</li>');
    expect(html).toContain('<li data-scope="email">See your e-mail address.</li>');
    expect(html).toContain('<li data-scope="read">See your profile: name, username, e-mail address, department and job title.</li>');
    expect(html).toContain('<li data-scope="write">Act on your behalf in the application.</li>');
    expect(html).toContain('<li data-scope="payroll">Use the “payroll” permission (ask your administrators what it allows).</li>');
    expect(html).toContain('Signed in as <strong>Alice Smith</strong> (alice).');
    expect(html).toContain('Not you? <button type="submit" class="link">Switch account</button>');
    expect(html).toContain('<img src="https://payroll.example/logo.png" alt="" width="48" height="48">');
    expect(html).toContain('<a href="https://payroll.example/" rel="noopener noreferrer" target="_blank">About Payroll portal</a> (payroll.example)');
    expect(html).not.toContain('links your Rocket.Chat account'); // not the Rocket.Chat app
  });

  test('“Switch account” signs out and returns to the same request as the other person', async () => {
    const c = await p.createClient({ name: 'Switchable', redirectUris: [RC], preset: 'rocketchat-login' });
    const http = await signIn(p.baseUrl, 'alice', 'alice password');
    const path = authorizePath(c.client_id, RC, 'read');
    const consent = await (await http.request(`${p.baseUrl}${path}`)).text();
    const out = await http.request(`${p.baseUrl}/accounts/logout/`, { form: switchForm(consent) });
    expect(out.status).toBe(303);
    const login = out.headers.get('location')!;
    expect(login).toMatch(/^\/accounts\/login\/\?next=/);
    expect(decodeURIComponent(login.slice('/accounts/login/?next='.length))).toBe(path);
    expect((await http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302); // signed out
    const loginPage = await (await http.request(`${p.baseUrl}${login}`)).text();
    expect(loginPage).toContain('to continue to <strong>Switchable</strong>');
    const signedIn = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...hiddenFields(loginPage, '/accounts/login/'), username: 'bob', password: 'bob password' } });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(path);
    const asBob = await (await http.request(`${p.baseUrl}${path}`)).text();
    expect(asBob).toContain('Signed in as <strong>Bob Jones</strong> (bob).');
    // A tampered `next` cannot lead elsewhere.
    const bobConsent = switchForm(asBob);
    const evil = await http.request(`${p.baseUrl}/accounts/logout/`, { form: { ...bobConsent, next: 'https://evil.example/' } });
    expect(evil.headers.get('location')).toBe(`/accounts/login/?next=${encodeURIComponent('/accounts/profile/')}`);
  });

  test('the Rocket.Chat app client says that it links your Rocket.Chat account', async () => {
    const c = await p.createClient({ name: 'HRM app', redirectUris: [APP_CB], preset: 'rocketchat-app' });
    const alice = await signIn(p.baseUrl, 'alice', 'alice password');
    const html = decodeEntities(await (await alice.request(`${p.baseUrl}${authorizePath(c.client_id, APP_CB, 'read write')}`)).text());
    expect(html).toContain('<strong>This links your Rocket.Chat account to your HRM account alice.</strong>');
  });
});

describe('admin console', () => {
  test('plurals: “1 person connected”, “0 people”, “1 client”', async () => {
    const c = await p.createClient({ name: 'Counted', redirectUris: [RC], preset: 'rocketchat-login' });
    const before = await (await admin.request(`${p.baseUrl}/admin/clients/${c.client_id}/`)).text();
    expect(before).toContain('0 active access tokens, 0 refresh tokens, 0 people connected');
    const alice = await signIn(p.baseUrl, 'alice', 'alice password');
    const consent = await (await alice.request(`${p.baseUrl}${authorizePath(c.client_id, RC, 'read')}`)).text();
    expect((await alice.request(`${p.baseUrl}/o/authorize/`, { form: { ...hiddenFields(consent, '/o/authorize/'), allow: 'Authorize' } })).status).toBe(302);
    const after = await (await admin.request(`${p.baseUrl}/admin/clients/${c.client_id}/`)).text();
    expect(after).toContain('1 person connected');
    expect(after).not.toMatch(/\b1 people\b/);
    const profile = await (await alice.request(`${p.baseUrl}/accounts/profile/`)).text();
    expect(profile).toMatch(/\d+ applications? can use your/);
    expect(profile).not.toMatch(/\b1 applications\b/);
  });

  test('a warning banner while the issuer is local or not https', async () => {
    const html = await (await admin.request(`${p.baseUrl}/admin/clients/`)).text();
    expect(html).toContain('id="issuer-warning"');
    expect(decodeEntities(html)).toContain(`The issuer ${new URL(p.baseUrl).origin} is a local or private address`);
    expect(issuerWarning('https://sso.example.com')).toBeUndefined();
    expect(issuerWarning('http://sso.example.com')).toMatch(/is not https/);
    for (const local of ['http://localhost:8000', 'https://10.1.2.3', 'https://192.168.1.5', 'https://[::1]:8443', 'https://sso.internal', 'https://172.20.0.4']) expect([local, issuerWarning(local)]).toEqual([local, expect.stringContaining('local or private address')]);
  });

  test('Connect Rocket.Chat only for Rocket.Chat presets; a generic client gets its credentials page', async () => {
    const generic = await p.createClient({ name: 'Wiki', redirectUris: ['https://wiki.example/cb'], preset: 'generic' });
    const login = await p.createClient({ name: 'Chat login', redirectUris: [RC], preset: 'rocketchat-login' });
    const list = await (await admin.request(`${p.baseUrl}/admin/clients/`)).text();
    expect(list).not.toContain(`href="/admin/clients/${generic.client_id}/connect"`);
    expect(list).toContain(`href="/admin/clients/${login.client_id}/connect"`);
    const edit = await (await admin.request(`${p.baseUrl}/admin/clients/${generic.client_id}/`)).text();
    expect(edit).not.toContain('Connect Rocket.Chat');
    const page = await (await admin.request(`${p.baseUrl}/admin/clients/${generic.client_id}/connect`)).text();
    expect(page).toContain(`<h1>Client credentials: Wiki</h1>`);
    expect(page).toContain(`id="value-client-id"`);
    expect(page).toContain(`${p.baseUrl}/.well-known/openid-configuration`);
    expect(page).not.toContain('value-token-path');
    expect(page).not.toContain('Rocket.Chat will send people back');

    // The login client's page shows exactly the rows of the documented table, for both setups.
    const rc = decodeEntities(await (await admin.request(`${p.baseUrl}/admin/clients/${login.client_id}/connect`)).text());
    const docLabels = renderSettingsTable().split('\n').slice(5).map((row) => row.split(' | ')[0].replace(/^\| /, ''));
    expect(docLabels).toContain('Enable');
    for (const label of docLabels) expect([label, rc.includes(`<th scope="row">${label}</th>`)]).toEqual([label, true]);
    expect(rc.match(/<th scope="row">Enable<\/th>/g)).toHaveLength(2);
    expect(rc).toContain('Administration → Workspace → Settings → OAuth → WordPress:');
  });

  test('the “Already submitted” page points to the first result instead of advising a reload', async () => {
    const page = await (await admin.request(`${p.baseUrl}/admin/clients/new`)).text();
    const form = { ...hiddenFields(page, '/admin/clients/'), name: 'Once only', preset: 'generic', redirect_uris: 'https://once.example/cb' };
    expect((await admin.request(`${p.baseUrl}/admin/clients/`, { form })).status).toBe(201);
    const dup = await admin.request(`${p.baseUrl}/admin/clients/`, { form });
    expect(dup.status).toBe(409);
    const html = decodeEntities(await dup.text());
    expect(html).toContain('Already submitted');
    expect(html).not.toMatch(/reload/i);
    expect(html).toContain('Follow the link below to see what the first submission did.');
    expect(html).toMatch(/href="\/admin\/clients\/[^/]+\/connect"/);
  });

  test('audit log: sentences, JSON behind a disclosure, filters by event, user, client and date, pages of 50', async () => {
    const { audit } = p.running.services;
    for (let i = 0; i < 55; i++) await audit.record('carol', 'user.update', `user${i}`, { fields: ['name'] });
    await audit.record('dave', 'two_factor.reset', 'erin', { by: 'admin' });
    const c = await p.createClient({ name: 'Audited', redirectUris: [RC], preset: 'generic' });
    await audit.record('root', 'client.rotate_secret', `client:${c.client_id}`, {});

    const first = decodeEntities(await (await admin.request(`${p.baseUrl}/admin/audit/?user=carol`)).text());
    expect(first.match(/<tr data-action="user.update">/g)).toHaveLength(50);
    expect(first).toContain('<td data-label="What happened">carol changed the profile of user54</td>');
    expect(first).toContain('<details><summary>Details</summary><pre>{\n  "fields": [\n    "name"\n  ]\n}</pre></details>');
    expect(first).toContain('Entries 1–50, newest first.');
    expect(first).toContain('href="/admin/audit/?user=carol&amp;page=2"'.replace('&amp;', '&'));
    const second = decodeEntities(await (await admin.request(`${p.baseUrl}/admin/audit/?user=carol&page=2`)).text());
    expect(second.match(/<tr data-action="user.update">/g)).toHaveLength(5);
    expect(second).toContain('rel="prev"');
    expect(second).not.toContain('rel="next"');

    const byEvent = decodeEntities(await (await admin.request(`${p.baseUrl}/admin/audit/?event=two_factor.reset`)).text());
    expect(byEvent).toContain('dave reset two-factor sign-in for erin');
    expect(byEvent).not.toContain('carol');
    expect(byEvent).toContain('<option value="two_factor.reset" selected>');
    const byTarget = decodeEntities(await (await admin.request(`${p.baseUrl}/admin/audit/?user=erin`)).text());
    expect(byTarget).toContain('dave reset two-factor sign-in for erin');
    const byClient = decodeEntities(await (await admin.request(`${p.baseUrl}/admin/audit/?client=${c.client_id}`)).text());
    expect(byClient).toContain(`root rotated the secret of the client ${c.client_id}`);
    expect(byClient.match(/<tr data-action=/g)).toHaveLength(1);

    const today = new Date().toISOString().slice(0, 10);
    const dated = await (await admin.request(`${p.baseUrl}/admin/audit/?user=dave&from=${today}&to=${today}`)).text();
    expect(dated.match(/<tr data-action=/g)).toHaveLength(1);
    const past = await (await admin.request(`${p.baseUrl}/admin/audit/?user=dave&to=2001-01-01`)).text();
    expect(past).toContain('No entries match these filters.');
    // Nonsense filters are ignored or match nothing; never an error.
    for (const q of ['from=yesterday', 'page=-3', 'page=abc', 'user[$ne]=x', 'event=%00', 'to=2024-13-45']) {
      const res = await admin.request(`${p.baseUrl}/admin/audit/?${q}`);
      expect([q, res.status]).toEqual([q, 200]);
    }
  });
});

// ---------------------------------------------------------------------------
// Account security

const userDoc = async (username: string) => (await p.db.users.findOne({ username }))!;
const sessions = () => p.db.db.collection('sessions');

/** Signs in, opens the set-up page, and returns the manual key shown there. */
async function startSetup(username: string) {
  const http = await signIn(p.baseUrl, username, `${username} old password`);
  const page = await http.request(`${p.baseUrl}/accounts/two-factor/setup/`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toMatch(/<img class="qr" src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
  const secret = textOf(html, 'manual-key')!.replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  return { http, html, secret };
}

/** Completes set-up; returns the secret, the recovery codes and the moment the code was made. */
async function enrol(username: string) {
  const { http, html, secret } = await startSetup(username);
  const at = Date.now();
  const res = await http.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...hiddenFields(html, '/accounts/two-factor/setup/'), code: codeAt(secret, at) } });
  const page = await res.text();
  expect(res.status).toBe(200);
  const codes = [...page.matchAll(/<li><code>([a-z0-9-]{19})<\/code><\/li>/g)].map((m) => m[1]);
  expect(codes).toHaveLength(10);
  return { http, secret, codes, at };
}

/** Password step; returns the session waiting for the code and the code form's fields. */
async function passwordStep(username: string, password = `${username} old password`, next?: string) {
  const http = new HttpSession();
  const login = await (await http.request(`${p.baseUrl}/accounts/login/${next ? `?next=${encodeURIComponent(next)}` : ''}`)).text();
  const res = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...hiddenFields(login, '/accounts/login/'), username, password } });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/accounts/login/two-factor/');
  const page = await http.request(`${p.baseUrl}/accounts/login/two-factor/`);
  expect(page.status).toBe(200);
  return { http, fields: hiddenFields(await page.text(), '/accounts/login/two-factor/') };
}

const submitCode = (http: HttpSession, fields: Record<string, string>, code: string) => http.request(`${p.baseUrl}/accounts/login/two-factor/`, { form: { ...fields, code } });

describe('setting up two-factor sign-in', () => {
  test('QR code and key; a wrong code or a missing CSRF token saves nothing; the right code turns it on and shows ten recovery codes once', async () => {
    const { http, html, secret } = await startSetup('tess');
    const fields = hiddenFields(html, '/accounts/two-factor/setup/');

    const wrong = await http.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...fields, code: codeAt(secret, Date.now() + 10 * STEP_MS) } });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('That code is not right, so two-factor sign-in is not on yet.');
    const noCsrf = await http.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { code: codeAt(secret, Date.now()) } });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.text()).toContain('Nothing was changed');
    expect((await userDoc('tess')).twoFactor).toBeUndefined();

    // Reloading the page keeps the same pending secret (the app may already have it).
    const reloaded = await (await http.request(`${p.baseUrl}/accounts/two-factor/setup/`)).text();
    expect(textOf(reloaded, 'manual-key')!.replace(/\s+/g, '')).toBe(secret);

    const ok = await http.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...fields, code: codeAt(secret, Date.now()) } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toContain('no-store');
    const page = await ok.text();
    expect(page).toContain('These codes are shown only this once.');
    const codes = [...page.matchAll(/<li><code>([a-z0-9-]{19})<\/code><\/li>/g)].map((m) => m[1]);
    expect(new Set(codes).size).toBe(10);

    // At rest: the secret sealed, the recovery codes only as digests.
    const tf = (await userDoc('tess')).twoFactor!;
    expect(tf.sealedSecret).not.toContain(secret);
    expect(tf.recoveryCodes).toHaveLength(10);
    const stored = JSON.stringify(await userDoc('tess'));
    for (const c of codes) expect(stored).not.toContain(c.replace(/-/g, ''));
    expect(stored).not.toContain(secret);
    expect(await p.db.audit.findOne({ action: 'two_factor.enable', target: 'tess' })).toMatchObject({ actor: 'tess' });

    // The status page now says so, with the count in words.
    const status = await (await http.request(`${p.baseUrl}/accounts/two-factor/`)).text();
    expect(status).toContain('10 recovery codes left.');
    // A second set-up is refused: the page sends back to the status page.
    expect((await http.request(`${p.baseUrl}/accounts/two-factor/setup/`)).status).toBe(303);
  });

  test('an expired set-up saves nothing and starts over with a new key', async () => {
    const { http, html, secret } = await startSetup('rita');
    const rita = await userDoc('rita');
    // The set-up's time runs out (as after TWO_FACTOR_ENROLMENT_SECONDS).
    const r = await sessions().updateOne({ 'session.userId': rita._id, 'session.enrolment': { $exists: true } }, { $set: { 'session.enrolment.expiresAt': Date.now() - 1000 } });
    expect(r.modifiedCount).toBe(1);
    const res = await http.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...hiddenFields(html, '/accounts/two-factor/setup/'), code: codeAt(secret, Date.now()) } });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('This set-up expired (it is valid for 10 minutes) and nothing was saved.');
    expect(textOf(page, 'manual-key')!.replace(/\s+/g, '')).not.toBe(secret);
    expect((await userDoc('rita')).twoFactor).toBeUndefined();
  });
});

describe('signing in with two factors', () => {
  test('password, then code: not signed in between; wrong and replayed codes refused; a fresh code signs in and returns to the page asked for', async () => {
    const { secret, at } = await enrol('lena');
    const { http, fields } = await passwordStep('lena', undefined, '/accounts/sessions/');
    // Between the steps the session is not signed in.
    expect((await http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302);

    const wrong = await submitCode(http, fields, codeAt(secret, Date.now() + 20 * STEP_MS));
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That code is not right.');
    // The code used to confirm the set-up (same time step) is a replay.
    const replay = await submitCode(http, fields, codeAt(secret, at));
    expect(replay.status).toBe(401);
    expect(decodeEntities(await replay.text())).toContain('That code was already used.');

    const next = codeAt(secret, at + STEP_MS); // the next step: within the allowed clock drift
    const ok = await submitCode(http, fields, next);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/accounts/sessions/');
    expect((await http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(200);

    // The same code in another sign-in: refused.
    const other = await passwordStep('lena');
    const again = await submitCode(other.http, other.fields, next);
    expect(again.status).toBe(401);
    expect(decodeEntities(await again.text())).toContain('That code was already used.');
  });

  test('a recovery code works once, not twice; the count goes down and the use is audited', async () => {
    const { codes } = await enrol('greg');
    const first = await passwordStep('greg');
    const ok = await submitCode(first.http, first.fields, codes[3].toUpperCase().replace(/-/g, ' '));
    expect(ok.status).toBe(303);
    expect((await first.http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(200);
    expect((await userDoc('greg')).twoFactor!.recoveryCodes).toHaveLength(9);
    expect(await p.db.audit.findOne({ action: 'two_factor.recovery_code_used', target: 'greg' })).toMatchObject({ detail: { recoveryCodesLeft: 9 } });

    const second = await passwordStep('greg');
    const reused = await submitCode(second.http, second.fields, codes[3]);
    expect(reused.status).toBe(401);
    expect((await second.http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302);
  });

  test('wrong codes are rate-limited per account; the limit also holds for right codes until it lifts', async () => {
    const { secret, at } = await enrol('pat');
    const { http, fields } = await passwordStep('pat');
    for (let i = 0; i < 4; i++) expect((await submitCode(http, fields, '000000')).status).toBe(401);
    const limited = await submitCode(http, fields, codeAt(secret, at + STEP_MS));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.text()).toContain('Too many wrong codes.');
    expect((await http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302);
    expect((await userDoc('pat')).twoFactor!.lastStep).toBe(Math.floor(at / STEP_MS)); // the right code was not consumed
  });

  test('an expired second step and a missing CSRF token: clear pages, not signed in', async () => {
    const { secret, at } = await enrol('sam');
    const { http, fields } = await passwordStep('sam');
    const noCsrf = await http.request(`${p.baseUrl}/accounts/login/two-factor/`, { form: { code: codeAt(secret, at + STEP_MS) } });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.text()).toContain('This form has expired');
    const sam = await userDoc('sam');
    const r = await sessions().updateOne({ 'session.pendingLogin.userId': sam._id }, { $set: { 'session.pendingLogin.expiresAt': Date.now() - 1 } });
    expect(r.modifiedCount).toBe(1);
    const late = await submitCode(http, fields, codeAt(secret, at + STEP_MS));
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('Your sign-in took too long');
    expect((await http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302);
    expect((await userDoc('sam')).twoFactor!.lastStep).toBe(Math.floor(at / STEP_MS));
  });

  test('the password grant answers an account with two-factor exactly like a wrong password', async () => {
    const c = await p.createClient({ name: 'Legacy', redirectUris: [RC], preset: 'generic', grants: ['password'] });
    const res = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'lena', password: 'lena old password', scope: 'read' }, { authorization: basic(c.client_id, c.client_secret) });
    const wrong = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'lena', password: 'not it', scope: 'read' }, { authorization: basic(c.client_id, c.client_secret) });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(wrong.json);
  });
});

describe('administration', () => {
  test('an admin resets two-factor from the user page: audited, the user signs in with the password alone', async () => {
    await enrol('ann');
    const admin = await signIn(p.baseUrl, 'root', 'admin password');
    const ann = await userDoc('ann');
    const { res } = await submitForm(admin, p.baseUrl, `/admin/users/${ann._id}/`, `/admin/users/${ann._id}/reset-2fa`, {});
    expect(res.status).toBe(303);
    const after = await (await admin.request(`${p.baseUrl}${res.headers.get('location')}`)).text();
    expect(after).toContain('Two-factor sign-in was reset');
    expect((await userDoc('ann')).twoFactor).toBeUndefined();
    expect(await p.db.audit.findOne({ action: 'two_factor.reset', target: 'ann' })).toMatchObject({ actor: 'root' });
    const again = await signIn(p.baseUrl, 'ann', 'ann old password'); // one step again
    expect((await again.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(200);
  });

  test('TWO_FACTOR_REQUIRED=everyone: after the password, pages lead to set-up and nothing else can be posted', async () => {
    p.config.TWO_FACTOR_REQUIRED = 'everyone';
    try {
      const http = await signIn(p.baseUrl, 'ann', 'ann old password');
      const page = await http.request(`${p.baseUrl}/accounts/profile/`);
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe(`/accounts/two-factor/setup/?next=${encodeURIComponent('/accounts/profile/')}`);
      const setup = await (await http.request(`${p.baseUrl}/accounts/two-factor/setup/?next=%2Faccounts%2Fprofile%2F`)).text();
      expect(setup).toContain('Your organisation requires two-factor sign-in for your account.');
      const c = await p.createClient({ name: 'Gated', redirectUris: [RC], preset: 'rocketchat-login' });
      const authorize = await http.request(`${p.baseUrl}/o/authorize/?client_id=${c.client_id}&redirect_uri=${encodeURIComponent(RC)}&response_type=code&scope=read`);
      expect(authorize.status).toBe(302);
      expect(authorize.headers.get('location')).toMatch(/^\/accounts\/two-factor\/setup\//);
      const secret = textOf(setup, 'manual-key')!.replace(/\s+/g, '');
      const done = await http.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...hiddenFields(setup, '/accounts/two-factor/setup/'), code: codeAt(secret, Date.now()) } });
      const codesPage = await done.text();
      expect(codesPage).toContain('href="/accounts/profile/"');
      expect((await http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(200);
    } finally {
      p.config.TWO_FACTOR_REQUIRED = 'off';
    }
  });
});

describe('changing one’s own password', () => {
  test('wrong current password, weak or mismatched new one, missing CSRF: refused, nothing changed', async () => {
    const http = await signIn(p.baseUrl, 'rita', 'rita old password');
    const hashBefore = (await userDoc('rita')).passwordHash;
    const page = await (await http.request(`${p.baseUrl}/accounts/password/`)).text();
    expect(page).toContain('data-min-score="3"');
    expect(page).toContain('src="/static/vendor/zxcvbn-core.js"');
    const fields = hiddenFields(page, '/accounts/password/');
    const post = (f: Record<string, string>) => http.request(`${p.baseUrl}/accounts/password/`, { form: { ...fields, sign_out_others: 'on', ...f } });
    const strong = 'violet tractor mango 1987 harbour';
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ current_password: 'nope', new_password: strong, confirm_password: strong }, 400, 'Your current password is not right.'],
      [{ current_password: 'rita old password', new_password: 'password1', confirm_password: 'password1' }, 400, 'This password is too easy to guess'],
      [{ current_password: 'rita old password', new_password: 'rita2024!', confirm_password: 'rita2024!' }, 400, 'This password is too easy to guess'],
      [{ current_password: 'rita old password', new_password: strong, confirm_password: `${strong}x` }, 400, 'differ'],
      [{ current_password: 'rita old password', new_password: '', confirm_password: '' }, 400, 'Fill in all three fields'],
    ];
    for (const [f, status, message] of cases) {
      const res = await post(f);
      expect([f.new_password, res.status]).toEqual([f.new_password, status]);
      expect(decodeEntities(await res.text())).toContain(message);
    }
    const weak = await (await post({ current_password: 'rita old password', new_password: 'password1', confirm_password: 'password1' })).text();
    expect(weak).toMatch(/<ul id="strength-feedback" class="feedback"><li>[^<]+<\/li>/); // the scorer's advice is shown
    const noCsrf = await http.request(`${p.baseUrl}/accounts/password/`, { form: { current_password: 'rita old password', new_password: strong, confirm_password: strong } });
    expect(noCsrf.status).toBe(403);
    expect((await userDoc('rita')).passwordHash).toBe(hashBefore);
  });

  test('a strong new password with “sign out everywhere else”: other sessions end, refresh tokens are revoked, this browser stays signed in', async () => {
    const c = await p.createClient({ name: 'Chat', redirectUris: [RC], preset: 'rocketchat-login' });
    const other = await signIn(p.baseUrl, 'rita', 'rita old password');
    const { code: ritaCode } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: RC, state: 's', scope: 'read' }, { username: 'rita', password: 'rita old password' });
    const tokens = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'authorization_code', code: ritaCode, redirect_uri: RC }, { authorization: basic(c.client_id, c.client_secret) });
    expect(tokens.status).toBe(200);
    const here = await signIn(p.baseUrl, 'rita', 'rita old password');

    const sessionsPage = await (await here.request(`${p.baseUrl}/accounts/sessions/`)).text();
    expect(sessionsPage).toMatch(/\d+ browser sessions\./);
    expect(sessionsPage).toContain('(this browser)');

    const strong = 'violet tractor mango 1987 harbour';
    const { res } = await submitForm(here, p.baseUrl, '/accounts/password/', '/accounts/password/', { current_password: 'rita old password', new_password: strong, confirm_password: strong, sign_out_others: 'on' });
    expect(res.status).toBe(303);
    expect(await (await here.request(`${p.baseUrl}/accounts/password/?notice=changed`)).text()).toContain('Your password was changed.');
    expect((await here.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(200);
    expect((await other.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302);
    const refresh = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: (tokens.json as { refresh_token: string }).refresh_token }, { authorization: basic(c.client_id, c.client_secret) });
    expect(refresh.status).toBe(400);
    expect(await p.db.audit.findOne({ action: 'password.change', target: 'rita' })).toMatchObject({ actor: 'rita', detail: { by: 'user' } });
    expect((await (await signIn(p.baseUrl, 'rita', strong)).request(`${p.baseUrl}/accounts/profile/`)).status).toBe(200);
    await expect(signIn(p.baseUrl, 'rita', 'rita old password')).rejects.toThrow(/401/);
  });

  test('sessions page: sign out one other session', async () => {
    const phone = await signIn(p.baseUrl, 'vic', 'vic old password');
    const laptop = await signIn(p.baseUrl, 'vic', 'vic old password', new HttpSession());
    const page = await (await laptop.request(`${p.baseUrl}/accounts/sessions/`)).text();
    const form = page.match(/<form method="post" action="\/accounts\/sessions\/end\/"[\s\S]*?<\/form>/g) ?? [];
    expect(form.length).toBeGreaterThanOrEqual(1);
    const res = await laptop.request(`${p.baseUrl}/accounts/sessions/end/`, { form: hiddenFields(form[0]!) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/accounts/sessions/?notice=ended');
    expect((await laptop.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(200);
    expect((await phone.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302);
    expect(await p.db.audit.findOne({ action: 'session.end', target: 'vic' })).toMatchObject({ actor: 'vic' });
  });
});
