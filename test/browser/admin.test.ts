// Journey (c): an admin signs in, creates a client with the "Rocket.Chat login" preset, copies
// the secret with the copy button, and that secret gets a token (through a consumer that sends
// Rocket.Chat's exact requests). Plus, in the browser: 403 for non-admins, an expired form,
// a double-clicked form, deleting a client in use, a user deactivated mid-session.
import type { Browser, Page } from 'playwright-core';
import { startTestProvider, type TestProvider } from '../support/provider';
import { launchBrowser, newContext, screenshot, signInWithForm, watchConsole } from './support/browser';
import { startRocketChatConsumer, type RocketChatConsumer } from './support/rocketchat-consumer';

let p: TestProvider;
let browser: Browser;
let rc: RocketChatConsumer;

beforeAll(async () => {
  [p, browser] = await Promise.all([startTestProvider({ env: { ORGANIZATION_NAME: 'Acme HR', PRODUCT_NAME: 'Acme Sign-in' } }), launchBrowser()]);
  await p.createUser({ username: 'root', email: 'root@example.com', name: 'Ada Admin', password: 'admin password', admin: true });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  rc = await startRocketChatConsumer(p.baseUrl);
});
afterAll(async () => {
  await browser?.close();
  await rc?.close();
  await p?.stop();
});

async function adminPage(): Promise<{ page: Page; problems: string[]; close(): Promise<void> }> {
  const context = await newContext(browser, p.baseUrl);
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await signInWithForm(page, 'root', 'admin password');
  return { page, problems, close: () => context.close() };
}

test('admin journey: create a Rocket.Chat login client, copy the secret, use it for a token', async () => {
  const { page, problems, close } = await adminPage();
  // From the start page to the console by links only.
  await page.goto('/');
  await page.getByRole('link', { name: 'Admin console' }).first().click();
  await page.waitForURL(/\/admin\/$/);
  await screenshot(page, 'admin-overview');
  // Every edition's login path leads the common tasks; Custom OAuth (Premium from 9.0) comes second.
  const tasks = await page.locator('ul.links li').allTextContents();
  expect(tasks[0]).toContain("every edition: Rocket.Chat's built-in WordPress provider");
  expect(tasks[1]).toContain('Custom OAuth');
  await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('link', { name: 'New client' }).click();
  // The WordPress path is first and chosen by default; the redirect placeholder follows the choice.
  expect(await page.getByLabel('Rocket.Chat login (every edition: built-in WordPress provider)').isChecked()).toBe(true);
  expect(await page.getByLabel('Redirect URIs').getAttribute('placeholder')).toBe('https://chat.example.com/_oauth/wordpress');
  await page.getByLabel('Rocket.Chat login through Custom OAuth (Premium from Rocket.Chat 9.0)').check();
  expect(await page.getByLabel('Redirect URIs').getAttribute('placeholder')).toBe('https://chat.example.com/_oauth/hrm');
  await page.getByLabel('Name', { exact: true }).fill('Acme Chat');
  await page.getByLabel('Redirect URIs').fill(rc.redirectUri);
  await screenshot(page, 'admin-new-client');
  await page.getByRole('button', { name: 'Create client' }).click();
  await page.waitForSelector('.secret-box');
  expect(await page.textContent('h1')).toBe('Connect Rocket.Chat: Acme Chat');
  await screenshot(page, 'admin-connect-rocketchat');

  // Copy the secret with the button; read it back from the clipboard. copy.js is deferred: the
  // page must have finished loading, or the click lands before its listener exists.
  await page.waitForLoadState('load');
  await page.getByRole('button', { name: 'Copy secret', exact: true }).click();
  await page.waitForSelector('button.copied');
  expect(await page.textContent('.copy-status')).toContain('Copied');
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(secret).toBe((await page.textContent('#value-secret-once'))!.trim());
  await page.getByRole('button', { name: 'Copy Id', exact: true }).click();
  await page.waitForSelector('button.copied[data-copy-target="value-client-id"]');
  const clientId = await page.evaluate(() => navigator.clipboard.readText());
  expect(await p.db.clients.findOne({ _id: clientId })).toMatchObject({ name: 'Acme Chat', preset: 'rocketchat-login' });
  expect(await page.textContent('#value-token-path')).toBe('/o/token/');
  expect(await page.textContent('#value-identity-path')).toBe('/api/v2/o/userinfo/');
  expect(await page.textContent('#value-url')).toBe(p.baseUrl);
  // Each path says what a first login creates and warns before merging by username.
  expect(await page.textContent('#setup-custom-oauth')).toContain('a chat account alice is not necessarily HRM alice');
  expect(await page.textContent('#setup-wordpress')).toContain('has no “Merge users” setting');

  // Reloading the answer re-posts the form: refused, the secret is not shown again.
  page.once('dialog', (d) => d.accept());
  await page.reload();
  expect(await page.textContent('h1')).toBe('Already submitted');
  expect(await page.content()).not.toContain(secret);
  expect(await p.db.clients.countDocuments({ name: 'Acme Chat' })).toBe(1);

  // The copied values work: Alice logs in through the consumer (Rocket.Chat's exact requests).
  rc.setCredentials(clientId, secret);
  const userCtx = await newContext(browser, p.baseUrl);
  const user = await userCtx.newPage();
  await user.goto(rc.url);
  await user.click('#login-hrm');
  await signInWithForm(user, 'alice', 'correct horse battery');
  await user.getByRole('button', { name: 'Allow' }).click();
  await user.waitForURL(`${rc.url}/_oauth/hrm?**`);
  expect(await user.textContent('#result')).toBe('Welcome, Alice Smith');
  expect(rc.logins.at(-1)).toMatchObject({ tokenStatus: 200, identityStatus: 200, identity: { username: 'alice' } });
  await userCtx.close();

  // Tokens, users and audit pages show what happened.
  await page.goto('/admin/');
  await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Tokens' }).click();
  expect(await page.locator('tr', { hasText: 'Acme Chat' }).textContent()).toMatch(/Acme Chat[\s\S]*1\s*1/);
  await screenshot(page, 'admin-tokens');
  await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Users' }).click();
  await screenshot(page, 'admin-users');
  await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Audit log' }).click();
  expect(await page.locator('tbody tr').first().textContent()).toContain('root created the client');
  await screenshot(page, 'admin-audit');
  expect(problems).toEqual([]);
  await close();
});

