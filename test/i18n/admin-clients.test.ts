// The admin console's overview, client pages, Connect page and signing keys in German and
// Brazilian Portuguese, over real HTTP against a real provider (FerretDB). Each administrator
// picks the language with the footer's switch (saved on the account), as a person would:
// - headings, preset names and explanations, facts, notices and the Connect page's instructions
//   are translated; Rocket.Chat's own setting names and the values to paste stay as they are;
// - plurals ("1 aktives Zugriffstoken", "0 pessoas") and dates per locale;
// - bad input (a bad redirect URI, a missing name, a short lifetime, a wrong confirmation, a bad
//   logo URL) is explained in the admin's language, with nothing saved.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, obtainCode, postForm } from '../support/oauth-requests';
import { HttpSession, decodeEntities, hiddenFields, signIn, submitForm, textOf } from '../web/support';

let p: TestProvider;
let de: HttpSession;
let pt: HttpSession;
const RC_WP = 'https://chat.example.test/_oauth/wordpress';
const GERMAN_DATE = /\d{1,2}\. [A-Za-zä]+\.? \d{4}, \d\d:\d\d UTC/;
const PT_DATE = /\d{1,2} de [a-zç]+\.? de \d{4}, \d\d:\d\d UTC/;

async function adminIn(username: string, lang: string): Promise<HttpSession> {
  await p.createUser({ username, email: `${username}@example.test`, name: `Admin ${lang}`, password: `${username} password`, admin: true });
  const http = await signIn(p.baseUrl, username, `${username} password`);
  const page = await (await http.request(`${p.baseUrl}/admin/`)).text();
  const res = await http.request(`${p.baseUrl}/language/`, { form: { ...hiddenFields(page, '/language/'), lang, next: '/admin/' } });
  expect(res.status).toBe(303);
  return http;
}

async function page(http: HttpSession, path: string, status = 200): Promise<string> {
  const res = await http.request(`${p.baseUrl}${path}`);
  const html = await res.text();
  expect([path, res.status]).toEqual([path, status]);
  return decodeEntities(html);
}

beforeAll(async () => {
  p = await startTestProvider({ env: { ORGANIZATION_NAME: 'Acme Works' } });
  await p.createUser({ username: 'alice', email: 'alice@example.test', name: 'Alice Smith', password: 'correct horse battery' });
  [de, pt] = [await adminIn('root-de', 'de'), await adminIn('root-pt', 'pt-BR')];
});
afterAll(async () => {
  await p?.stop();
});

test('overview: translated headings and tasks, plurals per language, activity dates per locale', async () => {
  await p.createClient({ name: 'Only one', redirectUris: [RC_WP], preset: 'rocketchat-wordpress' });
  const one = await page(de, '/admin/');
  expect(one).toContain('<html lang="de"');
  expect(one).toContain('<h1>Verwaltung</h1>');
  expect(one).toContain('<strong>1</strong> Client</a>');
  expect(one).toContain('Anmeldung bei Rocket.Chat mit HRM Sign-in einrichten');
  expect(one).toContain('(jede Edition: der eingebaute WordPress-Anbieter von Rocket.Chat)');
  expect(one).toContain('Häufige Aufgaben');
  await p.createClient({ name: 'Second', redirectUris: ['https://app.example.test/cb'], preset: 'generic' });
  const two = await page(pt, '/admin/');
  expect(two).toContain('<h1>Console de administração</h1>');
  expect(two).toContain('<strong>2</strong> clientes</a>');
  expect(two).toMatch(/<strong>\d+<\/strong> usuários ativos <span class="muted">de \d+<\/span>/);
  expect(two).toContain('<strong>0</strong> tokens de acesso ativos');
  // An admin action (a client created through the form) shows in the activity with a local date.
  const created = await submitForm(de, p.baseUrl, '/admin/clients/new', '/admin/clients/', { name: 'Audit me', preset: 'generic', redirect_uris: 'https://app.example.test/a' });
  expect(created.res.status).toBe(201);
  const activity = await page(de, '/admin/');
  expect(activity).toMatch(new RegExp(`<time>${GERMAN_DATE.source}</time> <strong>root-de</strong> client.create`));
  expect(await page(pt, '/admin/')).toMatch(new RegExp(`<time>${PT_DATE.source}</time> <strong>root-de</strong> client.create`));
  expect(activity).toContain('Vollständiges Audit-Protokoll');
});

