// The app's whole journey in the real Apps-Engine host, against an unmodified Django OAuth
// Toolkit (test/fixtures/dot under gunicorn) and against this repository's provider, from one
// parametrised test: /hrm check → /hrm login → sign-in and consent in Chromium → the engine's
// callback → /hrm whoami → a forced refresh → /hrm logout → both tokens dead at the HRM.
import type { Browser } from 'playwright-core';
import { AppHost } from '../support/apphost/AppHost';
import { startDot, type DotServer } from '../support/dot';
import { startTestProvider, type TestProvider } from '../support/provider';
import { launchBrowser, newContext, signInWithForm, watchConsole } from './support/browser';

const ADA = { username: 'ada', email: 'ada@example.test', firstName: 'Ada', lastName: 'Lovelace', password: 'correct horse battery staple' };

interface Hrm {
  baseUrl: string;
  client: { client_id: string; client_secret: string };
  consentButton: string;
}

let browser: Browser;
let host: AppHost;
let dot: DotServer;
let provider: TestProvider;
const hrms: Record<string, Hrm> = {};

beforeAll(async () => {
  host = await AppHost.start();
  host.addUser({ id: 'rc-ada', username: 'ada', email: ADA.email, name: 'Ada Lovelace' });
  const redirectUri = `${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`;
  [browser, dot, provider] = await Promise.all([launchBrowser(), startDot({ redirectUris: [redirectUri], users: [ADA] }), startTestProvider()]);
  await provider.createUser({ username: ADA.username, email: ADA.email, name: 'Ada Lovelace', password: ADA.password });
  const own = await provider.createClient({ name: 'Rocket.Chat (HRM SSO app)', redirectUris: [redirectUri], preset: 'rocketchat-app' });
  hrms['Django OAuth Toolkit'] = { baseUrl: dot.baseUrl, client: dot.client, consentButton: 'Authorize' };
  hrms['this repository\'s provider'] = { baseUrl: provider.baseUrl, client: own, consentButton: 'Allow' };
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await dot?.stop();
  await provider?.stop();
});

function basic(client: { client_id: string; client_secret: string }): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
}

async function userinfoStatus(hrm: Hrm, token: string): Promise<number> {
  return (await fetch(`${hrm.baseUrl}/api/v2/o/userinfo/`, { headers: { Authorization: `Bearer ${token}` } })).status;
}

async function refreshAnswer(hrm: Hrm, refreshToken: string): Promise<{ status: number; error?: string }> {
  const res = await fetch(`${hrm.baseUrl}/o/token/`, {
    method: 'POST',
    headers: { Authorization: basic(hrm.client), 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  return { status: res.status, error: body.error };
}

test.each(['Django OAuth Toolkit', 'this repository\'s provider'])('the app against %s: login, whoami, refresh, logout', async (name) => {
  const hrm = hrms[name];
  await host.setSetting('hrm-provider-url', hrm.baseUrl);
  await host.setSetting('hrm-oauth-client-id', hrm.client.client_id);
  await host.setSetting('hrm-oauth-clientsecret', hrm.client.client_secret);
  const ada = host.user('rc-ada');

  const check = await host.say(host.adminUser, 'check');
  expect(check).not.toContain(':x:');
  expect(check).toContain('The client ID and secret are accepted');
  if (name === 'Django OAuth Toolkit') {
    expect(check).toContain('treating it as Django OAuth Toolkit');
    expect(check).toContain('Client type: Confidential');
    expect(check).not.toContain('rocketchat-app');
  } else {
    expect(check).toContain('serves its metadata');
    expect(check).toContain('`rocketchat-app`');
  }

  const [login] = await host.command(ada, 'login');
  const loginUrl = login.buttonUrls[0];
  expect(loginUrl.startsWith(`${hrm.baseUrl}/o/authorize/?`)).toBe(true);
  const context = await newContext(browser, hrm.baseUrl);
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(loginUrl);
  await signInWithForm(page, ADA.username, ADA.password);
  await page.waitForURL(/\/o\/authorize\//);
  await page.getByRole('button', { name: hrm.consentButton }).click();
  await page.waitForURL(`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback?**`);
  expect(await page.textContent('body')).toContain('HRM account linked');
  // DOT's fixture serves no static files (its stylesheet 404s); our provider's pages must be clean.
  if (name !== 'Django OAuth Toolkit') expect(problems).toEqual([]);
  await context.close();

  const linked = host.record('rc-ada', 'hrm-oauth-connection') as { token: string; refreshToken: string };
  expect(linked.token).toEqual(expect.any(String));
  expect(linked.refreshToken).toEqual(expect.any(String));
  const whoami = await host.say(ada, 'whoami');
  expect(whoami).toContain('*Name:* Ada Lovelace');
  expect(whoami).toContain('*Username:* ada');

  // Forced refresh: the app's record says the access token has expired.
  const [identity] = host.bridges.persistence.find(host.appId, [{ model: 'user', id: 'rc-ada' }, { model: 'misc', id: 'hrm-linked-identity' }]);
  identity.data = { ...(identity.data as object), accessTokenExpiresAt: Date.now() - 1000 };
  expect(await host.say(ada, 'whoami')).toContain('*Name:* Ada Lovelace');
  const refreshed = host.record('rc-ada', 'hrm-oauth-connection') as { token: string; refreshToken: string };
  expect(refreshed.token).not.toBe(linked.token);
  expect(refreshed.refreshToken).not.toBe(linked.refreshToken);
  expect(await userinfoStatus(hrm, refreshed.token)).toBe(200);

  expect(await host.say(ada, 'logout')).toBe("Unlinked from Ada Lovelace (ada, ada@example.test): the app's access to your HRM account was revoked.");
  expect(host.recordsOf('rc-ada')).toEqual([]);
  expect([401, 403]).toContain(await userinfoStatus(hrm, refreshed.token));
  expect(await refreshAnswer(hrm, refreshed.refreshToken)).toEqual({ status: 400, error: 'invalid_grant' });

  if (name === 'Django OAuth Toolkit') {
    // The HRM's access log: no credentials in any URL, no token request with a query string.
    const log = dot.accessLog();
    expect(log).toMatch(/"POST \/o\/token\/ HTTP\/1\.1" 200/);
    expect(log).toMatch(/"POST \/o\/revoke_token\/ HTTP\/1\.1" 200/);
    expect(log).not.toMatch(/"POST \/o\/(token|revoke_token|introspect)\/\?/);
    expect(log).not.toContain(hrm.client.client_secret);
    expect(log).not.toContain('client_secret');
  }
  expect(host.logs.dump()).not.toContain(hrm.client.client_secret);
}, 120_000);
