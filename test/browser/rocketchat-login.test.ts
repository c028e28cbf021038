// Journey (a): Rocket.Chat "Log in with HRM" in a real browser. A test consumer sends exactly
// Rocket.Chat Custom OAuth's requests; the browser clicks through login and consent; the
// consumer's identity call returns the user. Plus the Back button, Cancel, and revoking the
// app from "Connected apps".
import type { Browser } from 'playwright-core';
import { startTestProvider, type TestProvider } from '../support/provider';
import { launchBrowser, newContext, screenshot, signInWithForm, watchConsole } from './support/browser';
import { startRocketChatConsumer, type RocketChatConsumer } from './support/rocketchat-consumer';

let p: TestProvider;
let browser: Browser;
let rc: RocketChatConsumer;

beforeAll(async () => {
  [p, browser] = await Promise.all([startTestProvider({ env: { ORGANIZATION_NAME: 'Acme HR', PRODUCT_NAME: 'Acme Sign-in' } }), launchBrowser()]);
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery', department: 'Research', jobTitle: 'Engineer' });
  rc = await startRocketChatConsumer(p.baseUrl);
  const c = await p.createClient({ name: 'Acme Chat', redirectUris: [rc.redirectUri], preset: 'rocketchat-login' });
  rc.setCredentials(c.client_id, c.client_secret);
});
afterAll(async () => {
  await browser?.close();
  await rc?.close();
  await p?.stop();
});

test('log in to Rocket.Chat with HRM: login, consent, identity; Back after consent; revoke in Connected apps', async () => {
  const context = await newContext(browser, p.baseUrl);
  const page = await context.newPage();
  const problems = watchConsole(page);

  await page.goto(rc.url);
  await page.click('#login-hrm');
  await page.waitForURL(/\/accounts\/login\//);
  await expect(page.title()).resolves.toBe('Sign in · Acme HR');
  expect(await page.textContent('main')).toContain('to continue to Acme Chat');
  // A wrong password: error in place, username kept, focus-friendly markup.
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('#login-error');
  expect(await page.textContent('#login-error')).toContain('Wrong username or password');
  expect(await page.inputValue('#username')).toBe('alice');
  await screenshot(page, 'login-error');
  await signInWithForm(page, 'alice', 'correct horse battery');

  await page.waitForURL(/\/o\/authorize\//);
  expect(await page.textContent('h1')).toContain('Allow Acme Chat to use your account?');
  expect(await page.textContent('.scopes')).toContain('See your profile');
  await screenshot(page, 'consent');
  await page.getByRole('button', { name: 'Allow' }).click();

  await page.waitForURL(`${rc.url}/_oauth/hrm?**`);
  expect(await page.textContent('#result')).toBe('Welcome, Alice Smith');
  expect(await page.textContent('#username')).toBe('alice');
  const aliceId = (await p.db.users.findOne({ username: 'alice' }))!._id;
  expect(rc.logins).toHaveLength(1);
  expect(rc.logins[0]).toMatchObject({ tokenStatus: 200, identityStatus: 200, identity: { id: aliceId, sub: aliceId, username: 'alice', email: 'alice@example.com', name: 'Alice Smith' } });
  await screenshot(page, 'rocketchat-consumer-welcome');

  // Back button after consent: the consent URL is reloaded (no-store); consent is remembered, so the
  // provider sends the browser straight back with a fresh code, which the consumer (like
  // Rocket.Chat) refuses because its state was already used. No provider error, one consent.
  await page.goBack();
  await page.waitForLoadState('load');
  expect(page.url()).toContain(`${rc.url}/_oauth/hrm`);
  expect(await page.textContent('h1')).toBe('No matching login attempt found');
  expect(await p.db.consents.countDocuments({ userId: aliceId })).toBe(1);

  // A second login needs no consent.
  await page.goto(rc.url);
  await page.click('#login-hrm');
  await page.waitForURL(`${rc.url}/_oauth/hrm?**`);
  expect(await page.textContent('#result')).toBe('Welcome, Alice Smith');

  // Connected apps: the client with scopes and dates; Revoke withdraws it at once.
  await page.goto('/');
  await page.getByRole('link', { name: 'Your account', exact: true }).click();
  await page.waitForURL(/\/accounts\/profile\//);
  const app = page.locator('li.app', { hasText: 'Acme Chat' });
  await expect(app.textContent()).resolves.toMatch(/See your profile[\s\S]*Act on your behalf[\s\S]*First used .* last used/);
  await screenshot(page, 'account-connected-apps');
  await app.getByRole('button', { name: 'Revoke access for Acme Chat' }).click();
  await page.waitForSelector('.notice');
  expect(await page.textContent('.notice')).toContain('Access for Acme Chat was revoked');
  expect(await page.locator('li.app').count()).toBe(0);
  expect(await p.db.accessTokens.countDocuments({ userId: aliceId, revokedAt: null })).toBe(0);

  // Signing in again asks for consent again; Cancel returns access_denied to the app.
  await page.goto(rc.url);
  await page.click('#login-hrm');
  await page.waitForURL(/\/o\/authorize\//);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL(`${rc.url}/_oauth/hrm?**`);
  expect(await page.textContent('#result')).toContain('access_denied');

  // Sign out: the session ends; the account page needs a new login.
  await page.goto('/accounts/profile/');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForSelector('text=You are signed out');
  await screenshot(page, 'logged-out');
  await page.goto('/accounts/profile/');
  await page.waitForURL(/\/accounts\/login\/\?next=/);

  expect(problems).toEqual([]);
  await context.close();
});

test('an unknown client or redirect URI gets an error page in the browser, never a redirect', async () => {
  const context = await newContext(browser, p.baseUrl);
  const page = await context.newPage();
  const res = await page.goto(`/o/authorize/?client_id=${rc.logins.length ? 'x' : 'y'}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code`);
  expect(res!.status()).toBe(400);
  expect(page.url().startsWith(p.baseUrl)).toBe(true);
  expect(await page.textContent('h1')).toBe('Unknown application');
  await screenshot(page, 'error-unknown-client');
  await context.close();
});
