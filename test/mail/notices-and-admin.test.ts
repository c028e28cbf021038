// Security notices and the admin console's invitations, over real HTTP against real providers
// (FerretDB) and a real SMTP server on 127.0.0.1:
// - MAIL_NOTICES picks the notices: here password changes and two-factor turned off are mailed,
//   two-factor turned on is not; an administrator's reset says so;
// - without SMTP, the admin form's invitation shows the link once (and only once), and inviting an
//   account that has a password is refused with a clear page.
import { authenticator } from 'otplib';
import { startTestProvider, type TestProvider } from '../support/provider';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { HttpSession, hiddenFields, signIn, submitForm, textOf } from '../web/support';
import { SmtpReceiver } from './smtp-receiver';

let database: TestDatabase;
let p: TestProvider;
let noMail: TestProvider;
let smtp: SmtpReceiver;
const totp = authenticator.clone({ step: 30, digits: 6 });
const STRONG = 'quiet harbour lamp 2041';

beforeAll(async () => {
  [smtp, database] = await Promise.all([new SmtpReceiver().start(), startTestDatabase()]);
  p = await startTestProvider({ database, env: { SMTP_URL: smtp.url, MAIL_FROM: 'sso@example.test', MAIL_NOTICES: 'password_changed,two_factor_disabled' } });
  noMail = await startTestProvider({ database, env: { MONGO_DB: 'hrm_nomail' } });
  await p.createUser({ username: 'root', email: 'root@example.test', name: 'Root Admin', password: 'admin password', admin: true });
  await p.createUser({ username: 'rae', email: 'rae@example.test', name: 'Rae Dunn', password: 'rae old password' });
  await noMail.createUser({ username: 'root', email: 'root@example.test', name: 'Root Admin', password: 'admin password', admin: true });
  await noMail.createUser({ username: 'sol', email: 'sol@example.test', name: 'Sol', password: 'sol password' });
});
afterAll(async () => {
  await p?.stop();
  await noMail?.stop();
  await database?.stop();
  await smtp?.stop();
});

const subjects = (address: string) => smtp.to(address).map((m) => m.parsed.subject);

test('notices follow MAIL_NOTICES: password change and two-factor off are mailed, two-factor on is not', async () => {
  const rae = await signIn(p.baseUrl, 'rae', 'rae old password');
  // Two-factor on: not in MAIL_NOTICES.
  const setup = await (await rae.request(`${p.baseUrl}/accounts/two-factor/setup/`)).text();
  const secret = textOf(setup, 'manual-key')!.replace(/\s+/g, '');
  const on = await rae.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...hiddenFields(setup, '/accounts/two-factor/setup/'), code: totp.generate(secret) } });
  expect(on.status).toBe(200);
  const recovery = /\b([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})\b/.exec(await on.text())![1];

  // Password change (self, other sessions kept): mailed, and says nothing about signing others out.
  const { res } = await submitForm(rae, p.baseUrl, '/accounts/password/', '/accounts/password/', { current_password: 'rae old password', new_password: STRONG, confirm_password: STRONG });
  expect(res.status).toBe(303);
  const changed = await smtp.waitFor((m) => m.envelopeTo.includes('rae@example.test') && /password was changed/.test(m.parsed.subject ?? ''));
  expect(changed.parsed.text).toMatch(/The password of your account rae was changed on \d{4}-\d\d-\d\d \d\d:\d\d UTC\.\n/);
  expect(changed.parsed.text).toContain('/accounts/security/');

  // Two-factor off by the owner (confirmed with a recovery code): mailed.
  const off = await submitForm(rae, p.baseUrl, '/accounts/two-factor/', '/accounts/two-factor/disable/', { code: recovery });
  expect(off.res.status).toBe(303);
  const disabled = await smtp.waitFor((m) => m.envelopeTo.includes('rae@example.test') && /turned off/.test(m.parsed.subject ?? ''));
  expect(disabled.parsed.text).toContain('Two-factor sign-in was turned off for your account rae');

  // An administrator's reset says who did it.
  const on2 = await (await rae.request(`${p.baseUrl}/accounts/two-factor/setup/`)).text();
  const secret2 = textOf(on2, 'manual-key')!.replace(/\s+/g, '');
  expect((await rae.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...hiddenFields(on2, '/accounts/two-factor/setup/'), code: totp.generate(secret2) } })).status).toBe(200);
  const admin = await signIn(p.baseUrl, 'root', 'admin password');
  const raeId = (await p.db.users.findOne({ username: 'rae' }))!._id;
  const reset = await submitForm(admin, p.baseUrl, `/admin/users/${raeId}/`, `/admin/users/${raeId}/reset-2fa`, {});
  expect(reset.res.status).toBe(303);
  const byAdmin = await smtp.waitFor((m) => m.envelopeTo.includes('rae@example.test') && /An administrator reset/.test(m.parsed.text ?? ''));
  expect(byAdmin.parsed.subject).toBe('Two-factor sign-in was turned off for rae');

  // Never a "turned on" mail (switched off by MAIL_NOTICES), and nothing to anyone else.
  expect(subjects('rae@example.test').filter((s) => /turned on/.test(s ?? ''))).toEqual([]);
  expect(smtp.mails.every((m) => m.envelopeTo.every((a) => a === 'rae@example.test'))).toBe(true);
});

