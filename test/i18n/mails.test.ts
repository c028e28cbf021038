// Mails in the recipient's language, end to end: real providers (FerretDB) deliver through a real
// SMTP server on 127.0.0.1 (smtp-server, mails read with mailparser).
// - an invitation and a password reset in German and Brazilian Portuguese for accounts with that
//   language: subject, body, button, footer, durations ("1 Stunde", "72 horas") and dates per locale;
// - the account's language wins over the page's: an administrator browsing in French invites and
//   resets in the recipient's language (an account without one gets DEFAULT_LANGUAGE);
// - the page's language when the account has none (asked on a Spanish "Forgot password?" page);
// - DEFAULT_LANGUAGE otherwise: a provider with DEFAULT_LANGUAGE=fr, and the CLI's invitation;
// - a right-to-left language (ar, partial) marks the HTML part dir="rtl".
import { startTestProvider, type TestProvider } from '../support/provider';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { HttpSession, hiddenFields, signIn } from '../web/support';
import { SmtpReceiver, linkIn, type ReceivedMail } from '../mail/smtp-receiver';
import { runCli } from '../cli/run-cli';

let database: TestDatabase;
let smtp: SmtpReceiver;
let p: TestProvider;
let fr: TestProvider;
let admin: HttpSession;
const ids: Record<string, string> = {};

const mailEnv = (receiver: SmtpReceiver) => ({ SMTP_URL: receiver.url, MAIL_FROM: 'HRM Sign-in <sso@example.test>', MAIL_POLL_SECONDS: '1', MAIL_RETRY_SECONDS: '1' });

/** An account without a password (it gets invitations), in `language` when given. */
async function account(provider: TestProvider, username: string, name: string, language?: string): Promise<string> {
  const doc = await provider.running.services.users.create({ username, email: `${username}@example.test`, name });
  if (language) await provider.running.services.users.setLanguage(doc._id, language);
  return doc._id;
}

beforeAll(async () => {
  [smtp, database] = await Promise.all([new SmtpReceiver().start(), startTestDatabase()]);
  [p, fr] = await Promise.all([
    startTestProvider({ database, env: { ...mailEnv(smtp), ORGANIZATION_NAME: 'Acme Works', SUPPORT_CONTACT: 'help@acme.test' } }),
    startTestProvider({ database, env: { ...mailEnv(smtp), MONGO_DB: 'hrm_fr', DEFAULT_LANGUAGE: 'fr' } }),
  ]);
  await p.createUser({ username: 'root', email: 'root@example.test', name: 'Root Admin', password: 'admin password', admin: true });
  ids.dora = await account(p, 'dora', 'Dora Deutsch', 'de');
  ids.paula = await account(p, 'paula', 'Paula Souza', 'pt-BR');
  ids.nina = await account(p, 'nina', 'Nina None');
  ids.amal = await account(p, 'amal', 'Amal', 'ar');
  ids.remy = await account(fr, 'remy', 'Rémy Martin');
  ids.fabi = await account(fr, 'fabi', 'Fabi Ferreira', 'pt-BR');
  // The administrator works in French: that must not decide anybody else's mail.
  admin = await signIn(p.baseUrl, 'root', 'admin password');
  const home = await (await admin.request(`${p.baseUrl}/admin/`)).text();
  expect((await admin.request(`${p.baseUrl}/language/`, { form: { ...hiddenFields(home, '/language/'), lang: 'fr', next: '/admin/' } })).status).toBe(303);
});
afterAll(async () => {
  await p?.stop();
  await fr?.stop();
  await database?.stop();
  await smtp?.stop();
});

const mailTo = (username: string, subject: RegExp) => smtp.waitFor((m) => m.envelopeTo.includes(`${username}@example.test`) && subject.test(m.parsed.subject ?? ''));

