// Journeys (b) and (d) with the HRM SSO app running in the real Apps-Engine host
// (test/support/apphost): the URL from `/hrm login` opened in the browser, consent clicked,
// the engine's callback page shown, `/hrm whoami` answering; then Revoke in "Connected apps"
// makes the next `/hrm whoami` say the link is gone.
import type { Browser } from 'playwright-core';
import { AppHost } from '../support/apphost/AppHost';
import { startTestProvider, type TestProvider } from '../support/provider';
import { launchBrowser, newContext, screenshot, signInWithForm, watchConsole } from './support/browser';

let p: TestProvider;
let browser: Browser;
let host: AppHost | undefined;

const ADA = { username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace', password: 'correct horse battery staple', department: 'Engineering', jobTitle: 'Analyst' };

beforeAll(async () => {
  [p, browser] = await Promise.all([startTestProvider(), launchBrowser()]);
  host = await AppHost.start();
  host.addUser({ id: 'rc-ada', username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace' });
  await p.createUser(ADA);
  const app = await p.createClient({ name: 'Rocket.Chat (HRM SSO app)', redirectUris: [`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`], preset: 'rocketchat-app' });
  await host.setSetting('hrm-provider-url', p.baseUrl);
  await host.setSetting('hrm-oauth-client-id', app.client_id);
  await host.setSetting('hrm-oauth-clientsecret', app.client_secret);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await p?.stop();
});

test('(b) /hrm login in the browser links the account; (d) Revoke in Connected apps ends the link', async () => {
  const ada = host!.user('rc-ada');
  const replies = await host!.command(ada, 'login');
  const loginUrl = replies.flatMap((r) => r.buttonUrls ?? [])[0];
  expect(loginUrl).toMatch(new RegExp(`^${p.baseUrl}/o/authorize/\\?`));

  const context = await newContext(browser, p.baseUrl);
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(loginUrl);
  await signInWithForm(page, ADA.username, ADA.password);
  await page.waitForURL(/\/o\/authorize\//);
  expect(await page.textContent('h1')).toContain('Rocket.Chat (HRM SSO app)');
  await screenshot(page, 'app-consent');
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(`${host!.siteUrl}/api/apps/public/${host!.appId}/hrm-callback?**`);
  expect(await page.textContent('body')).toContain('HRM account linked');
  await screenshot(page, 'app-callback-linked');

  const whoami = await host!.say(ada, 'whoami');
  expect(whoami).toContain('Your HRM profile');
  expect(whoami).toContain('Ada Lovelace');
  expect(whoami).toContain('Engineering');

  // (d) Ada revokes the app in "Connected apps".
  await page.goto('/accounts/profile/');
  const app = page.locator('li.app', { hasText: 'Rocket.Chat (HRM SSO app)' });
  expect(await app.count()).toBe(1);
  await app.getByRole('button', { name: /Revoke access/ }).click();
  await page.waitForSelector('.notice');
  expect(await page.locator('li.app').count()).toBe(0);

  const after = await host!.say(ada, 'whoami');
  expect(after).not.toContain('Your HRM profile');
  expect(after).toMatch(/run \/hrm login/);
  expect(await host!.say(ada, 'whoami')).toMatch(/not linked|run \/hrm login/);
  expect(problems).toEqual([]);
  await context.close();
});
