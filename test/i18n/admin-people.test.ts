// The admin users, people-import, audit and tokens pages in German and French, over real HTTP
// against a real provider and FerretDB: one administrator reads German (the browser's
// Accept-Language), another chose French with the footer's switch (saved on the account).
// Translated headings, labels, notices and audit sentences; dates in each locale; plurals with
// each language's forms; a bad form answered in the reader's language with nothing saved.
import { startTestProvider, type TestProvider } from '../support/provider';
import { decodeEntities, HttpSession, hiddenFields, signIn, submitForm } from '../web/support';

let p: TestProvider;
let de: HttpSession;
let fr: HttpSession;
let aliceId: string;

const DE = { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' };

/** A page as the German admin (Accept-Language) or the French one (account choice). */
async function get(http: HttpSession, path: string) {
  const res = await http.request(`${p.baseUrl}${path}`, { headers: http === de ? DE : {} });
  const html = await res.text();
  return { status: res.status, html, text: decodeEntities(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')) };
}

async function post(http: HttpSession, pagePath: string, action: string, fields: Record<string, string>) {
  const page = await get(http, pagePath);
  const res = await http.request(`${p.baseUrl}${action}`, { form: { ...hiddenFields(page.html, action), ...fields }, headers: http === de ? DE : {} });
  const html = await res.text();
  return { status: res.status, location: res.headers.get('location'), html, text: decodeEntities(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')) };
}

/** The import form as a browser sends it (multipart/form-data), with the session's cookies. */
async function upload(http: HttpSession, fields: Record<string, string>, file?: { name: string; text: string }) {
  const page = await get(http, '/admin/people/');
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...hiddenFields(page.html, '/admin/people/import'), ...fields })) form.append(k, v);
  if (file) form.append('file', new Blob([file.text], { type: 'text/csv' }), file.name);
  const cookie = ['hrm_sso_session', 'hrm_sso_csrf'].flatMap((n) => (http.cookie(n) ? [`${n}=${http.cookie(n)}`] : [])).join('; ');
  const res = await fetch(`${p.baseUrl}/admin/people/import`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie, accept: 'text/html', ...(http === de ? DE : {}) } });
  const html = await res.text();
  return { status: res.status, html, text: decodeEntities(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')) };
}

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
const dateTime = (d: Date, lang: string) => new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(d);
const day = (iso: string, lang: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'root', email: 'root@example.com', name: 'Ada Admin', password: 'admin password', admin: true });
  await p.createUser({ username: 'chef', email: 'chef@example.com', name: 'Chloé Chef', password: 'chef password', admin: true });
  aliceId = (await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery', department: 'R&D' })).id;
  [de, fr] = await Promise.all([signIn(p.baseUrl, 'root', 'admin password'), signIn(p.baseUrl, 'chef', 'chef password')]);
  // The French admin picks French in the footer's switch: saved on the account.
  const switched = await post(fr, '/admin/', '/language/', { lang: 'fr' });
  expect(switched.status).toBe(303);
}, 60_000);
afterAll(async () => p?.stop());