test('non-admins get a 403 page; the admin link is not shown to them', async () => {
  const context = await newContext(browser, p.baseUrl);
  const page = await context.newPage();
  await page.goto('/admin/clients/');
  await page.waitForURL(/\/accounts\/login\/\?next=%2Fadmin%2Fclients%2F/);
  await signInWithForm(page, 'alice', 'correct horse battery');
  expect(await page.textContent('h1')).toBe('Administrators only');
  await screenshot(page, 'admin-forbidden');
  await page.goto('/');
  expect(await page.getByRole('link', { name: 'Admin console' }).count()).toBe(0);
  await context.close();
});

/** Submits the new-client form and waits until the browser has left it (the answer page is loaded). */
async function submitNewClient(page: Page, submit: () => Promise<void>) {
  await Promise.all([page.waitForURL((url) => url.pathname !== '/admin/clients/new', { waitUntil: 'load' }), submit()]);
}

test('double-clicked Create and an expired form: one client, a clear page, nothing changed', async () => {
  const { page, close } = await adminPage();
  await page.goto('/admin/clients/new');
  await page.getByLabel('Generic OAuth 2.0 client').check();
  await page.getByLabel('Name', { exact: true }).fill('Double click');
  await page.getByLabel('Redirect URIs').fill('https://app.example.test/cb');
  await submitNewClient(page, () => page.getByRole('button', { name: 'Create client' }).dblclick());
  expect(await page.textContent('h1')).toMatch(/Client credentials: Double click|Already submitted/);
  expect(await p.db.clients.countDocuments({ name: 'Double click' })).toBe(1);

  // The form's token goes stale while it is open (signed out and in again in another tab):
  // a clear 403 page, nothing created.
  await page.goto('/admin/clients/new');
  await page.getByLabel('Name', { exact: true }).fill('Too late');
  await page.getByLabel('Redirect URIs').fill('https://app.example.test/cb');
  const other = await page.context().newPage();
  await other.goto('/');
  await other.getByRole('button', { name: 'Sign out' }).click();
  await other.waitForSelector('text=You are signed out');
  await other.goto('/accounts/login/');
  await signInWithForm(other, 'root', 'admin password');
  await other.close();
  await submitNewClient(page, () => page.getByRole('button', { name: 'Create client' }).click());
  expect(await page.textContent('h1')).toBe('This form has expired');
  expect(await page.textContent('main')).toContain('Nothing was changed');
  await screenshot(page, 'csrf-expired');
  // The session itself ending while a form is open: a clear "signed out" page.
  await page.goto('/admin/clients/new');
  await page.getByLabel('Name', { exact: true }).fill('Too late');
  await page.getByLabel('Redirect URIs').fill('https://app.example.test/cb');
  await p.db.db.collection('sessions').deleteMany({});
  await submitNewClient(page, () => page.getByRole('button', { name: 'Create client' }).click());
  expect(await page.textContent('h1')).toBe('You are signed out');
  expect(await page.textContent('main')).toContain('Nothing was changed');
  expect(await p.db.clients.countDocuments({ name: 'Too late' })).toBe(0);
  await close();
}, 120000);

