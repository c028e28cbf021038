// The pages people see, over real HTTP: branding from configuration, consent in sentences with
// "Switch account", client logo and home page, the Rocket.Chat app's link notice, plurals, the
// issuer warning, Connect Rocket.Chat only for Rocket.Chat presets (with the same settings table
// as the docs), the audit log's filters and pages, discovery without PKCE plain.
import { loadConfig, ConfigError } from '../../provider/src/config';
import { issuerWarning } from '../../provider/src/web/issuer-warning';
import { renderSettingsTable } from '../../provider/src/rocketchat-settings-docs';
import { startTestProvider, type TestProvider } from '../support/provider';
import { getJson } from '../support/oauth-requests';
import { HttpSession, decodeEntities, hiddenFields, signIn, submitForm } from './support';

let p: TestProvider;
let admin: HttpSession;
const RC = 'http://rc.example.test/_oauth/hrm';
const APP_CB = 'http://rc.example.test/api/apps/public/x/hrm-callback';

beforeAll(async () => {
  p = await startTestProvider({
    env: {
      ORGANIZATION_NAME: 'Acme Corp',
      LOGO_URL: 'https://cdn.acme.example/logo.svg',
      ACCENT_COLOR: '#0F766E',
      SUPPORT_CONTACT: 'it-help@acme.example',
      SCOPES: 'read write openid profile email hr payroll',
    },
  });
  await p.createUser({ username: 'root', email: 'root@example.com', name: 'Ada Admin', password: 'admin password', admin: true });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'alice password' });
  await p.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob Jones', password: 'bob password' });
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
    expect(html).toContain('<li data-scope="openid">Confirm who you are when you sign in (your account ID).</li>');
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
