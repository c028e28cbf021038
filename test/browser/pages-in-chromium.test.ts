// The pages in Chromium: axe-core finds no serious or critical violation on login, consent, the
// account pages, two-factor set-up and the admin console (light and dark); sign-in and consent
// work with the keyboard alone; screenshots at 1280 and 360 px go to test-artifacts/screenshots/;
// at 360 px nothing scrolls sideways (tables become stacked cards). And the account-security
// journey: TOTP set-up with a code computed here, two-step sign-in, a recovery code once, the
// live strength meter, a password change that signs out the other browser.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { authenticator } from 'otplib';
import type { TestProvider } from '../support/provider';
import { launchBrowser, screenshot, signInWithForm, watchConsole } from './support/browser';
import { APP_CB, RC, authorizeUrl, check, noSidewaysScroll, signedInPages, startPagesProvider, type PagesFixture } from './support/pages';

let p: TestProvider;
let browser: Browser;
let fixture: PagesFixture;
let chat: { client_id: string };
let app: { client_id: string };

beforeAll(async () => {
  [fixture, browser] = await Promise.all([startPagesProvider(), launchBrowser()]);
  ({ p, chat, app } = fixture);
});
afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

async function context(width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  const c = await browser.newContext({ baseURL: p.baseUrl, viewport: { width, height: 900 }, deviceScaleFactor: 1, colorScheme });
  c.setDefaultTimeout(15000);
  return c;
}

test('axe, screenshots and no sideways scrolling: login, consent, account pages, two-factor set-up, admin console at 1280 and 360 px', async () => {
  for (const width of [1280, 360]) {
    const ctx = await context(width);
    const page = await ctx.newPage();
    const problems = watchConsole(page);
    await page.goto(authorizeUrl(app.client_id, APP_CB));
    await check(page, `pages-login-${width}`);
    await signInWithForm(page, 'root', 'admin password');
    await page.getByRole('heading', { name: /Allow .* to use your account\?/ }).waitFor();
    await check(page, `pages-consent-${width}`);
    await noSidewaysScroll(page, `consent-${width}`);
    for (const [path, name] of signedInPages(fixture)) {
      await page.goto(path);
      // Every page at both widths: axe (layout changes what it finds) and no sideways scrolling.
      await check(page, `pages-${name}-${width}`);
      await noSidewaysScroll(page, `${name}-${width}`);
    }
    // At 360 px the clients table is a stack of cards: each cell labelled, one card per client.
    if (width === 360) {
      await page.goto('/admin/clients/');
      expect(await page.locator('table.cards thead').evaluate((e) => getComputedStyle(e).position)).toBe('absolute');
      expect(await page.locator('table.cards tbody tr').first().evaluate((e) => getComputedStyle(e).display)).toBe('block');
    }
    expect(problems).toEqual([]);
    await ctx.close();
  }
});

test('dark mode (prefers-color-scheme): dark background, readable, no serious axe findings', async () => {
  const ctx = await context(1280, 'dark');
  const page = await ctx.newPage();
  await page.goto('/accounts/login/');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(20, 23, 27)');
  await check(page, 'pages-login-dark-1280');
  await signInWithForm(page, 'alice', 'correct horse battery');
  await page.goto('/accounts/two-factor/');
  await check(page, 'pages-two-factor-dark-1280');
  await ctx.close();
  const phone = await context(360, 'dark');
  const small = await phone.newPage();
  await small.goto('/accounts/login/');
  await check(small, 'pages-login-dark-360');
  await signInWithForm(small, 'alice', 'correct horse battery');
  for (const [path, name] of [['/accounts/two-factor/', 'two-factor'], ['/accounts/profile/', 'account'], ['/accounts/sessions/', 'sessions']] as const) {
    await small.goto(path);
    await check(small, `pages-${name}-dark-360`);
    await noSidewaysScroll(small, `${name}-dark-360`);
  }
  await phone.close();
});