test('clients list and the New client form: preset names and explanations in the admin\'s language', async () => {
  const list = await page(de, '/admin/clients/');
  expect(list).toContain('<h1>Clients</h1>');
  expect(list).toContain('>Neuer Client</a>');
  expect(list).toContain('<td data-label="Art">Rocket.Chat-Anmeldung (jede Edition: eingebauter WordPress-Anbieter)</td>');
  expect(list).toContain('>Rocket.Chat verbinden</a>');
  const form = await page(pt, '/admin/clients/new');
  expect(form).toContain('<legend>O que vai usá-lo?</legend>');
  expect(form).toContain('Login no Rocket.Chat (todas as edições: provedor WordPress integrado)');
  expect(form).toContain('URI de redirecionamento: <Site_Url>/_oauth/wordpress');
  expect(form).toContain('Só para aplicativos próprios de Acme Works');
  expect(form).toContain('<legend>Validade dos tokens (segundos)</legend>');
  expect(form).toContain('<code><Site_Url>/_oauth/hrm</code>');
  expect(form).toContain('>Criar cliente</button>');
});

test('bad input on the New client form: the problem in the admin\'s language, the form kept, nothing saved', async () => {
  const before = await p.db.clients.countDocuments({});
  const cases: Array<[HttpSession, Record<string, string>, string]> = [
    [de, { name: 'Böse', preset: 'generic', redirect_uris: 'javascript:alert(1)' }, 'Die Redirect-URI „javascript:alert(1)“ muss https oder http verwenden.'],
    [de, { name: 'Fragment', preset: 'generic', redirect_uris: 'https://a.example.test/cb#x' }, 'darf kein Fragment enthalten'],
    [de, { name: 'Kurz', preset: 'generic', redirect_uris: 'https://a.example.test/cb', access_token_lifetime: '30' }, 'Lebensdauer des Zugriffstokens: mindestens 60 Sekunden.'],
    [pt, { name: 'Relativa', preset: 'generic', redirect_uris: 'not a url' }, 'A URI de redirecionamento “not” não é uma URL absoluta.'],
    [pt, { name: '', preset: 'generic', redirect_uris: 'https://a.example.test/cb' }, 'O nome é obrigatório (no máximo 100 caracteres).'],
    [pt, { name: 'Sem URI', preset: 'rocketchat-login', redirect_uris: '' }, 'precisa de pelo menos uma URI de redirecionamento'],
    [pt, { name: 'Preset falso', preset: 'superuser', redirect_uris: 'https://a.example.test/cb' }, 'Escolha um dos presets.'],
  ];
  for (const [http, fields, message] of cases) {
    const { res, html } = await submitForm(http, p.baseUrl, '/admin/clients/new', '/admin/clients/', fields);
    expect([fields.name, res.status]).toEqual([fields.name, 400]);
    const text = decodeEntities(html);
    expect(text).toContain(message);
    expect(html).toContain('role="alert"');
    if (fields.name) expect(text).toContain(`value="${fields.name}"`);
  }
  expect(await p.db.clients.countDocuments({})).toBe(before);
});

