// The browser scripts speak the page's language, and right-to-left holds, in Chromium (one
// browser; the locale of each profile sets Accept-Language): the live password-strength meter and
// the passkey script's messages in German, the copy button in French, and the Arabic sign-in,
// consent and profile pages at 360 px: right-to-left, nothing scrolls sideways, no CSP violation.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { authenticator } from 'otplib';
import { startTestProvider, type TestProvider } from '../support/provider';
import { launchBrowser, screenshot, watchConsole } from '../browser/support/browser';

let p: TestProvider;
let browser: Browser;
let base: string;
let clientId: string;
const REDIRECT = 'https://wiki.example/cb';

beforeAll(async () => {
  [p, browser] = await Promise.all([startTestProvider({ env: { PASSKEY_PASSWORDLESS: 'true' } }), launchBrowser()]);
  // WebAuthn needs a domain name (localhost), not an IP address.
  base = p.baseUrl.replace('127.0.0.1', 'localhost');
  (p.config as { issuer: string }).issuer = base;
  for (const u of ['greta', 'louis', 'omar']) await p.createUser({ username: u, email: `${u}@example.com`, name: `${u[0].toUpperCase()}${u.slice(1)} Example`, password: `${u} password 1` });
  clientId = (await p.createClient({ name: 'Wiki', redirectUris: [REDIRECT] })).client_id;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

async function profile(locale: string, width = 1180): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: base, locale, viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(15000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  return { context, page, problems: watchConsole(page) };
}

async function signIn(page: Page, username: string, labels: { user: string; password: string; submit: string }) {
  await page.goto('/accounts/login/');
  await page.getByLabel(labels.user, { exact: true }).fill(username);
  await page.getByLabel(labels.password, { exact: true }).fill(`${username} password 1`);
  await Promise.all([page.waitForURL(/\/accounts\/profile\//), page.getByRole('button', { name: labels.submit, exact: true }).click()]);
}

const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('German: the live strength meter and the passkey script speak German', async () => {
  const { context, page, problems } = await profile('de-DE');
  await signIn(page, 'greta', { user: 'Benutzername', password: 'Passwort', submit: 'Anmelden' });
  await page.goto('/accounts/password/');
  const label = page.locator('#strength-label');
  await expect(label.innerText()).resolves.toBe('Die Stärke wird während der Eingabe geprüft.');
  await page.locator('#new_password').fill('abc');
  await expect(label.filter({ hasText: 'Stärke: Sehr schwach — noch nicht ausreichend (nötig: stark).' }).waitFor()).resolves.toBeUndefined();
  // zxcvbn-ts's advice, computed in the browser, in German.
  await expect(page.locator('#strength-feedback li').allInnerTexts()).resolves.toEqual(['Häufige Zeichenfolgen wie „abc“ sind leicht zu erraten.', 'Fügen Sie weitere, weniger gebräuchliche Wörter hinzu.', 'Vermeiden Sie häufige Zeichenfolgen.']);
  await page.locator('#new_password').fill('violet anchor drums quietly 1987');
  await expect(label.filter({ hasText: /^Stärke: (Stark|Sehr stark) — ausreichend\.$/ }).waitFor()).resolves.toBeUndefined();

  // Passkeys with Chromium's virtual authenticator: the server's notice, then the script's own
  // message when the same authenticator is offered twice (excludeCredentials → InvalidStateError).
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } });
  await page.goto('/accounts/passkeys/');
  await page.getByLabel('Name', { exact: true }).fill('Laptop');
  await Promise.all([page.waitForURL(/notice=added/), page.getByRole('button', { name: 'Passkey hinzufügen' }).click()]);
  await expect(page.locator('.notice').innerText()).resolves.toMatch(/^Passkey hinzugefügt\./);
  await expect(page.locator('#passkey-list td[data-label="Zuletzt verwendet"]').innerText()).resolves.toBe('noch nicht');
  await page.getByLabel('Name', { exact: true }).fill('Laptop again');
  await page.getByRole('button', { name: 'Passkey hinzufügen' }).click();
  const status = page.locator('#passkey-status');
  await status.filter({ hasText: 'Dieser Authenticator enthält bereits einen Passkey für Ihr Konto.' }).waitFor();
  expect(problems).toEqual([]);
  await context.close();
});

test('French: the copy button of the recovery codes says so in French', async () => {
  const { context, page, problems } = await profile('fr-FR');
  await signIn(page, 'louis', { user: 'Nom d’utilisateur', password: 'Mot de passe', submit: 'Se connecter' });
  await page.goto('/accounts/two-factor/setup/');
  const secret = (await page.locator('#manual-key').innerText()).replace(/\s+/g, '');
  await page.getByLabel('Saisissez le code à 6 chiffres affiché par l’application').fill(authenticator.clone({ step: 30, digits: 6 }).generate(secret));
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Activer la connexion à deux facteurs' }).click()]);
  await expect(page.locator('h1').innerText()).resolves.toBe('Enregistrez vos codes de récupération');
  // The heading shows while the page is still parsed; copy.js is deferred: wait until it has run
  // (a click before that does nothing, and no status ever comes — seen once in CI).
  await page.waitForLoadState('load');
  const copy = page.getByRole('button', { name: 'Copier les codes' });
  await copy.click();
  await page.locator('.copy-status').filter({ hasText: /^(Copié dans le presse-papiers\.|Appuyez sur Ctrl\+C \(ou ⌘C\) pour copier la valeur sélectionnée\.)$/ }).waitFor();
  expect(problems).toEqual([]);
  await context.close();
});

test('Arabic at 360 px: sign-in, consent and profile are right-to-left and never scroll sideways', async () => {
  const { context, page, problems } = await profile('ar', 360);
  await page.goto('/accounts/login/');
  await expect(page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.querySelector('main')!).direction])).resolves.toEqual(['ar', 'rtl', 'rtl']);
  await expect(page.locator('h1').innerText()).resolves.toBe('تسجيل الدخول');
  // Right-to-left: the label's words start at the right edge of its field, far from the left one.
  const edges = await page.evaluate(() => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('label[for="username"]')!);
    const text = range.getBoundingClientRect();
    const field = document.getElementById('username')!.getBoundingClientRect();
    return { right: Math.round(field.right - text.right), left: Math.round(text.left - field.left) };
  });
  expect(edges.right).toBeLessThan(3);
  expect(edges.left).toBeGreaterThan(50);
  expect(await sidewaysScroll(page)).toBe(0);
  await screenshot(page, 'i18n-ar-login-360');

  await signIn(page, 'omar', { user: 'اسم المستخدم', password: 'كلمة المرور', submit: 'تسجيل الدخول' });
  await page.goto(`/o/authorize/?${new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid profile email', state: 's' })}`);
  await expect(page.locator('h1').innerText()).resolves.toBe('هل تسمح لـ Wiki باستخدام حسابك؟');
  await expect(page.locator('li[data-scope="email"]').innerText()).resolves.toBe('رؤية عنوان بريدك الإلكتروني.');
  expect(await sidewaysScroll(page)).toBe(0);
  await screenshot(page, 'i18n-ar-consent-360');

  // Partly translated pages (English where Arabic has no text yet) keep the layout too.
  await page.goto('/accounts/profile/');
  expect(await sidewaysScroll(page)).toBe(0);
  await screenshot(page, 'i18n-ar-profile-360');
  expect(problems).toEqual([]);
  await context.close();
});
