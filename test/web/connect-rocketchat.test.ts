// The "Connect Rocket.Chat" page of a login client: Custom OAuth (Premium from 9.0) and the
// WordPress provider (every edition) side by side, each with OVERWRITE_SETTING lines; created
// over real HTTP through the admin form with the rocketchat-wordpress preset.
import { startTestProvider, type TestProvider } from '../support/provider';
import { HttpSession, decodeEntities, signIn, submitForm, textOf } from './support';

let p: TestProvider;
let admin: HttpSession;
const WP = 'http://rc.example.test/_oauth/wordpress';

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'root', email: 'root@example.com', name: 'Ada Admin', password: 'admin password', admin: true });
  admin = await signIn(p.baseUrl, 'root', 'admin password');
});
afterAll(() => p?.stop());

function envBlock(html: string, id: string): string[] {
  const m = new RegExp(`<pre class="env" id="${id}">([\\s\\S]*?)</pre>`).exec(html);
  return m ? decodeEntities(m[1]).trim().split('\n') : [];
}

test('a WordPress login client: both setups with their values, env lines and redirect URIs; the secret never in the env lines', async () => {
  const { res, html } = await submitForm(admin, p.baseUrl, '/admin/clients/new', '/admin/clients/', { name: 'Community chat', preset: 'rocketchat-wordpress', redirect_uris: `${WP}\n` });
  expect(res.status).toBe(201);
  const secret = textOf(html, 'value-secret-once')!;
  const clientId = textOf(html, 'value-client-id')!;
  const doc = await p.db.clients.findOne({ _id: clientId });
  expect(doc).toMatchObject({ preset: 'rocketchat-wordpress', redirectUris: [WP, `${WP}?close`] });

  // The preset's own setup first, unprefixed ids; the other one prefixed.
  expect(html.indexOf('id="setup-wordpress"')).toBeLessThan(html.indexOf('id="setup-custom-oauth"'));
  expect(html).toContain('Premium from Rocket.Chat 9.0');
  expect(html).toContain('every edition (Community included)');
  for (const [id, value] of Object.entries({ url: p.baseUrl, 'server-type': 'Custom', 'identity-path': '/api/v2/o/userinfo/', 'token-path': '/o/token/', 'authorize-path': '/o/authorize/', scope: 'read write' })) {
    expect([id, textOf(html, `value-${id}`)]).toEqual([id, value]);
  }
  expect(textOf(html, 'value-custom-oauth-username-field')).toBe('username');
  expect(decodeEntities(html)).toContain('<Site_Url>/_oauth/wordpress');
  expect(decodeEntities(html)).toContain('<Site_Url>/_oauth/hrm');

  const wordpress = envBlock(html, 'env-wordpress');
  expect(wordpress).toEqual([
    `OVERWRITE_SETTING_API_Wordpress_URL=${p.baseUrl}`,
    'OVERWRITE_SETTING_Accounts_OAuth_Wordpress=true',
    `OVERWRITE_SETTING_Accounts_OAuth_Wordpress_id=${clientId}`,
    'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_secret=<client secret>',
    'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_server_type=custom',
    'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_identity_path=/api/v2/o/userinfo/',
    'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_identity_token_sent_via=header',
    'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_token_path=/o/token/',
    'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_authorize_path=/o/authorize/',
    'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_scope=read write',
  ]);
  const custom = envBlock(html, 'env-custom-oauth');
  expect(custom).toContain(`OVERWRITE_SETTING_Accounts_OAuth_Custom-Hrm-id=${clientId}`);
  expect(custom).toContain(`OVERWRITE_SETTING_Accounts_OAuth_Custom-Hrm-url=${p.baseUrl}`);
  expect(custom).toContain('OVERWRITE_SETTING_Accounts_OAuth_Custom-Hrm-identity_path=/api/v2/o/userinfo/');
  // The env lines carry a placeholder, never the secret (it goes into the compose file by hand).
  expect([...wordpress, ...custom].join('\n')).not.toContain(secret);

  // The Site URL check knows the WordPress path and the registered URI.
  const check = await (await admin.request(`${p.baseUrl}/admin/clients/${clientId}/connect?site=${encodeURIComponent('http://rc.example.test')}`)).text();
  expect(textOf(check, 'value-exact-redirect')).toBe(WP);
  expect(check).toContain('✓ registered');
});