test('Connect Rocket.Chat in German: instructions, notes and first-login facts translated; values and setting names as Rocket.Chat shows them', async () => {
  const { res, html } = await submitForm(de, p.baseUrl, '/admin/clients/new', '/admin/clients/', { name: 'Firmen-Chat', preset: 'rocketchat-wordpress', redirect_uris: RC_WP });
  expect(res.status).toBe(201);
  const text = decodeEntities(html);
  expect(text).toContain('<h1>Rocket.Chat verbinden: Firmen-Chat</h1>');
  expect(text).toContain('Client <strong>Firmen-Chat</strong> angelegt (Rocket.Chat-Anmeldung (jede Edition: eingebauter WordPress-Anbieter)).');
  expect(text).toContain('<strong>Kopieren Sie das Client-Secret jetzt.</strong>');
  expect(textOf(html, 'value-secret-once')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(text).toContain('WordPress-Anbieter, Servertyp Custom <span class="muted">— jede Edition (auch Community)</span>');
  expect(text).toContain('Custom OAuth „hrm“');
  expect(text).toContain('In der Auswahlliste wählen; die Felder darunter erscheinen.');
  expect(text).toContain('<dt>Bestehende Chat-Konten</dt><dd>Der WordPress-Dienst hat keine Einstellung „Merge users“');
  expect(text).toContain('Erste Anmeldung und bestehende Chat-Konten');
  // What is pasted into Rocket.Chat does not change with the language.
  expect(textOf(html, 'value-server-type')).toBe('Custom');
  expect(textOf(html, 'value-identity-path')).toBe('/api/v2/o/userinfo/');
  expect(text).toContain('<th scope="row">Identity Token Sent Via</th>');
  expect(text).toContain('OVERWRITE_SETTING_Accounts_OAuth_Wordpress_server_type=custom');
  expect(text).toContain('Sie muss bei diesem Client genau so registriert sein.');
  expect(text).toContain('<code id="value-expected-redirect"><Site_Url>/_oauth/wordpress</code>');
  const id = textOf(html, 'value-client-id')!;
  // Later the secret is hidden, in German; the Site URL check answers in German.
  const later = await page(de, `/admin/clients/${id}/connect`);
  expect(textOf(later, 'value-client-secret')).toBe('(nur einmal angezeigt, beim Anlegen des Clients oder beim Rotieren des Secrets)');
  expect(await page(de, `/admin/clients/${id}/connect?site=${encodeURIComponent('https://chat.example.test')}`)).toContain('✓ registriert');
  expect(await page(de, `/admin/clients/${id}/connect?site=${encodeURIComponent('https://other.example.test')}`)).toContain('✗ nicht registriert: <a href="/admin/clients/');
  expect(await page(de, `/admin/clients/${id}/connect?site=${encodeURIComponent('javascript:alert(1)')}`)).toContain('Geben Sie die Site URL Ihres Rocket.Chat-Servers ein');
  // The same page in Portuguese.
  const ptConnect = await page(pt, `/admin/clients/${id}/connect`);
  expect(ptConnect).toContain('<h1>Conectar o Rocket.Chat: Firmen-Chat</h1>');
  expect(ptConnect).toContain('(mostrado só uma vez, quando o cliente é criado ou o segredo é rotacionado)');
  expect(ptConnect).toContain('Escolha na lista suspensa (“Popup” também funciona).');
});

test('a generic client\'s credentials page and the app preset\'s settings in Portuguese', async () => {
  const generic = await p.createClient({ name: 'Wiki', redirectUris: ['https://wiki.example.test/cb'], preset: 'oidc-web' });
  const creds = await page(pt, `/admin/clients/${generic.client_id}/connect`);
  expect(creds).toContain('<h1>Credenciais do cliente: Wiki</h1>');
  expect(creds).toContain('<th scope="row">URL de discovery</th>');
  expect(creds).toContain('aria-label="Copiar URL de discovery"');
  const app = await p.createClient({ name: 'HRM app', redirectUris: ['https://chat.example.test/api/apps/public/x/hrm-callback'], preset: 'rocketchat-app' });
  const settings = await page(de, `/admin/clients/${app.client_id}/connect`);
  expect(settings).toContain('Öffnen Sie in Rocket.Chat <strong>Administration → Apps → HRM SSO → Settings</strong>');
  expect(settings).toContain('App-Einstellung „Client ID“ (hrm-oauth-client-id).');
  expect(settings).toContain('Keine registrierte Redirect-URI dieses Clients endet mit dem Pfad');
});

test('client page: facts, plurals and the created date per locale; a bad edit is refused in German with nothing saved', async () => {
  const c = await p.createClient({ name: 'Zähler', redirectUris: ['http://rc.example.test/_oauth/hrm'], preset: 'rocketchat-login' });
  const zero = await page(pt, `/admin/clients/${c.client_id}/`);
  expect(zero).toContain('<dd>0 tokens de acesso ativos, 0 refresh tokens, 0 pessoas conectadas</dd>');
  expect(zero).toMatch(new RegExp(`<dt>Criado em</dt><dd>${PT_DATE.source}</dd>`));
  expect(zero).toContain('<dt>Tipo</dt><dd>Confidencial (tem segredo)</dd>');
  // One sign-in through the client: singular forms.
  const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: 'http://rc.example.test/_oauth/hrm', state: 's', scope: 'read' });
  const t = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: 'http://rc.example.test/_oauth/hrm', grant_type: 'authorization_code' }, { authorization: basic(c.client_id, c.client_secret) });
  expect(t.status).toBe(200);
  const one = await page(de, `/admin/clients/${c.client_id}/`);
  expect(one).toContain('<dd>1 aktives Zugriffstoken, 1 Refresh-Token, 1 Person verbunden</dd>');
  expect(one).toMatch(new RegExp(`<dt>Angelegt</dt><dd>${GERMAN_DATE.source}</dd>`));
  expect(one).toContain('widerruft seine 1 aktives Zugriffstoken und seine Refresh-Tokens.');
  expect(await page(pt, `/admin/clients/${c.client_id}/`)).toContain('<dd>1 token de acesso ativo, 1 refresh token, 1 pessoa conectada</dd>');

  const bad = await submitForm(de, p.baseUrl, `/admin/clients/${c.client_id}/`, `/admin/clients/${c.client_id}/`, { name: 'Umbenannt', redirect_uris: 'kein url' });
  expect(bad.res.status).toBe(400);
  expect(decodeEntities(bad.html)).toContain('Die Redirect-URI „kein“ ist keine absolute URL.');
  expect(await p.db.clients.findOne({ _id: c.client_id })).toMatchObject({ name: 'Zähler', redirectUris: ['http://rc.example.test/_oauth/hrm', 'http://rc.example.test/_oauth/hrm?close'] });
  const good = await submitForm(de, p.baseUrl, `/admin/clients/${c.client_id}/`, `/admin/clients/${c.client_id}/`, { name: 'Umbenannt', redirect_uris: 'http://rc.example.test/_oauth/hrm' });
  expect(good.res.status).toBe(303);
  expect(await page(de, good.res.headers.get('location')!)).toContain('<div class="notice" role="status">Änderungen gespeichert.</div>');

  const logo = await submitForm(de, p.baseUrl, `/admin/clients/${c.client_id}/`, `/admin/clients/${c.client_id}/appearance`, { logo_uri: 'http://insecure.example.test/logo.png', home_page_uri: '' });
  expect(logo.res.status).toBe(400);
  expect(decodeEntities(logo.html)).toContain('Die Logo-URL muss mit https:// beginnen (die Seiten laden keine unsicheren Bilder). Es wurde nichts geändert.');
  expect((await p.db.clients.findOne({ _id: c.client_id }))!.logoUri).toBeUndefined();
  expect(await page(pt, '/admin/clients/no-such-client/', 404)).toContain('Cliente não encontrado');
});

