// The pages people use to sign in, in their language, over real HTTP against one real provider
// (FerretDB) and a real SMTP server on 127.0.0.1: sign-in, consent (scope sentences), the second
// step, the account pages, "Forgot password?" and the link page, the device flow, sign-out and
// the error pages — in German, French, Spanish and Brazilian Portuguese (Accept-Language, the
// switch's cookie, or the account's choice on the profile page), plurals and dates per locale,
// Arabic right-to-left; bad input gets a translated message and changes nothing.
import { authenticator } from 'otplib';
import { startTestProvider, type TestProvider } from '../support/provider';
import { postForm } from '../support/oauth-requests';
import { HttpSession, decodeEntities, hiddenFields, signIn } from '../web/support';
import { SmtpReceiver, linkIn } from '../mail/smtp-receiver';
import { formatDateTime } from '../../provider/src/kernel/i18n/format';

let p: TestProvider;
let smtp: SmtpReceiver;
let clientId: string;
let tvId: string;
const REDIRECT = 'https://app.example.test/callback';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const totp = authenticator.clone({ step: 30, digits: 6 });

beforeAll(async () => {
  smtp = await new SmtpReceiver().start();
  p = await startTestProvider({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'HRM Sign-in <sso@example.test>', MAIL_POLL_SECONDS: '1', ORGANIZATION_NAME: 'Acme Works' } });
  for (const name of ['greta', 'louis', 'lucia', 'paula', 'omar']) {
    await p.createUser({ username: name, email: `${name}@acme.test`, name: `${name[0].toUpperCase()}${name.slice(1)} Example`, password: `${name} old password` });
  }
  await p.createUser({ username: 'root', email: 'root@acme.test', name: 'Root Admin', password: 'root old password', admin: true });
  clientId = (await p.createClient({ name: 'Team Wiki', redirectUris: [REDIRECT] })).client_id;
  tvId = (await p.createClient({ name: 'Meeting-room TV', type: 'public', redirectUris: [], grants: [DEVICE_GRANT] })).client_id;
});
afterAll(async () => {
  await p?.stop();
  await smtp?.stop();
});

