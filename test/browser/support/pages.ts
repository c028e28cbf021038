// The pages the browser checks visit and the provider they visit them on (the same accounts and
// clients), shared by pages-in-chromium.test.ts (English, light and dark) and
// pages-in-two-languages.test.ts (German and Arabic): one list, so a page added here is checked in
// every language.
import type { Page } from 'playwright-core';
import { startTestProvider, type TestProvider } from '../../support/provider';
import { seriousViolations } from './axe';
import { screenshot } from './browser';

export const RC = 'http://127.0.0.1:9/_oauth/hrm';
export const APP_CB = 'http://127.0.0.1:9/api/apps/public/x/hrm-callback';

export interface PagesFixture {
  p: TestProvider;
  /** A Rocket.Chat login client (Custom OAuth redirect) and the HRM SSO app's client. */
  chat: { client_id: string; client_secret: string };
  app: { client_id: string };
  /** Alice's account id (her admin page has the employment form). */
  aliceId: string;
}

/** A provider with an administrator (root), two people (alice, tom) and three clients. */
export async function startPagesProvider(): Promise<PagesFixture> {
  const p = await startTestProvider({ env: { ORGANIZATION_NAME: 'Acme Corp', SUPPORT_CONTACT: 'it-help@acme.example' } });
  await p.createUser({ username: 'root', email: 'root@example.com', name: 'Ada Admin', password: 'admin password', admin: true });
  const alice = await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery', department: 'R&D' });
  await p.createUser({ username: 'tom', email: 'tom@example.com', name: 'Tom Field', password: 'tom first password' });
  const chat = await p.createClient({ name: 'Acme Chat', redirectUris: [RC], preset: 'rocketchat-login' });
  const app = await p.createClient({ name: 'Rocket.Chat (HRM SSO app)', redirectUris: [APP_CB], preset: 'rocketchat-app' });
  await p.createClient({ name: 'Wiki', redirectUris: ['https://wiki.example/cb'], preset: 'generic' });
  return { p, chat, app, aliceId: alice.id };
}

export const authorizeUrl = (clientId: string, redirectUri: string) => `/o/authorize/?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid read write', state: 'st' })}`;

/** Every page a signed-in administrator reaches, as [path, screenshot name]. */
export function signedInPages(f: Pick<PagesFixture, 'chat' | 'aliceId'>): ReadonlyArray<readonly [string, string]> {
  return [
    ['/accounts/profile/', 'account'],
    ['/accounts/password/', 'password'],
    ['/accounts/two-factor/setup/', 'two-factor-setup'],
    ['/accounts/sessions/', 'sessions'],
    ['/admin/', 'admin-overview'],
    ['/admin/clients/', 'admin-clients'],
    [`/admin/clients/${f.chat.client_id}/connect`, 'admin-connect'],
    ['/admin/users/', 'admin-users'],
    ['/admin/users/new', 'admin-user-new'],
    [`/admin/users/${f.aliceId}/`, 'admin-user-edit'],
    ['/admin/people/', 'admin-people'],
    ['/admin/keys/', 'admin-keys'],
    ['/admin/audit/', 'admin-audit'],
    ['/admin/tokens/', 'admin-tokens'],
  ];
}

/** axe on the current page, then a screenshot; fails with the rule ids and elements. */
export async function check(page: Page, name: string) {
  expect([name, await seriousViolations(page)]).toEqual([name, []]);
  await screenshot(page, name);
}

/** How far the page scrolls sideways (0 = not at all), named so a failure says which page. */
export async function noSidewaysScroll(page: Page, name: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect([name, overflow]).toEqual([name, 0]);
}

/** Signs in through the form by its fields' ids, whatever language its labels are in. */
export async function signInByIds(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForLoadState('load'), page.locator('form[action="/accounts/login/"] button[type=submit]').click()]);
}