test('without SMTP, the admin form invites with a link shown once; inviting an account with a password is refused', async () => {
  const admin = await signIn(noMail.baseUrl, 'root', 'admin password');
  const form = await (await admin.request(`${noMail.baseUrl}/admin/users/new`)).text();
  expect(form).toContain('Mail is not set up: you get a one-time link to give them.');
  const both = await admin.request(`${noMail.baseUrl}/admin/users/`, { form: { ...hiddenFields(form, '/admin/users/'), username: 'uma', email: 'uma@example.test', name: 'Uma', invite: 'on', password: 'some password' } });
  expect(both.status).toBe(400);
  expect(await both.text()).toContain('Either invite them or set a password, not both');

  const form2 = await (await admin.request(`${noMail.baseUrl}/admin/users/new`)).text();
  const created = await admin.request(`${noMail.baseUrl}/admin/users/`, { form: { ...hiddenFields(form2, '/admin/users/'), username: 'uma', email: 'uma@example.test', name: 'Uma', invite: 'on' } });
  expect(created.status).toBe(200);
  const html = await created.text();
  const link = /id="invite-link" readonly value="([^"]+)"/.exec(html)?.[1].replace(/&amp;/g, '&');
  expect(link).toMatch(new RegExp(`^${noMail.baseUrl}/accounts/password/set/\\?token=`));
  expect((await fetch(link!)).status).toBe(200);
  const umaId = (await noMail.db.users.findOne({ username: 'uma' }))!._id;
  // Shown once: the user page no longer has it.
  const later = await (await admin.request(`${noMail.baseUrl}/admin/users/${umaId}/`)).text();
  expect(later).not.toContain('id="invite-link"');
  expect(later).toContain('Make a new invitation link');
  // A new link replaces it.
  const again = await submitForm(admin, noMail.baseUrl, `/admin/users/${umaId}/`, `/admin/users/${umaId}/invite`, {});
  expect(again.res.status).toBe(200);
  expect((await fetch(link!)).status).toBe(404);
  expect(await noMail.db.audit.countDocuments({ action: 'user.invite', target: 'uma', actor: 'root' })).toBe(2);

  const solId = (await noMail.db.users.findOne({ username: 'sol' }))!._id;
  // Sol has a password: the page offers no invitation, and a crafted POST gets a clear refusal.
  const solPage = await (await admin.request(`${noMail.baseUrl}/admin/users/${solId}/`)).text();
  expect(solPage).not.toContain(`/admin/users/${solId}/invite`);
  const refused = await admin.request(`${noMail.baseUrl}/admin/users/${solId}/invite`, { form: hiddenFields(solPage, `/admin/users/${solId}/password`) });
  expect(refused.status).toBe(409);
  expect(await refused.text()).toContain('sol already has a password');
  expect(await noMail.db.accountLinks.countDocuments({ userId: solId })).toBe(0);
});