test('deleting a client in use, and deactivating a user mid-session', async () => {
  const c = await p.createClient({ name: 'Busy app', redirectUris: [rc.redirectUri], preset: 'rocketchat-login' });
  rc.setCredentials(c.client_id, c.client_secret);
  await p.createUser({ username: 'dave', email: 'dave@example.com', name: 'Dave Doe', password: 'dave password' });
  const daveCtx = await newContext(browser, p.baseUrl);
  const dave = await daveCtx.newPage();
  await dave.goto(rc.url);
  await dave.click('#login-hrm');
  await signInWithForm(dave, 'dave', 'dave password');
  await dave.getByRole('button', { name: 'Allow' }).click();
  await dave.waitForURL(`${rc.url}/_oauth/hrm?**`);
  const daveToken = await p.db.accessTokens.countDocuments({ clientId: c.client_id, revokedAt: null });
  expect(daveToken).toBe(1);

  const { page, close } = await adminPage();
  await page.goto('/admin/clients/');
  await page.getByRole('link', { name: 'Busy app' }).click();
  await page.getByRole('link', { name: 'Delete this client…' }).click();
  expect(await page.textContent('.alert')).toContain('This client is in use');
  await screenshot(page, 'admin-delete-client-in-use');
  await page.getByLabel(/Type the client's name/).fill('Busy app');
  await page.getByRole('button', { name: 'Delete client' }).click();
  await page.waitForSelector('.notice');
  expect(await page.textContent('.notice')).toContain('The client was deleted');
  expect(await p.db.accessTokens.countDocuments({ clientId: c.client_id })).toBe(0);
  // Dave's connected apps no longer list it; his next login attempt through it gets an error page.
  await dave.goto(`${p.baseUrl}/accounts/profile/`);
  expect(await dave.locator('li.app').count()).toBe(0);
  await dave.goto(rc.url);
  await dave.click('#login-hrm');
  expect(await dave.textContent('h1')).toBe('Unknown application');

  // Deactivate Dave while he is signed in: his next page is the login page.
  await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('link', { name: 'dave' }).click();
  await page.getByRole('button', { name: 'Deactivate user' }).click();
  await page.waitForSelector('.notice');
  expect(await page.textContent('.notice')).toContain('deactivated');
  await screenshot(page, 'admin-user-edit');
  await dave.goto(`${p.baseUrl}/accounts/profile/`);
  await dave.waitForURL(/\/accounts\/login\//);
  await signInWithForm(dave, 'dave', 'dave password');
  expect(await dave.textContent('#login-error')).toContain('Wrong username or password');
  await daveCtx.close();
  await close();
});

test('pages work on a phone-sized screen', async () => {
  const context = await newContext(browser, p.baseUrl, { mobile: true });
  const page = await context.newPage();
  await page.goto('/accounts/login/');
  await signInWithForm(page, 'root', 'admin password');
  await page.goto('/admin/clients/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, 'mobile-admin-clients');
  await context.close();
});