describe('users', () => {
  test('the list and the new-user form in German and French', async () => {
    const list = await get(de, '/admin/users/');
    expect(htmlLang(list.html)).toBe('de');
    expect(list.html).toContain('<nav class="subnav" aria-label="Verwaltung">');
    expect(list.text).toContain('Personen übernehmen');
    expect(list.html).toContain('<th scope="col">Abteilung</th>');
    expect(list.html).toContain('data-label="Benutzername"');
    expect(list.text).toContain('Neuer Benutzer');
    // The local issuer gets the banner, in German.
    expect(list.text).toContain('Noch nicht bereit für den echten Einsatz: Der Issuer http://127.0.0.1');

    const listFr = await get(fr, '/admin/users/');
    expect(htmlLang(listFr.html)).toBe('fr');
    expect(listFr.html).toContain('<th scope="col">Service</th>');
    expect(listFr.text).toContain('Administrateur');
    const form = await get(fr, '/admin/users/new');
    expect(form.text).toContain('Nom d’utilisateur');
    expect(form.text).toContain('Créer l’utilisateur');
  });

  test('a bad new-user form is answered in the reader’s language and nothing is saved', async () => {
    const short = await post(de, '/admin/users/new', '/admin/users/', { username: 'nina', email: 'nina@example.com', name: 'Nina New', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.html).toMatch(/id="form-error">Setzen Sie ein erstes Passwort mit mindestens 8 Zeichen/);
    // The typed values are kept for correcting.
    expect(short.html).toContain('value="nina@example.com"');

    const taken = await post(fr, '/admin/users/new', '/admin/users/', { username: 'nina', email: 'Alice@Example.com', name: 'Nina New', password: 'long enough password' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('Un utilisateur avec l’e-mail « alice@example.com » existe déjà.');
    expect(await p.db.users.countDocuments({ username: 'nina' })).toBe(0);
  });

  test('the user page with employment: notice, the leave date per locale, a form error, and nothing changed by it', async () => {
    const saved = await post(de, `/admin/users/${aliceId}/`, `/admin/users/${aliceId}/employment`, { employment_status: 'on_leave', leave_until: '2031-03-14', manager: 'root', employee_number: 'E-7', teams: 'platform', hr_roles: '', picture_url: '', left_at: '' });
    expect(saved.status).toBe(303);
    const page = await get(de, saved.location!);
    expect(page.text).toContain('Beschäftigung gespeichert.');
    expect(page.html).toMatch(new RegExp(`id="employment-now">Beurlaubt bis ${day('2031-03-14', 'de')}\\.<`));
    expect(day('2031-03-14', 'de')).toBe('14.03.2031');
    expect(page.text).toContain('Personalnummer');
    expect(page.text).toContain('Passwort zurücksetzen');
    expect(page.html).toContain('<option value="on_leave" selected>Beurlaubt</option>');

    const fr1 = await get(fr, `/admin/users/${aliceId}/`);
    expect(fr1.html).toMatch(new RegExp(`id="employment-now">En congé jusqu’au ${day('2031-03-14', 'fr')}\\.<`));
    expect(day('2031-03-14', 'fr')).toBe('14 mars 2031');
    // The account's creation time, in French.
    const created = (await p.db.users.findOne({ _id: aliceId }))!.createdAt;
    expect(fr1.text).toContain(`Créé ${dateTime(created, 'fr')}`);

    // Two different passwords: the French message, the password unchanged.
    const before = (await p.db.users.findOne({ _id: aliceId }))!.passwordHash;
    const differ = await post(fr, `/admin/users/${aliceId}/`, `/admin/users/${aliceId}/password`, { password: 'new password one', password_confirm: 'new password two' });
    expect(differ.status).toBe(400);
    expect(differ.html).toMatch(/id="password-error">Les deux mots de passe diffèrent\. Rien n’a été modifié\.</);
    expect((await p.db.users.findOne({ _id: aliceId }))!.passwordHash).toBe(before);

    // A manager who does not exist: a German page around the domain's (English) reason; nothing saved.
    const bad = await post(de, `/admin/users/${aliceId}/`, `/admin/users/${aliceId}/employment`, { employment_status: 'active', manager: 'nobody', employee_number: 'E-8', teams: '', hr_roles: '', picture_url: '', leave_until: '', left_at: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Beschäftigung nicht geändert');
    expect(bad.text).toContain('Es wurde nichts geändert.');
    expect(await p.db.users.findOne({ _id: aliceId })).toMatchObject({ employmentStatus: 'on_leave', employeeNumber: 'E-7', manager: 'root' });

    // An unknown user id: a translated 404.
    const missing = await get(fr, '/admin/users/no-such-id/');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Utilisateur introuvable');
  });
});

describe('people import', () => {
  const csv = [
    'username,email,name,department,employment_status',
    'nina,nina@example.com,Nina New,Sales,active',
    'alice,alice@example.com,Alice Smith,Research,active',
    'bad,not-an-email,Bad Row,,active',
    'worse,,No Email,,active',
  ].join('\n');

  test('no file: the error in German, nothing imported', async () => {
    const res = await upload(de, { match: 'username' });
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/id="import-error">Wählen Sie eine CSV-Datei zum Importieren/);
    expect(await p.db.users.countDocuments({ username: 'nina' })).toBe(0);
  });

  test('preview in German (field names, two bad rows: plural), apply, the summary; French preview with one bad row', async () => {
    const preview = await upload(de, { match: 'username' }, { name: 'staff.csv', text: csv });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Importvorschau: staff.csv');
    expect(preview.text).toContain('Zeilen werden über username zugeordnet');
    expect(preview.text).toMatch(/Anzulegen \(1\) nina/);
    // The fields a row changes, by name in German (the data says department, employmentStatus).
    expect(preview.text).toMatch(/alice: Abteilung, Beschäftigungsstatus/);
    expect(preview.text).toContain('2 Zeilen werden nicht importiert; sie ändern nichts:');
    expect(preview.text).toMatch(/Zeile 4: email/);
    expect(await p.db.users.countDocuments({ username: 'nina' })).toBe(0);

    // Apply sends the previewed text back, as the page's own form does.
    const fields = hiddenFields(preview.html, '/admin/people/import');
    const applied = await upload(de, fields);
    expect(applied.status).toBe(200);
    expect(applied.html).toMatch(/id="import-summary">Angelegt 1, geändert 1, unverändert 0, als ausgeschieden markiert 0\.</);
    expect(applied.text).toContain('1 neues Konto hat kein Passwort');
    expect(applied.text).toContain('2 Zeilen wurden nicht importiert');
    expect(await p.db.users.findOne({ username: 'nina' })).toMatchObject({ source: 'csv', department: 'Sales' });

    // French: one bad row, the singular form.
    const one = await upload(fr, { match: 'username' }, { name: 'equipe.csv', text: 'username,email,name\nnina,nina@example.com,Nina New\nodd,odd,Odd\n' });
    expect(one.text).toContain('Aperçu de l’import : equipe.csv');
    expect(one.text).toContain('1 ligne ne sera pas importée ; elle ne change rien :');
    expect(one.text).toMatch(/ligne 3 : email/);
  });
});

describe('audit log and tokens', () => {
  test('audit entries as sentences in German and French, dates in each locale, the event filter translated', async () => {
    const entry = (await p.db.audit.findOne({ action: 'people.import' }))!;
    const deAudit = await get(de, '/admin/audit/');
    expect(deAudit.text).toContain(`root hat ${entry.target} importiert: 1 angelegt, 1 geändert, 0 ausgeschieden`);
    expect(deAudit.text).toContain('Personen importiert (CSV)');
    expect(deAudit.text).toContain('root hat die Beschäftigung von alice geändert');
    expect(deAudit.html).toContain('<option value="user.create">Benutzer angelegt</option>');
    expect(deAudit.text).toContain('Zeiten in UTC.');
    const at = (lang: string) => dateTime(entry.at, lang);
    expect(deAudit.html).toContain(`<time datetime="${entry.at.toISOString()}">${at('de')}</time>`);
    expect(at('de')).toMatch(/^\d{1,2}\. [A-Z][a-zä]+\.? \d{4}/);

    const frAudit = await get(fr, '/admin/audit/?event=people.import');
    expect(frAudit.text).toContain(`root a importé ${entry.target} : 1 créés, 1 modifiés, 0 partis`);
    expect(frAudit.html).toContain(`>${at('fr')}</time>`);
    expect(at('fr')).not.toBe(at('de'));
    expect(frAudit.text).toContain('Effacer');
    const none = await get(fr, '/admin/audit/?user=nobody-at-all');
    expect(none.text).toContain('Aucune entrée ne correspond à ces filtres.');
  });

  test('tokens page in German; revoking shows the translated notice', async () => {
    const chat = await p.createClient({ name: 'Acme Chat', redirectUris: ['https://chat.example/_oauth/hrm'], preset: 'rocketchat-login' });
    const page = await get(de, '/admin/tokens/');
    expect(page.text).toContain('Nach Client');
    expect(page.html).toContain('<th scope="col">Aktive Zugriffstokens</th>');
    expect(page.html).toContain('aria-label="Alle widerrufen: Tokens von Acme Chat"');
    expect(page.text).toContain('Kein Benutzer hat ein aktives Token.');
    const revoked = await post(de, '/admin/tokens/', '/admin/tokens/revoke-client', { client_id: chat.client_id });
    expect(revoked.status).toBe(303);
    expect((await get(de, revoked.location!)).text).toContain('Tokens widerrufen.');
    const frPage = await get(fr, '/admin/tokens/');
    expect(frPage.text).toContain('Jetons d’accès actifs');
    // The revocation, in the French audit log.
    expect((await get(fr, '/admin/audit/')).text).toContain(`root a révoqué tous les jetons du client ${chat.client_id}`);
  });
});
