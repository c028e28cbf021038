// "Forgot password?" over real HTTP against one real provider (FerretDB) that sends through a real
// SMTP server on 127.0.0.1 (smtp-server, mails read with mailparser):
// - the same answer for a known and an unknown account, a mail only for the known one;
// - the mailed link: absolute on ISSUER, single use, expires (clock moved, not waited), tampered or
//   missing tokens get a clear page; setting the password ends the other sessions and is audited;
// - 100 requests are rate limited; deactivated accounts get nothing;
// - SMTP down: the page answers at once, the mail stays queued and arrives when SMTP is back;
// - header injection in a display name reaches no header and no other recipient.
import { ManualClock } from '../../provider/src/kernel/clock';
import { startTestProvider, type TestProvider } from '../support/provider';
import { HttpSession, hiddenFields, signIn } from '../web/support';
import { SmtpReceiver, linkIn, eventually } from './smtp-receiver';
import { scaled } from '../support/timeouts';

let p: TestProvider;
let smtp: SmtpReceiver;
const clock = new ManualClock();
const STRONG = 'correct horse battery staple 42';

beforeAll(async () => {
  smtp = await new SmtpReceiver().start();
  p = await startTestProvider({
    clock,
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'HRM Sign-in <sso@example.test>',
      MAIL_RETRY_SECONDS: '1',
      MAIL_POLL_SECONDS: '1',
      PASSWORD_RESET_RATE_LIMIT: '3',
      PASSWORD_RESET_IP_RATE_LIMIT: '1000',
      // One window for the whole file: 100 requests never straddle a window boundary.
      RATE_LIMIT_WINDOW_SECONDS: '86400',
      ORGANIZATION_NAME: 'Acme Works',
      SUPPORT_CONTACT: 'help@acme.test',
    },
  });
  for (const name of ['ada', 'bob', 'cyd', 'dee', 'eve', 'fay', 'gus']) {
    await p.createUser({ username: name, email: `${name}@acme.test`, name: `${name.toUpperCase()} Person`, password: `${name} old password` });
  }
});
afterAll(async () => {
  await p?.stop();
  await smtp?.stop();
});

async function askReset(login: string, http = new HttpSession()) {
  const page = await (await http.request(`${p.baseUrl}/accounts/password/reset/`)).text();
  const started = Date.now();
  const res = await http.request(`${p.baseUrl}/accounts/password/reset/`, { form: { ...hiddenFields(page, '/accounts/password/reset/'), login } });
  return { res, html: await res.text(), ms: Date.now() - started };
}

async function resetLinkFor(address: string, after = 0): Promise<string> {
  const mail = await smtp.waitFor((m) => m.envelopeTo.includes(address) && /Reset your/.test(m.parsed.subject ?? '') && smtp.mails.indexOf(m) >= after);
  return linkIn(mail, '/accounts/password/set/');
}

/** Waits until /metrics shows a line matching `pattern`. */
async function metricMatches(pattern: RegExp): Promise<void> {
  let last = '';
  await eventually(async () => {
    last = await (await fetch(`${p.baseUrl}/metrics`)).text();
    return pattern.test(last) ? true : undefined;
  }, 5000, `metrics ${pattern}`).catch(() => {
    throw new Error(`no ${pattern} in /metrics:\n${last.split('\n').filter((l) => l.startsWith('hrm_sso_mail')).join('\n')}`);
  });
}

const withoutCsrf = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');

test('the login page links to "Forgot password?"', async () => {
  const html = await (await fetch(`${p.baseUrl}/accounts/login/`)).text();
  expect(html).toContain('href="/accounts/password/reset/"');
});