test('delete: a wrong confirmation is refused in Portuguese and deletes nothing; the right one deletes, with a translated notice', async () => {
  const c = await p.createClient({ name: 'Apagar', redirectUris: ['https://gone.example.test/cb'], preset: 'generic' });
  const confirm = await page(pt, `/admin/clients/${c.client_id}/delete`);
  expect(confirm).toContain('<h1>Excluir Apagar?</h1>');
  expect(confirm).toContain('Ninguém está conectado por este cliente.');
  expect(confirm).toContain('Digite o nome do cliente, <strong>Apagar</strong>, para confirmar');
  const wrong = await submitForm(pt, p.baseUrl, `/admin/clients/${c.client_id}/delete`, `/admin/clients/${c.client_id}/delete`, { confirm_name: 'apagar' });
  expect(wrong.res.status).toBe(400);
  expect(decodeEntities(wrong.html)).toContain('Digite exatamente o nome do cliente para confirmar. Nada foi excluído.');
  expect(await p.db.clients.countDocuments({ _id: c.client_id })).toBe(1);
  const right = await submitForm(pt, p.baseUrl, `/admin/clients/${c.client_id}/delete`, `/admin/clients/${c.client_id}/delete`, { confirm_name: 'Apagar' });
  expect(right.res.status).toBe(303);
  expect(await p.db.clients.countDocuments({ _id: c.client_id })).toBe(0);
  expect(await page(pt, right.res.headers.get('location')!)).toContain('O cliente foi excluído, junto com seus tokens e consentimentos.');
});

test('signing keys: headings, states and dates per locale; the rotation notice translated', async () => {
  const keys = await page(de, '/admin/keys/');
  expect(keys).toContain('<h1>Signaturschlüssel</h1>');
  expect(keys).toContain('>signiert</td>');
  expect(keys).toMatch(new RegExp(`<td data-label="Signiert ab">${GERMAN_DATE.source}</td>`));
  expect(keys).toContain('<a href="/o/.well-known/jwks.json">JWKS</a>');
  const rotated = await submitForm(pt, p.baseUrl, '/admin/keys/', '/admin/keys/rotate', { alg: 'RS256' });
  expect(rotated.res.status).toBe(303);
  const after = await page(pt, rotated.res.headers.get('location')!);
  expect(after).toContain('Uma nova chave de assinatura foi adicionada.');
  expect(after).toContain('>pendente</td>');
  expect(after).toMatch(new RegExp(`<td data-label="[^"]+">${PT_DATE.source}</td>`));
});
