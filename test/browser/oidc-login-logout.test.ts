// A second relying party (Express + openid-client's passport strategy) signs in and out in
// Chromium: login and consent at the provider, the RP's session from a validated ID token, then
// single logout through the end_session_endpoint, which ends the provider session too.
import type { Browser } from 'playwright-core';
import { startTestProvider, type TestProvider } from '../support/provider';
import { launchBrowser, newContext, screenshot, signInWithForm, watchConsole } from './support/browser';
import { startOidcRelyingParty, type OidcRelyingParty } from './support/oidc-rp';

let p: TestProvider;
let browser: Browser;
let rp: OidcRelyingParty;

beforeAll(async () => {
  [p, browser] = await Promise.all([startTestProvider(), launchBrowser()]);
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  rp = await startOidcRelyingParty(p.baseUrl);
  const c = await p.createClient({ name: 'Team Wiki', preset: 'oidc-web', redirectUris: [rp.redirectUri], postLogoutRedirectUris: [rp.postLogoutUri], revokeTokensOnLogout: true });
  await rp.configure(c.client_id, c.client_secret);
});
afterAll(async () => {
  await browser?.close();
  await rp?.close();
  await p?.stop();
});

test('sign in to an OpenID Connect app with HRM, then sign out of both with single logout', async () => {
  const context = await newContext(browser, p.baseUrl);
  const page = await context.newPage();
  const problems = watchConsole(page);

  await page.goto(rp.url);
  await page.click('#login');
  await page.waitForURL(/\/accounts\/login\//);
  expect(await page.textContent('main')).toContain('Team Wiki');
  await signInWithForm(page, 'alice', 'correct horse battery');
  await page.waitForURL(/\/o\/authorize\//);
  expect(await page.textContent('.scopes')).toContain('Sign you in with your HRM account');
  await screenshot(page, 'oidc-consent');
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(`${rp.url}/`);
  expect(await page.textContent('#hello')).toBe('Hello Alice Smith');
  expect(await page.textContent('#email')).toBe('alice@example.com');

  // Single logout: the RP ends its session and sends the browser to the provider's end_session_endpoint.
  await page.click('#logout');
  await page.waitForURL(`${rp.postLogoutUri}?**`);
  expect(await page.textContent('#signed-out')).toBe('Signed out');
  expect(await page.textContent('#state')).toBe('rp-state-1');
  await screenshot(page, 'oidc-signed-out');
  // The RP revokes on logout: no live token of Team Wiki remains for Alice.
  expect(await p.db.accessTokens.countDocuments({ revokedAt: null })).toBe(0);

  // The provider session ended as well: logging in to the RP again asks for the password.
  await page.goto(rp.url);
  await page.click('#login');
  await page.waitForURL(/\/accounts\/login\//);
  await signInWithForm(page, 'alice', 'correct horse battery');
  // Consent was given before: straight back to the RP.
  await page.waitForURL(`${rp.url}/`);
  expect(await page.textContent('#hello')).toBe('Hello Alice Smith');

  // Without an id_token_hint, the provider asks before signing out.
  await page.goto(`${p.baseUrl}/o/logout/`);
  expect(await page.textContent('h1')).toContain('Sign out of');
  await Promise.all([page.waitForURL(`${p.baseUrl}/o/logout/`), page.locator('main').getByRole('button', { name: 'Sign out' }).click()]);
  expect(await page.textContent('h1')).toContain('You are signed out');
  expect(problems).toEqual([]);
  await context.close();
});
