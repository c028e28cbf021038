// Invitations in Chromium, mailed through a real SMTP server on 127.0.0.1 (smtp-server, read with
// mailparser), with TWO_FACTOR_REQUIRED=admins:
// - an administrator creates a user on the admin form with "Invite" → the mail arrives (plain text
//   and HTML, branding, absolute link) → the link, opened in another browser, sets the password
//   with the live strength meter → signed in → sign out → sign in with the new password;
// - an invited administrator is sent straight from "set your password" into two-factor enrolment;
// - axe finds no serious violation on the forgot-password and set-password pages.
import type { Browser, Page } from 'playwright-core';
import { authenticator } from 'otplib';
import { startTestProvider, type TestProvider } from '../support/provider';
import { launchBrowser, newContext, screenshot, signInWithForm, watchConsole } from '../browser/support/browser';
import { seriousViolations } from '../browser/support/axe';
import { newTotpSecret, totpCode } from '../../provider/src/kernel/security/totp';
import { inviteUser } from '../../provider/src/domain/accounts/invitations';
import { SmtpReceiver, linkIn } from './smtp-receiver';

let p: TestProvider;
let browser: Browser;
let smtp: SmtpReceiver;
const ROOT_SECRET = newTotpSecret();
const totp = authenticator.clone({ step: 30, digits: 6 });

beforeAll(async () => {
  smtp = await new SmtpReceiver().start();
  [p, browser] = await Promise.all([
    startTestProvider({
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Acme Sign-in <sso@acme.test>',
        MAIL_POLL_SECONDS: '1',
        ORGANIZATION_NAME: 'Acme Corp',
        SUPPORT_CONTACT: 'it-help@acme.test',
        ACCENT_COLOR: '#0f766e',
        TWO_FACTOR_REQUIRED: 'admins',
      },
    }),
    launchBrowser(),
  ]);
  const root = await p.createUser({ username: 'root', email: 'root@acme.test', name: 'Ada Admin', password: 'admin password', admin: true });
  // The administrator already uses two-factor sign-in (required for admins here).
  await p.running.services.twoFactor.enable(root.id, ROOT_SECRET, 0);
});
afterAll(async () => {
  await browser?.close();
  await p?.stop();
  await smtp?.stop();
});

async function axeClean(page: Page, name: string) {
  expect([name, await seriousViolations(page)]).toEqual([name, []]);
  await screenshot(page, name);
}

async function setPassword(page: Page, password: string) {
  await page.getByLabel('New password', { exact: true }).fill(password);
  // The live meter scores as the person types (zxcvbn in the page).
  await page.waitForFunction(() => Number((document.getElementById('strength-meter') as HTMLMeterElement).value) >= 3);
  await page.getByLabel('New password again').fill(password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: /Set password and sign in|Change password/ }).click()]);
}