test('known and unknown accounts get the same page; only the known one gets a mail, with an absolute single-use link', async () => {
  const before = smtp.mails.length;
  const unknown = await askReset('nobody-here');
  const known = await askReset('ada');
  expect(unknown.res.status).toBe(200);
  expect(known.res.status).toBe(200);
  expect(withoutCsrf(known.html)).toBe(withoutCsrf(unknown.html));
  expect(known.html).toContain('If an account with that username or e-mail address exists');

  const link = await resetLinkFor('ada@acme.test', before);
  expect(link.startsWith(`${p.baseUrl}/accounts/password/set/?token=`)).toBe(true);
  const mail = smtp.to('ada@acme.test').at(-1)!;
  expect(mail.parsed.from?.value[0]).toEqual({ address: 'sso@example.test', name: 'HRM Sign-in' });
  expect(mail.parsed.text).toContain('ada');
  expect(mail.parsed.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
  expect(mail.parsed.html).toContain('Acme Works');
  expect(mail.parsed.html).toContain('help@acme.test');
  // Nothing for the unknown name was queued or sent.
  const outbox = await p.db.db.collection('mail_outbox').find({}).toArray();
  expect(outbox.every((m) => m.to.address !== 'nobody-here')).toBe(true);
  expect(smtp.mails.slice(before).map((m) => m.envelopeTo).flat()).toEqual(['ada@acme.test']);

  // A session signed in before the reset…
  const oldSession = await signIn(p.baseUrl, 'ada', 'ada old password');
  // …the link's page, a weak password refused, then a strong one.
  const http = new HttpSession();
  const page = await http.request(link);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('id="strength-meter"');
  const fields = hiddenFields(html, '/accounts/password/set/');
  const weak = await http.request(`${p.baseUrl}/accounts/password/set/`, { form: { ...fields, new_password: 'password1', confirm_password: 'password1' } });
  expect(weak.status).toBe(400);
  expect(await weak.text()).toContain('too easy to guess');
  const done = await http.request(`${p.baseUrl}/accounts/password/set/`, { form: { ...fields, new_password: STRONG, confirm_password: STRONG } });
  expect(done.status).toBe(200);
  expect(await done.text()).toContain('Your password was changed');

  // New password works, old one not; the old session is over; audited; a notice went out.
  await signIn(p.baseUrl, 'ada', STRONG);
  await expect(signIn(p.baseUrl, 'ada', 'ada old password')).rejects.toThrow(/401/);
  const profile = await oldSession.request(`${p.baseUrl}/accounts/profile/`);
  expect(profile.status).toBe(302);
  expect(await p.db.audit.countDocuments({ action: 'password.reset', target: 'ada' })).toBe(1);
  const notice = await smtp.waitFor((m) => m.envelopeTo.includes('ada@acme.test') && /password was changed/.test(m.parsed.subject ?? ''));
  expect(notice.parsed.text).toContain('with a password-reset link');

  // The same link again: a clear page, nothing changed.
  const again = await new HttpSession().request(link);
  expect(again.status).toBe(404);
  expect(await again.text()).toContain('already used');
});

test('by e-mail address too; tampered, missing and expired links get clear pages, never a 5xx', async () => {
  const before = smtp.mails.length;
  await askReset('BOB@acme.test');
  const link = await resetLinkFor('bob@acme.test', before);
  const token = new URL(link).searchParams.get('token')!;
  const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  for (const url of [`${p.baseUrl}/accounts/password/set/?token=${tampered}`, `${p.baseUrl}/accounts/password/set/`, `${p.baseUrl}/accounts/password/set/?token=`, `${p.baseUrl}/accounts/password/set/?token[$ne]=x`]) {
    const res = await fetch(url);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This link cannot be used');
  }
  // A forged POST without a valid link changes nothing.
  const http = new HttpSession();
  const page = await (await http.request(link)).text();
  const forged = await http.request(`${p.baseUrl}/accounts/password/set/`, { form: { ...hiddenFields(page, '/accounts/password/set/'), token: tampered, new_password: STRONG, confirm_password: STRONG } });
  expect(forged.status).toBe(404);
  await signIn(p.baseUrl, 'bob', 'bob old password');

  clock.advance(3601);
  const expired = await fetch(link);
  expect(expired.status).toBe(410);
  expect(await expired.text()).toContain('This link has expired');
  await signIn(p.baseUrl, 'bob', 'bob old password');
});

test('a newer link replaces the older one', async () => {
  const before = smtp.mails.length;
  await askReset('cyd');
  const first = await resetLinkFor('cyd@acme.test', before);
  const mid = smtp.mails.length;
  await askReset('cyd');
  const second = await resetLinkFor('cyd@acme.test', mid);
  expect(second).not.toBe(first);
  expect((await fetch(first)).status).toBe(404);
  expect((await fetch(second)).status).toBe(200);
});

test('100 requests for one account: rate limited, at most PASSWORD_RESET_RATE_LIMIT mails', async () => {
  const before = smtp.mails.length;
  const http = new HttpSession();
  const page = await (await http.request(`${p.baseUrl}/accounts/password/reset/`)).text();
  const fields = hiddenFields(page, '/accounts/password/reset/');
  const statuses: number[] = [];
  for (let i = 0; i < 100; i++) {
    const res = await http.request(`${p.baseUrl}/accounts/password/reset/`, { form: { ...fields, login: 'dee' } });
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  expect(statuses.filter((s) => s === 429)).toHaveLength(97);
  expect(statuses.every((s) => s < 500)).toBe(true);
  await eventually(async () => ((await p.db.db.collection('mail_outbox').countDocuments({ 'to.address': 'dee@acme.test', state: 'sent' })) === 3 ? true : undefined), 10000, '3 mails to dee');
  expect(smtp.mails.slice(before).filter((m) => m.envelopeTo.includes('dee@acme.test'))).toHaveLength(3);
  // Typing the address instead of the username is still the same account: no fourth mail.
  const viaAddress = await askReset('dee@acme.test');
  expect(viaAddress.res.status).toBe(200);
  await eventually(() => (p.logs.entries().some((l) => l.event === 'password_reset_rate_limited' && l.limitedBy === 'account') ? true : undefined), 5000, 'the per-account limit');
  expect(await p.db.mailOutbox.countDocuments({ 'to.address': 'dee@acme.test' })).toBe(3);
});

test('a deactivated account gets no mail', async () => {
  await p.running.services.users.setActive('eve', false);
  const notFound = () => p.logs.entries().filter((l) => l.event === 'password_reset_requested' && l.found === false).length;
  const seen = notFound();
  const { res } = await askReset('eve');
  expect(res.status).toBe(200);
  // A known account asked right after is mailed; by then eve's request was handled too.
  const before = smtp.mails.length;
  await askReset('fay');
  await resetLinkFor('fay@acme.test', before);
  await eventually(() => (notFound() === seen + 1 ? true : undefined), 5000, 'eve handled');
  expect(smtp.to('eve@acme.test')).toHaveLength(0);
});

test('SMTP down: the page answers at once, the mail is queued, retried and delivered when SMTP is back', async () => {
  const port = smtp.port;
  await smtp.stop();
  const { res, ms } = await askReset('gus');
  expect(res.status).toBe(200);
  // The SMTP timeout is 30 s: an answer within about a second means nobody waited for SMTP.
  expect(ms).toBeLessThan(scaled(1500));
  const outbox = p.db.db.collection('mail_outbox');
  const failed = await eventually(async () => (await outbox.findOne({ 'to.address': 'gus@acme.test', attempts: { $gte: 1 }, lastError: { $exists: true } })) ?? undefined, 10000, 'a failed attempt');
  expect(failed.state).toBe('queued');
  expect(failed.lastError).toMatch(/ECONNREFUSED|ESOCKET|connect/i);
  // An SMTP server that greets, then hangs up: still queued, not lost.
  await smtp.startDropping(port);
  await eventually(async () => ((await outbox.findOne({ _id: failed._id }))!.attempts >= failed.attempts + 1 ? true : undefined), 10000, 'an attempt against the dropping server');
  expect((await outbox.findOne({ _id: failed._id }))!.state).toBe('queued');
  await smtp.stop();
  await smtp.start(port);
  const mail = await smtp.waitFor((m) => m.envelopeTo.includes('gus@acme.test'), 15000);
  expect(mail.parsed.subject).toMatch(/Reset your/);
  // Recorded as sent right after the server's answer.
  await eventually(async () => ((await outbox.findOne({ _id: failed._id }))!.state === 'sent' ? true : undefined), 5000, 'state sent');
  // The counters move right after the queue records the outcome.
  await metricMatches(/hrm_sso_mail_sent_total\{kind="password_reset"\} [1-9]/);
  await metricMatches(/hrm_sso_mail_failures_total\{kind="password_reset",outcome="will_retry"\} [1-9]/);
  // Readiness never depended on SMTP.
  expect((await fetch(`${p.baseUrl}/readyz`)).status).toBe(200);
});

test('a recipient the SMTP server refuses (550) is given up at once, not retried', async () => {
  smtp.rejectRecipients = /^bounce@/;
  try {
    await p.createUser({ username: 'bounce', email: 'bounce@acme.test', name: 'Bounce', password: 'bounce old password' });
    await askReset('bounce');
    const outbox = p.db.mailOutbox;
    const failed = await eventually(async () => (await outbox.findOne({ 'to.address': 'bounce@acme.test', state: 'failed' })) ?? undefined, 10000, 'the mail given up');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/550/);
    await metricMatches(/hrm_sso_mail_failures_total\{kind="password_reset",outcome="gave_up"\} 1\n/);
  } finally {
    smtp.rejectRecipients = undefined;
  }
});

test('a display name with CR/LF and a Bcc line reaches no header and no other recipient; a Unicode domain is mailed', async () => {
  const { users } = p.running.services;
  const u = await users.create({ username: 'hal', email: 'hal@acme.test', name: 'Hal', password: 'hal old password' });
  await p.db.users.updateOne({ _id: u._id }, { $set: { name: 'Hal\r\nBcc: thief@evil.test\r\nSubject: pwned' } });
  const before = smtp.mails.length;
  await askReset('hal');
  const mail = await smtp.waitFor((m) => m.envelopeTo.includes('hal@acme.test') && smtp.mails.indexOf(m) >= before);
  expect(mail.envelopeTo).toEqual(['hal@acme.test']);
  expect(mail.parsed.headers.get('bcc')).toBeUndefined();
  expect(mail.parsed.subject).toMatch(/^Reset your/);
  const headerBlock = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/));
  expect(headerBlock).not.toMatch(/^(Bcc|Subject: pwned)/im);
  expect(mail.parsed.text).toContain('Hello Hal Bcc: thief@evil.test Subject: pwned,');
  expect(smtp.mails.some((m) => m.envelopeTo.includes('thief@evil.test'))).toBe(false);

  const v = await users.create({ username: 'ina', email: 'ina@acme.test', name: 'Ina', password: 'ina old password' });
  await p.db.users.updateOne({ _id: v._id }, { $set: { email: 'ina@bücher.test' } });
  await askReset('ina');
  const idn = await smtp.waitFor((m) => m.envelopeTo.some((a) => a.startsWith('ina@')));
  // SMTPUTF8 when the server offers it (smtp-server does), else the punycode domain.
  expect(['ina@bücher.test', 'ina@xn--bcher-kva.test']).toContain(idn.envelopeTo[0]);
  expect(idn.envelopeTo).toHaveLength(1);
});