/** The expiry the mail names, from the one-time link stored for the account. */
async function expiry(provider: TestProvider, userId: string): Promise<Date> {
  const link = await provider.db.accountLinks.find({ userId }).sort({ _id: -1 }).limit(1).next();
  return link!.expiresAt;
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

async function adminInvites(userId: string) {
  const page = await (await admin.request(`${p.baseUrl}/admin/users/${userId}/`)).text();
  const res = await admin.request(`${p.baseUrl}/admin/users/${userId}/invite`, { form: hiddenFields(page, `/admin/users/${userId}/invite`) });
  expect(res.status).toBe(303);
}

/** Plain text and HTML say the same words; the HTML declares the language (and direction). */
function expectLanguage(mail: ReceivedMail, lang: string, dir = 'ltr') {
  expect(mail.parsed.html).toContain(`<html lang="${lang}" dir="${dir}">`);
}

describe('invitations', () => {
  test('German account, invited by an admin whose pages are French: German subject, words, "72 Stunden" and a German date', async () => {
    // The admin console really is in French for this admin.
    expect(await (await admin.request(`${p.baseUrl}/admin/`)).text()).toContain('<html lang="fr"');
    await adminInvites(ids.dora);
    const mail = await mailTo('dora', /Passwort/);
    expect(mail.parsed.subject).toBe('Legen Sie Ihr Passwort für HRM Sign-in fest');
    const text = mail.parsed.text!;
    expect(text).toContain('Hallo Dora Deutsch,');
    expect(text).toContain('Für Sie wurde bei Acme Works ein Konto angelegt. Ihr Benutzername ist dora.');
    expect(text).toMatch(/Passwort festlegen:\nhttp:\/\/127\.0\.0\.1:\d+\/accounts\/password\/set\/\?token=/);
    expect(text).toContain('Hilfe: help@acme.test');
    const until = await expiry(p, ids.dora);
    const de = /läuft in 72 Stunden ab \((\d{1,2})\. ([A-Za-zä]+)\.? (\d{4}), (\d\d:\d\d) UTC\)/.exec(text);
    expect(de).not.toBeNull();
    expect([Number(de![1]), Number(de![3]), de![4]]).toEqual([until.getUTCDate(), until.getUTCFullYear(), hhmm(until)]);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expectLanguage(mail, 'de');
    expect(mail.parsed.html).toContain('Oder öffnen Sie diese Adresse in Ihrem Browser:');
    expect(mail.parsed.html).toContain('>Passwort festlegen</a>');
    // The link in the German mail works like any other.
    expect((await fetch(linkIn(mail, '/accounts/password/set/'))).status).toBe(200);
  });

  test('Brazilian Portuguese account: Portuguese subject, "72 horas" and a pt-BR date', async () => {
    await adminInvites(ids.paula);
    const mail = await mailTo('paula', /senha/);
    expect(mail.parsed.subject).toBe('Defina sua senha do HRM Sign-in');
    const text = mail.parsed.text!;
    expect(text).toContain('Olá, Paula Souza,');
    expect(text).toContain('Uma conta foi criada para você em Acme Works. Seu nome de usuário é paula.');
    expect(text).toContain('Definir sua senha:\nhttp');
    expect(text).toContain('Ajuda: help@acme.test');
    const until = await expiry(p, ids.paula);
    const pt = /expira em 72 horas \((\d{1,2}) de ([a-zç]+)\.? de (\d{4}), (\d\d:\d\d) UTC\)/.exec(text);
    expect(pt).not.toBeNull();
    expect([Number(pt![1]), Number(pt![3]), pt![4]]).toEqual([until.getUTCDate(), until.getUTCFullYear(), hhmm(until)]);
    expectLanguage(mail, 'pt-BR');
    expect(mail.parsed.html).toContain('Ou abra este endereço no seu navegador:');
  });

  test('an account without a language gets DEFAULT_LANGUAGE (English here), not the admin\'s French', async () => {
    await adminInvites(ids.nina);
    const mail = await mailTo('nina', /password/);
    expect(mail.parsed.subject).toBe('Set your password for HRM Sign-in');
    expect(mail.parsed.text).toMatch(/expires in 72 hours \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expectLanguage(mail, 'en');
  });

  test('a right-to-left account language (ar, partial) marks the HTML part rtl; missing words fall back to English', async () => {
    await adminInvites(ids.amal);
    const mail = await mailTo('amal', /./);
    expectLanguage(mail, 'ar', 'rtl');
    expect(mail.parsed.subject).toBe('Set your password for HRM Sign-in');
  });

  test('the CLI invites in the account\'s language, else in DEFAULT_LANGUAGE (fr); its own output stays English for the operator', async () => {
    const env = { MONGO_URL: fr.mongoUrl, MONGO_DB: 'hrm_fr', ISSUER: fr.baseUrl, DEFAULT_LANGUAGE: 'fr', ...mailEnv(smtp) };
    const remy = await runCli(['user', 'invite', 'remy'], { env });
    expect(remy.code).toBe(0);
    expect(remy.stdout).toMatch(/remy/);
    expect(remy.stdout).not.toMatch(/Invitation envoyée|mot de passe/);
    const fabi = await runCli(['user', 'invite', 'fabi'], { env });
    expect(fabi.code).toBe(0);
    const french = await mailTo('remy', /mot de passe/);
    expect(french.parsed.subject).toBe('Choisissez votre mot de passe pour HRM Sign-in');
    expect(french.parsed.text).toContain('Bonjour Rémy Martin,');
    expect(french.parsed.text).toMatch(/expire dans 72 heures \(\d{1,2} [a-zéû]+\.? \d{4}, \d\d:\d\d UTC\)/);
    expectLanguage(french, 'fr');
    const portuguese = await mailTo('fabi', /senha/);
    expect(portuguese.parsed.subject).toBe('Defina sua senha do HRM Sign-in');
  });
});

describe('password resets', () => {
  async function askReset(provider: TestProvider, login: string, headers: Record<string, string> = {}) {
    const http = new HttpSession();
    const page = await (await http.request(`${provider.baseUrl}/accounts/password/reset/`, { headers })).text();
    const res = await http.request(`${provider.baseUrl}/accounts/password/reset/`, { form: { ...hiddenFields(page, '/accounts/password/reset/'), login }, headers });
    expect(res.status).toBe(200);
  }

  test('German account asking from a Spanish page: the mail is German, "1 Stunde" (singular) and a German date', async () => {
    const before = smtp.mails.length;
    await askReset(p, 'dora', { 'accept-language': 'es' });
    const mail = await smtp.waitFor((m) => smtp.mails.indexOf(m) >= before && m.envelopeTo.includes('dora@example.test'));
    expect(mail.parsed.subject).toBe('Setzen Sie Ihr Passwort für HRM Sign-in zurück');
    const text = mail.parsed.text!;
    expect(text).toContain('Jemand – hoffentlich Sie – hat angefordert, das Passwort des Kontos dora zurückzusetzen.');
    expect(text).toContain('Neues Passwort wählen:\nhttp');
    expect(text).toMatch(/läuft in 1 Stunde ab \(\d{1,2}\. [A-Za-zä]+\.? \d{4}, \d\d:\d\d UTC\)/);
    expect(text).toContain('Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.');
    expectLanguage(mail, 'de');
  });

  test('Brazilian Portuguese account: "1 hora" and a pt-BR date', async () => {
    const before = smtp.mails.length;
    await askReset(p, 'paula@example.test');
    const mail = await smtp.waitFor((m) => smtp.mails.indexOf(m) >= before && m.envelopeTo.includes('paula@example.test'));
    expect(mail.parsed.subject).toBe('Redefina sua senha do HRM Sign-in');
    expect(mail.parsed.text).toContain('Alguém — esperamos que você — pediu para redefinir a senha da conta paula.');
    expect(mail.parsed.text).toMatch(/expira em 1 hora \(\d{1,2} de [a-zç]+\.? de \d{4}, \d\d:\d\d UTC\)/);
    expectLanguage(mail, 'pt-BR');
  });

  test('an account without a language gets the language of the page it was asked from (the "Forgot password?" page\'s lang)', async () => {
    const before = smtp.mails.length;
    await askReset(p, 'nina', { 'accept-language': 'es' });
    const mail = await smtp.waitFor((m) => smtp.mails.indexOf(m) >= before && m.envelopeTo.includes('nina@example.test'));
    expect(mail.parsed.subject).toBe('Restablece tu contraseña de HRM Sign-in');
    expect(mail.parsed.text).toContain('Hola, Nina None:');
    expect(mail.parsed.text).toMatch(/caduca en 1 hora \(\d{1,2} [a-z]+\.? \d{4}, \d\d:\d\d UTC\)/);
    expectLanguage(mail, 'es');
    // The account's own language still wins over the page's.
    const again = smtp.mails.length;
    await askReset(p, 'paula', { 'accept-language': 'es' });
    const paula = await smtp.waitFor((m) => smtp.mails.indexOf(m) >= again && m.envelopeTo.includes('paula@example.test'));
    expect(paula.parsed.subject).toBe('Redefina sua senha do HRM Sign-in');
  });

  test('DEFAULT_LANGUAGE=fr: an account without a language gets a French reset', async () => {
    const before = smtp.mails.length;
    await askReset(fr, 'remy');
    const mail = await smtp.waitFor((m) => smtp.mails.indexOf(m) >= before && m.envelopeTo.includes('remy@example.test'));
    expect(mail.parsed.subject).toBe('Réinitialisez votre mot de passe HRM Sign-in');
    expect(mail.parsed.text).toMatch(/expire dans 1 heure \(\d{1,2} [a-zéû]+\.? \d{4}, \d\d:\d\d UTC\)/);
    expect(mail.parsed.text).toContain('Aide : adressez-vous à vos administrateurs');
  });
});

test('a security notice caused by an administrator is in the account\'s language: password changed, German date', async () => {
  const id = await account(p, 'dirk', 'Dirk Daten', 'de');
  const page = await (await admin.request(`${p.baseUrl}/admin/users/${id}/`)).text();
  const res = await admin.request(`${p.baseUrl}/admin/users/${id}/password`, { form: { ...hiddenFields(page, `/admin/users/${id}/password`), password: 'glacier piano 7741 lantern', password_confirm: 'glacier piano 7741 lantern' } });
  expect(res.status).toBe(303);
  const mail = await mailTo('dirk', /wurde geändert/);
  expect(mail.parsed.subject).toBe('Ihr Passwort für HRM Sign-in wurde geändert');
  expect(mail.parsed.text).toMatch(/Das Passwort Ihres Kontos dirk wurde am \d{1,2}\. [A-Za-zä]+\.? \d{4}, \d\d:\d\d UTC von einem Administrator geändert\. Ihre anderen Sitzungen wurden abgemeldet\./);
  expect(mail.parsed.text).toContain('Wenn Sie das nicht waren, ändern Sie jetzt Ihr Passwort und informieren Sie Ihre Administratoren (help@acme.test).');
  expect(mail.parsed.text).toContain('Konto überprüfen:\nhttp');
});