test('admin form → invitation mail → set password in another browser → signed in → sign in again', async () => {
  const adminCtx = await newContext(browser, p.baseUrl);
  const admin = await adminCtx.newPage();
  const problems = watchConsole(admin);
  await admin.goto('/admin/users/new');
  await signInWithForm(admin, 'root', 'admin password');
  await admin.getByLabel('Code', { exact: true }).fill(totpCode(ROOT_SECRET));
  await Promise.all([admin.waitForLoadState('load'), admin.getByRole('button', { name: 'Verify and sign in' }).click()]);
  await admin.goto('/admin/users/new');
  await admin.getByLabel('Username').fill('grace');
  await admin.getByLabel('Email').fill('grace@acme.test');
  await admin.getByLabel('Full name').fill('Grace Hopper');
  await admin.getByLabel('Invite them to choose their own password').check();
  await Promise.all([admin.waitForLoadState('load'), admin.getByRole('button', { name: 'Create user' }).click()]);
  expect(await admin.content()).toContain('The invitation mail is queued');

  const mail = await smtp.waitFor((m) => m.envelopeTo.includes('grace@acme.test'));
  expect(mail.parsed.subject).toBe('Set your password for HRM Sign-in');
  expect(mail.parsed.to && 'value' in mail.parsed.to ? mail.parsed.to.value[0] : undefined).toEqual({ address: 'grace@acme.test', name: 'Grace Hopper' });
  expect(mail.parsed.text).toContain('Your username is grace.');
  expect(mail.parsed.html).toContain('#0f766e');
  expect(mail.parsed.html).toContain('Acme Corp');
  const link = linkIn(mail, '/accounts/password/set/');
  expect(link.startsWith(`${p.baseUrl}/accounts/password/set/?token=`)).toBe(true);

  // The invited person, in their own browser.
  const ctx = await newContext(browser, p.baseUrl);
  const page = await ctx.newPage();
  const theirProblems = watchConsole(page);
  const answer = await page.goto(link);
  if (answer?.status() !== 200) throw new Error(`${answer?.status()} ${link}\n${(await page.content()).slice(0, 3000)}`);
  await expect(page.locator('#link-username').textContent()).resolves.toBe('grace');
  await axeClean(page, 'mail-set-password');
  await setPassword(page, 'violet lantern orchard 19');
  expect(new URL(page.url()).pathname).toBe('/accounts/profile/');
  expect(await page.content()).toContain('Grace Hopper');

  // Sign out, then in with the new password; the link is spent.
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign out' }).click()]);
  await page.goto('/accounts/login/');
  await signInWithForm(page, 'grace', 'violet lantern orchard 19');
  expect(new URL(page.url()).pathname).toBe('/accounts/profile/');
  await page.goto(link);
  expect(await page.locator('#link-problem').textContent()).toContain('already used');
  expect([...problems, ...theirProblems]).toEqual([]);
  await adminCtx.close();
  await ctx.close();
});

test('an invited administrator goes from "set your password" straight into two-factor enrolment', async () => {
  const { services } = p.running;
  const user = await services.users.create({ username: 'hedy', email: 'hedy@acme.test', name: 'Hedy Lamarr', admin: true });
  const invite = await inviteUser(services, user, { by: 'test' });
  expect(invite).toMatchObject({ queued: true });
  expect(invite.link).toBeUndefined();
  const mail = await smtp.waitFor((m) => m.envelopeTo.includes('hedy@acme.test'));
  const ctx = await newContext(browser, p.baseUrl);
  const page = await ctx.newPage();
  await page.goto(linkIn(mail, '/accounts/password/set/'));
  await setPassword(page, 'copper kettle meadow 77');
  expect(new URL(page.url()).pathname).toBe('/accounts/two-factor/setup/');
  const secret = (await page.locator('#manual-key').textContent())!.replace(/\s+/g, '');
  await page.getByLabel('Enter the 6-digit code the app shows').fill(totp.generate(secret));
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click()]);
  expect(await page.locator('#recovery-codes li').count()).toBe(10);
  await ctx.close();
});

test('forgot-password page in Chromium: axe-clean, and the same answer for anyone', async () => {
  const ctx = await newContext(browser, p.baseUrl);
  const page = await ctx.newPage();
  await page.goto('/accounts/login/');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Forgot password?' }).click()]);
  await axeClean(page, 'mail-forgot-password');
  await page.getByLabel('Username or e-mail address').fill('nobody@acme.test');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Send me a link' }).click()]);
  expect(await page.locator('#reset-sent').textContent()).toContain('If an account with that username or e-mail address exists');
  await axeClean(page, 'mail-reset-sent');
  await ctx.close();
});

test('at 360 px (a phone): the forgot-password and set-password pages are axe-clean and never scroll sideways', async () => {
  const { services } = p.running;
  const user = await services.users.create({ username: 'ida', email: 'ida@acme.test', name: 'Ida B. Wells' });
  await inviteUser(services, user, { by: 'test' });
  const link = linkIn(await smtp.waitFor((m) => m.envelopeTo.includes('ida@acme.test')), '/accounts/password/set/');
  const ctx = await newContext(browser, p.baseUrl, { mobile: true });
  const page = await ctx.newPage();
  for (const [url, name] of [['/accounts/password/reset/', 'mail-forgot-password-360'], [link, 'mail-set-password-360']]) {
    await page.goto(url);
    await axeClean(page, name);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect([name, overflow]).toEqual([name, 0]);
  }
  await ctx.close();
});