/** GET or POST in a language (Accept-Language); the text with entities decoded. */
async function page(http: HttpSession, path: string, lang: string, form?: Record<string, string>) {
  const res = await http.request(`${p.baseUrl}${path}`, { headers: { 'accept-language': lang }, form });
  return { res, status: res.status, html: decodeEntities(await res.text()) };
}
const htmlLang = (html: string) => /<html lang="([^"]+)" dir="([^"]+)">/.exec(html)?.slice(1, 3);
const h1 = (html: string) => /<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1].trim();
const signedIn = (name: string) => signIn(p.baseUrl, name, `${name} old password`);
const authorizePath = (scope: string) => `/o/authorize/?${new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope, state: 's1' })}`;

describe('sign-in', () => {
  test('the login page in German and French; a wrong password gets a German message and changes nothing', async () => {
    const http = new HttpSession();
    const de = await page(http, '/accounts/login/', 'de-DE,de;q=0.9');
    expect(htmlLang(de.html)).toEqual(['de', 'ltr']);
    expect(h1(de.html)).toBe('Anmelden');
    expect(de.html).toContain('<label for="username">Benutzername</label>');
    expect(de.html).toContain('Passwort vergessen?');
    const wrong = await page(http, '/accounts/login/', 'de', { ...hiddenFields(de.html, '/accounts/login/'), username: 'greta', password: 'not her password' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toMatch(/<div class="alert" role="alert" id="login-error">Benutzername oder Passwort ist falsch\.<\/div>/);
    expect(wrong.res.headers.get('set-cookie') ?? '').not.toContain('hrm_sso_session');
    // Nothing changed: her password still works.
    await expect(signedIn('greta')).resolves.toBeInstanceOf(HttpSession);

    const anonymous = new HttpSession();
    const fr = await page(anonymous, '/accounts/login/', 'fr');
    expect(h1(fr.html)).toBe('Se connecter');
    expect(fr.html).toContain('Nom d’utilisateur');
    const empty = await page(anonymous, '/accounts/login/', 'fr', { ...hiddenFields(fr.html, '/accounts/login/'), username: '', password: '' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Saisissez votre nom d’utilisateur et votre mot de passe.');
  });

  test('the login page names the application it continues to, in Spanish', async () => {
    const { html } = await page(new HttpSession(), `/accounts/login/?next=${encodeURIComponent(authorizePath('openid'))}`, 'es');
    expect(html).toContain('para continuar a <strong>Team Wiki</strong>');
  });

  test('Arabic: right-to-left, the sign-in and consent pages in Arabic', async () => {
    const http = new HttpSession();
    const login = await page(http, '/accounts/login/', 'ar');
    expect(htmlLang(login.html)).toEqual(['ar', 'rtl']);
    expect(h1(login.html)).toBe('تسجيل الدخول');
    expect(login.html).toContain('<label for="password">كلمة المرور</label>');
    await signIn(p.baseUrl, 'omar', 'omar old password', http);
    const consent = await page(http, authorizePath('openid email'), 'ar');
    expect(htmlLang(consent.html)).toEqual(['ar', 'rtl']);
    expect(h1(consent.html)).toBe('هل تسمح لـ Team Wiki باستخدام حسابك؟');
    expect(consent.html).toContain('<li data-scope="email">رؤية عنوان بريدك الإلكتروني.</li>');
    expect(consent.html).toContain('>السماح</button>');
  });
});

describe('consent', () => {
  test('scope sentences in German and French; allowing still works', async () => {
    const http = await signedIn('louis');
    const de = await page(http, authorizePath('openid profile email'), 'de');
    expect(de.status).toBe(200);
    expect(h1(de.html)).toBe('Team Wiki erlauben, Ihr Konto zu verwenden?');
    expect(de.html).toContain('<li data-scope="openid">Sie mit Ihrem HRM-Konto anmelden (Ihre Konto-ID).</li>');
    expect(de.html).toContain('<li data-scope="profile">Ihren Namen und Benutzernamen sehen.</li>');
    expect(de.html).toContain('<li data-scope="email">Ihre E-Mail-Adresse sehen.</li>');
    expect(de.html).toContain('Angemeldet als <strong>Louis Example</strong> (louis).');

    const fr = await page(http, authorizePath('openid profile email'), 'fr');
    expect(h1(fr.html)).toBe('Autoriser Team Wiki à utiliser votre compte ?');
    expect(fr.html).toContain('<li data-scope="profile">Voir votre nom et votre nom d’utilisateur.</li>');
    expect(fr.html).toContain('<li data-scope="email">Voir votre adresse e-mail.</li>');
    expect(fr.html).toContain('>Autoriser</button>');

    const allowed = await http.request(`${p.baseUrl}/o/authorize/`, { form: { ...hiddenFields(fr.html, '/o/authorize/'), allow: 'Authorize' } });
    expect(allowed.status).toBe(302);
    expect(new URL(allowed.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });

  test('a bad authorization request: a translated page, nothing sent to the application', async () => {
    const http = await signedIn('louis');
    const unknown = await page(http, `/o/authorize/?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code`, 'de');
    expect(unknown.status).toBe(400);
    expect(h1(unknown.html)).toBe('Unbekannte Anwendung');
    expect(unknown.html).toContain('ist bei diesem Anmeldedienst nicht registriert (unbekannte client_id)');
    expect(unknown.html).toContain('An die Anwendung wurde nichts zurückgeschickt.');
    const mismatch = await page(http, `/o/authorize/?client_id=${clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code`, 'pt-BR');
    expect(mismatch.status).toBe(400);
    expect(mismatch.res.headers.get('location')).toBeNull();
    expect(mismatch.html).toContain('O aplicativo “Team Wiki” pediu para voltar a um endereço que não está registrado para ele');
  });
});

describe('two-factor sign-in', () => {
  test('set-up in German (a wrong code refused in German), the second step in French', async () => {
    const http = await signedIn('paula');
    const setup = await page(http, '/accounts/two-factor/setup/', 'de');
    expect(h1(setup.html)).toBe('Zwei-Faktor-Anmeldung einrichten');
    expect(setup.html).toContain('Diese Einrichtung gilt 10 Minuten.');
    const secret = /id="manual-key" class="manual-key">([^<]+)</.exec(setup.html)![1].replace(/\s+/g, '');
    const fields = hiddenFields(setup.html, '/accounts/two-factor/setup/');
    const wrong = await page(http, '/accounts/two-factor/setup/', 'de', { ...fields, code: totp.clone({ epoch: Date.now() + 10 * 30_000 }).generate(secret) });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Dieser Code ist nicht richtig, daher ist die Zwei-Faktor-Anmeldung noch nicht an.');
    expect((await p.db.users.findOne({ username: 'paula' }))!.twoFactor).toBeUndefined();

    const done = await page(http, '/accounts/two-factor/setup/', 'de', { ...hiddenFields(wrong.html, '/accounts/two-factor/setup/'), code: totp.clone({ epoch: Date.now() }).generate(secret) });
    expect(done.status).toBe(200);
    expect(h1(done.html)).toBe('Speichern Sie Ihre Wiederherstellungscodes');
    expect(done.html).toContain('data-copied="Kopiert"');
    expect(done.html).toContain('>Codes kopieren</button>');

    // The account page: the plural of the codes left and the date, per locale.
    const enabledAt = (await p.db.users.findOne({ username: 'paula' }))!.twoFactor!.enabledAt;
    const onDe = await page(http, '/accounts/two-factor/', 'de');
    expect(onDe.html).toContain('10 Wiederherstellungscodes übrig.');
    expect(onDe.html).toContain(`seit ${formatDateTime(enabledAt, 'de')}.`);
    const onFr = await page(http, '/accounts/two-factor/', 'fr');
    expect(onFr.html).toContain('10 codes de récupération restants.');
    expect(onFr.html).toContain(`depuis le ${formatDateTime(enabledAt, 'fr')}.`);
    expect(formatDateTime(enabledAt, 'de')).not.toBe(formatDateTime(enabledAt, 'en'));

    // Second step, in French: a wrong code is refused in French; the right one signs in.
    const second = new HttpSession();
    const login = await page(second, '/accounts/login/', 'fr');
    const pw = await page(second, '/accounts/login/', 'fr', { ...hiddenFields(login.html, '/accounts/login/'), username: 'paula', password: 'paula old password' });
    expect(pw.status).toBe(303);
    const step = await page(second, '/accounts/login/two-factor/', 'fr');
    expect(h1(step.html)).toBe('Saisissez votre code');
    expect(step.html).toContain('Votre mot de passe était correct.');
    expect(step.html).toContain('<code>abcd-efgh-jkmn-pqrs</code>');
    const bad = await page(second, '/accounts/login/two-factor/', 'fr', { ...hiddenFields(step.html, '/accounts/login/two-factor/'), code: '000000' });
    expect(bad.status).toBe(401);
    expect(bad.html).toContain('Ce code n’est pas correct.');
    // Used once in set-up already: wait for a fresh step's code.
    const code = totp.clone({ epoch: Date.now() + 30_000 }).generate(secret);
    const ok = await page(second, '/accounts/login/two-factor/', 'fr', { ...hiddenFields(bad.html, '/accounts/login/two-factor/'), code });
    expect(ok.status).toBe(303);
  });
});

describe('account pages', () => {
  test('profile, sessions and passkeys in Spanish and Portuguese, with plurals', async () => {
    const http = await signedIn('lucia');
    await signedIn('lucia'); // a second browser session
    const profile = await page(http, '/accounts/profile/', 'es');
    expect(h1(profile.html)).toBe('Tu cuenta');
    expect(profile.html).toContain('<dt>Nombre de usuario</dt>');
    expect(profile.html).toContain('Tu perfil lo gestionan los administradores de Acme Works.');
    expect(profile.html).toContain('<option value="" selected>Idioma del navegador</option>');

    const sessionsEs = await page(http, '/accounts/sessions/', 'es');
    expect(sessionsEs.html).toContain('2 sesiones de navegador.');
    expect(sessionsEs.html).toContain('<strong>(este navegador)</strong>');
    const sessionsPt = await page(http, '/accounts/sessions/', 'pt-BR');
    expect(sessionsPt.html).toContain('2 sessões de navegador.');
    // End the other one: the plural's "one" form.
    const ended = await page(http, '/accounts/sessions/end-others/', 'pt-BR', hiddenFields(sessionsPt.html, '/accounts/sessions/end-others/'));
    expect(ended.status).toBe(303);
    const one = await page(http, '/accounts/sessions/?notice=others-ended', 'pt-BR');
    expect(one.html).toContain('1 sessão de navegador.');
    expect(one.html).toContain('Todas as suas outras sessões foram encerradas.');

    const passkeys = await page(http, '/accounts/passkeys/', 'de');
    expect(h1(passkeys.html)).toBe('Passkeys');
    expect(passkeys.html).toContain('Sie haben noch keine Passkeys.');
    // The words the passkey script shows come with the page (no inline script: CSP).
    expect(passkeys.html).toMatch(/id="passkey-texts" hidden data-cancelled="Die Passkey-Anfrage wurde abgebrochen/);
  });

  test('a wrong current password: a German message, and the password is unchanged', async () => {
    const http = await signedIn('greta');
    const form = await page(http, '/accounts/password/', 'de');
    expect(h1(form.html)).toBe('Ihr Passwort ändern');
    expect(form.html).toContain('data-labels="Sehr schwach|Schwach|Mittel|Stark|Sehr stark"');
    expect(form.html).toContain('Mindestens 8 Zeichen und mindestens „stark“.');
    const before = (await p.db.users.findOne({ username: 'greta' }))!.passwordHash;
    const res = await page(http, '/accounts/password/', 'de', { ...hiddenFields(form.html, '/accounts/password/'), current_password: 'wrong', new_password: 'a much better passphrase 77', confirm_password: 'a much better passphrase 77' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('Ihr aktuelles Passwort ist nicht richtig. Es wurde nichts geändert.');
    expect((await p.db.users.findOne({ username: 'greta' }))!.passwordHash).toBe(before);
  });

  test('the profile page\'s language choice: the account\'s language wins; "Browser\'s language" forgets it', async () => {
    const http = await signedIn('louis');
    const profile = await page(http, '/accounts/profile/', 'de');
    const fields = hiddenFields(profile.html, '/language/');
    expect(fields.next).toBe('/accounts/profile/');
    const set = await page(http, '/language/', 'de', { ...fields, lang: 'fr' });
    expect(set.status).toBe(303);
    expect((await p.db.users.findOne({ username: 'louis' }))!.language).toBe('fr');
    const inFr = await page(http, '/accounts/profile/', 'de');
    expect(htmlLang(inFr.html)).toEqual(['fr', 'ltr']);
    expect(inFr.html).toMatch(/<option value="fr" lang="fr" selected>Français<\/option>/);

    // An unknown code: a clear message, nothing changed.
    const bad = await page(http, '/language/', 'de', { ...hiddenFields(inFr.html, '/language/'), lang: 'xx' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Langue inconnue');
    expect((await p.db.users.findOne({ username: 'louis' }))!.language).toBe('fr');

    const cleared = await page(http, '/language/', 'de', { ...hiddenFields(inFr.html, '/language/'), lang: '' });
    expect(cleared.status).toBe(303);
    expect((await p.db.users.findOne({ username: 'louis' }))!.language).toBeUndefined();
    const back = await page(http, '/accounts/profile/', 'de');
    expect(htmlLang(back.html)).toEqual(['de', 'ltr']);
    expect(back.html).toContain('<option value="" selected>Sprache des Browsers</option>');
  });
});

describe('password reset', () => {
  test('"Forgot password?" in French, the link page in German: form errors translated, nothing changed', async () => {
    const http = new HttpSession();
    const form = await page(http, '/accounts/password/reset/', 'fr');
    expect(h1(form.html)).toBe('Mot de passe oublié ?');
    const empty = await page(http, '/accounts/password/reset/', 'fr', { ...hiddenFields(form.html, '/accounts/password/reset/'), login: '' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Saisissez votre nom d’utilisateur ou votre adresse e-mail.');
    const before = smtp.mails.length;
    const sent = await page(http, '/accounts/password/reset/', 'fr', { ...hiddenFields(form.html, '/accounts/password/reset/'), login: 'lucia' });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('le lien est valable 60 minutes.');
    const mail = await smtp.waitFor((m) => m.envelopeTo.includes('lucia@acme.test') && smtp.mails.indexOf(m) >= before);
    const link = new URL(linkIn(mail, '/accounts/password/set/'));

    const setPage = await page(http, `${link.pathname}${link.search}`, 'de');
    expect(h1(setPage.html)).toBe('Neues Passwort wählen');
    expect(setPage.html).toContain('Für das Konto <strong id="link-username">lucia</strong>.');
    const fields = hiddenFields(setPage.html, '/accounts/password/set/');
    const mismatch = await page(http, '/accounts/password/set/', 'de', { ...fields, new_password: 'one long passphrase here', confirm_password: 'another long passphrase' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain('Die beiden Passwörter sind verschieden. Es wurde nichts geändert.');
    const weak = await page(http, '/accounts/password/set/', 'de', { ...fields, new_password: 'password1', confirm_password: 'password1' });
    expect(weak.status).toBe(400);
    expect(weak.html).toMatch(/Dieses Passwort ist zu leicht zu erraten \((sehr schwach|schwach|mittel); nötig ist mindestens „stark“ und mindestens 8 Zeichen\)/);
    // zxcvbn-ts's advice in German too, on the page and for the live meter.
    expect(weak.html).toContain('<li>Dies ist ein verbreitetes Passwort.</li><li>Fügen Sie weitere, weniger gebräuchliche Wörter hinzu.</li>');
    expect(weak.html).toContain('"topTen":"Dies ist ein sehr häufig verwendetes Passwort."');
    // The old password still works: nothing was changed.
    await expect(signedIn('lucia')).resolves.toBeInstanceOf(HttpSession);

    const tampered = await page(new HttpSession(), '/accounts/password/set/?token=not-a-token', 'es');
    expect(tampered.status).toBe(404);
    expect(h1(tampered.html)).toBe('Este enlace no se puede usar');
    expect(tampered.html).toContain('Este enlace no es válido');
  });
});

describe('device flow', () => {
  test('entering the code in French, allowing in Spanish, a wrong code refused', async () => {
    const start = await postForm(`${p.baseUrl}/o/device-authorization/`, { client_id: tvId, scope: 'openid email' });
    expect(start.status).toBe(200);
    const userCode = (start.json as { user_code: string }).user_code;
    const http = await signedIn('omar');
    const entry = await page(http, '/o/device/', 'fr');
    expect(h1(entry.html)).toBe('Connecter un appareil');
    const wrong = await page(http, '/o/device/', 'fr', { ...hiddenFields(entry.html, '/o/device/'), user_code: 'BCDF-GHJK' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Ce code n’est pas valide, ou il a expiré.');

    const confirm = await page(http, '/o/device/', 'es', { ...hiddenFields(entry.html, '/o/device/'), user_code: userCode });
    expect(confirm.status).toBe(200);
    expect(h1(confirm.html)).toBe('¿Permitir Meeting-room TV en tu dispositivo?');
    expect(confirm.html).toContain('<li><strong>email</strong> — Ver tu correo electrónico.</li>');
    const done = await page(http, '/o/device/decide', 'es', { ...hiddenFields(confirm.html, '/o/device/decide'), allow: 'Allow' });
    expect(h1(done.html)).toBe('Dispositivo conectado');
    expect(done.html).toContain('Meeting-room TV ya puede usar tu cuenta en ese dispositivo.');
  });
});

describe('signing out and error pages', () => {
  test('an application\'s sign-out asks in German; signing out ends in Portuguese; a bad request is refused in German', async () => {
    const http = await signedIn('omar');
    const ask = await page(http, `/o/logout/?client_id=${clientId}`, 'de');
    expect(h1(ask.html)).toBe('Von HRM Sign-in abmelden?');
    expect(ask.html).toContain('Team Wiki möchte Ihre HRM Sign-in-Sitzung in diesem Browser beenden.');
    expect(ask.html).toContain('>Angemeldet bleiben</a>');

    const bad = await page(http, '/o/logout/?client_id=unknown-app', 'de');
    expect(bad.status).toBe(400);
    expect(h1(bad.html)).toBe('Unbekannte Anwendung');
    expect(bad.html).toContain('Sie wurden nicht zur Anwendung zurückgeschickt.');
    // Still signed in: nothing was changed.
    expect((await page(http, '/accounts/profile/', 'de')).status).toBe(200);

    const out = await page(http, '/accounts/logout/', 'pt-BR', hiddenFields(ask.html, '/accounts/logout/'));
    expect(out.status).toBe(200);
    expect(h1(out.html)).toBe('Você saiu');
    expect(out.html).toContain('Sua sessão do HRM Sign-in terminou neste navegador.');
    expect((await http.request(`${p.baseUrl}/accounts/profile/`)).status).toBe(302);
  });

  test('404, an expired form, a signed-out form post and a passkey script\'s JSON error, translated', async () => {
    const missing = await page(new HttpSession(), '/no/such/page', 'fr');
    expect(missing.status).toBe(404);
    expect(h1(missing.html)).toBe('Page introuvable');
    const expired = await page(new HttpSession(), '/accounts/login/', 'de', { username: 'greta', password: 'greta old password' });
    expect(expired.status).toBe(403);
    expect(h1(expired.html)).toBe('Dieses Formular ist abgelaufen');
    const signedOut = await page(new HttpSession(), '/accounts/sessions/end-others/', 'es', {});
    expect(signedOut.status).toBe(401);
    expect(h1(signedOut.html)).toBe('Has cerrado sesión');
    const json = await fetch(`${p.baseUrl}/accounts/login/two-factor/passkey/options/`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'de' }, body: '{}' });
    expect(json.status).toBe(403);
    expect(((await json.json()) as { error_description: string }).error_description).toMatch(/^Diese Seite ist abgelaufen/);
  });

  test('a client\'s sign-out settings (admin): a bad origin refused in German, nothing saved', async () => {
    const http = await signedIn('root');
    const form = await page(http, `/admin/clients/${clientId}/logout`, 'de');
    expect(h1(form.html)).toBe('Single Logout und Browserzugriff für Team Wiki');
    const res = await page(http, `/admin/clients/${clientId}/logout`, 'de', { ...hiddenFields(form.html, `/admin/clients/${clientId}/logout`), post_logout_redirect_uris: '', allowed_origins: 'http://wiki.example' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('Der erlaubte Origin „http://wiki.example“ muss https verwenden.');
    expect((await p.db.clients.findOne({ _id: clientId }))!.allowedOrigins ?? []).toEqual([]);
    const missing = await page(http, '/admin/clients/no-such-client/logout', 'fr');
    expect(missing.status).toBe(404);
    expect(h1(missing.html)).toBe('Client introuvable');
  });
});