test('keyboard only: sign in and allow with Tab, typing and Enter; the Rocket.Chat app line is read out', async () => {
  const ctx = await context(1280);
  const page = await ctx.newPage();
  await page.goto(authorizeUrl(chat.client_id, RC));
  // The username field has focus on arrival; Tab moves to the password, Enter submits.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('username');
  await page.keyboard.type('alice');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
  await page.keyboard.type('correct horse battery');
  await Promise.all([page.waitForURL(/\/o\/authorize\//), page.keyboard.press('Enter')]);
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  // Tab through the page until Allow has focus (skip link, header, Switch account, links…).
  let focused = '';
  for (let i = 0; i < 25 && focused !== 'Allow'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
    // Every stop shows a visible focus ring.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect([focused, outline]).toEqual([focused, 'solid']);
  }
  expect(focused).toBe('Allow');
  const [request] = await Promise.all([page.waitForRequest((r) => r.url().startsWith('http://127.0.0.1:9/_oauth/hrm')), page.keyboard.press('Enter')]);
  expect(new URL(request.url()).searchParams.get('state')).toBe('st');
  expect(new URL(request.url()).searchParams.get('code')).toBeTruthy();

  // The app client's consent says what it links, in text a screen reader reaches.
  const second = await ctx.newPage();
  await second.goto(authorizeUrl(app.client_id, APP_CB));
  await expect(second.locator('#rocketchat-link').innerText()).resolves.toContain('This links your Rocket.Chat account to your HRM account alice.');
  await ctx.close();
});

const codeAt = (secret: string, ms: number) => authenticator.clone({ epoch: ms }).generate(secret);

async function signOut(page: Page) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign out' }).click()]);
}

async function enterCode(page: Page, code: string) {
  await page.getByLabel('Code', { exact: true }).fill(code);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Verify and sign in' }).click()]);
}

test('account security journey: set up TOTP, sign in with a code, a recovery code works once, password change signs out the other browser', async () => {
  const ctx = await context(1280);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await page.goto('/accounts/login/');
  await signInWithForm(page, 'tom', 'tom first password');
  await page.getByRole('link', { name: 'Two-factor sign-in' }).click();
  await page.getByRole('link', { name: 'Set up two-factor sign-in' }).click();
  expect(await page.getByRole('img', { name: /QR code for your authenticator app/ }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  const secret = (await page.locator('#manual-key').innerText()).replace(/\s+/g, '');
  const enrolledAt = Date.now();
  await page.getByLabel('Enter the 6-digit code the app shows').fill(codeAt(secret, enrolledAt));
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click()]);
  await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
  const codes = (await page.locator('#recovery-codes code').allInnerTexts()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await check(page, 'pages-recovery-codes-1280');
  await page.getByRole('link', { name: /I have saved them/ }).click();
  await expect(page.locator('main').innerText()).resolves.toContain('10 recovery codes left.');

  // Two-step sign-in: password, then a wrong code (clear message), then the app's next code.
  await signOut(page);
  await page.goto('/accounts/login/');
  await signInWithForm(page, 'tom', 'tom first password');
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await check(page, 'pages-login-two-factor-1280');
  await enterCode(page, '123456');
  await expect(page.getByRole('alert').innerText()).resolves.toContain('That code is not right.');
  await enterCode(page, codeAt(secret, enrolledAt + 30_000));
  await page.getByRole('heading', { name: 'Your account' }).waitFor();

  // A recovery code signs in once; the same code again does not.
  await signOut(page);
  await page.goto('/accounts/login/');
  await signInWithForm(page, 'tom', 'tom first password');
  await enterCode(page, codes[0]);
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  await signOut(page);
  await page.goto('/accounts/login/');
  await signInWithForm(page, 'tom', 'tom first password');
  await enterCode(page, codes[0]);
  await expect(page.getByRole('alert').innerText()).resolves.toContain('That code is not right.');
  await enterCode(page, codes[1]);
  await page.getByRole('heading', { name: 'Your account' }).waitFor();

  // A second browser signed in as Tom.
  const other = await context(360);
  const phone = await other.newPage();
  await phone.goto('/accounts/login/');
  await signInWithForm(phone, 'tom', 'tom first password');
  await enterCode(phone, codes[2]);
  await phone.getByRole('heading', { name: 'Your account' }).waitFor();

  // The strength meter follows typing; a strong password is accepted and the phone is signed out.
  await page.getByRole('link', { name: 'Password' }).click();
  await page.getByLabel('New password', { exact: true }).pressSequentially('password1', { delay: 5 });
  await page.waitForFunction(() => /^Strength: (Very weak|Weak) — not enough yet/.test(document.getElementById('strength-label')?.textContent ?? ''));
  expect(await page.locator('#strength-feedback li').count()).toBeGreaterThan(0);
  const strong = 'quiet lantern orbit 4417 meadow';
  await page.getByLabel('New password', { exact: true }).fill('');
  await page.getByLabel('New password', { exact: true }).pressSequentially(strong, { delay: 2 });
  await page.waitForFunction(() => /— good enough\.$/.test(document.getElementById('strength-label')?.textContent ?? ''));
  expect(await page.locator('#strength-meter').getAttribute('value')).toMatch(/^[34]$/);
  await screenshot(page, 'pages-password-meter-1280');
  await page.getByLabel('Current password').fill('tom first password');
  await page.getByLabel('New password again').fill(strong);
  expect(await page.getByLabel('Sign out everywhere else').isChecked()).toBe(true);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Change password' }).click()]);
  await expect(page.getByRole('status').first().innerText()).resolves.toContain('Your password was changed.');
  await phone.goto('/accounts/profile/');
  await phone.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(problems).toEqual([]);
  await other.close();

  // The admin's audit log tells the story in sentences, the JSON one click away.
  const adminCtx = await context(1280);
  const adminPage = await adminCtx.newPage();
  await adminPage.goto('/admin/audit/');
  await signInWithForm(adminPage, 'root', 'admin password');
  const rows = adminPage.locator('tbody tr');
  await expect(rows.filter({ hasText: 'tom changed their password and signed out everywhere else' }).count()).resolves.toBe(1);
  await expect(rows.filter({ hasText: 'tom signed in with a recovery code (9 left)' }).count()).resolves.toBe(1);
  await expect(rows.filter({ hasText: 'tom turned on two-factor sign-in' }).count()).resolves.toBe(1);
  await adminPage.getByText('Details').first().click();
  await check(adminPage, 'pages-admin-audit-filled-1280');
  await adminCtx.close();
  // The filled audit log and the tokens list on a phone, light and dark: readable, nothing sideways.
  for (const scheme of ['light', 'dark'] as const) {
    const phoneAdminCtx = await context(360, scheme);
    const phoneAdmin = await phoneAdminCtx.newPage();
    await phoneAdmin.goto('/admin/audit/');
    await signInWithForm(phoneAdmin, 'root', 'admin password');
    await phoneAdmin.locator('summary', { hasText: 'Details' }).first().click();
    await check(phoneAdmin, `pages-admin-audit-filled-360-${scheme}`);
    await noSidewaysScroll(phoneAdmin, `admin-audit-filled-360-${scheme}`);
    for (const [path, name] of [['/admin/tokens/', 'admin-tokens'], ['/admin/', 'admin-overview'], ['/admin/clients/new', 'admin-new-client'], [`/admin/clients/${chat.client_id}/connect`, 'admin-connect']] as const) {
      await phoneAdmin.goto(path);
      await check(phoneAdmin, `pages-${name}-360-${scheme}`);
      await noSidewaysScroll(phoneAdmin, `${name}-360-${scheme}`);
    }
    await phoneAdminCtx.close();
  }
  await ctx.close();
});
