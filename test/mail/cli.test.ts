// The mail commands through the real CLI (compiled bin, child process) against the database of a
// running provider, with a real SMTP server on 127.0.0.1:
// - `user create --invite` / `user invite` / `user invite-links` without SMTP: the link is printed
//   once and works in the provider; a newer link replaces the older one;
// - with SMTP: the invitation is queued by the CLI and delivered by the provider's worker;
// - `mail test --to` sends at once, and says clearly when it cannot (no SMTP_URL, bad address, SMTP down);
// - `mail queue` lists what went out.
import { startTestProvider, type TestProvider } from '../support/provider';
import { expectOneLineError, runCli, runJson } from '../cli/run-cli';
import { SmtpReceiver, eventually, linkIn } from './smtp-receiver';

let p: TestProvider;
let smtp: SmtpReceiver;
let env: Record<string, string>;
let mailEnv: Record<string, string>;

beforeAll(async () => {
  smtp = await new SmtpReceiver().start();
  mailEnv = { SMTP_URL: smtp.url, MAIL_FROM: 'Sign-in <sso@example.test>' };
  p = await startTestProvider({ env: { ...mailEnv, MAIL_POLL_SECONDS: '1' } });
  env = { MONGO_URL: p.mongoUrl, MONGO_DB: 'hrm_test', ISSUER: p.baseUrl };
});
afterAll(async () => {
  await p?.stop();
  await smtp?.stop();
});

const setPasswordLink = (text: string) => /(http:\/\/\S+\/accounts\/password\/set\/\?token=\S+)/.exec(text)?.[1];

test('without SMTP: user create --invite prints a one-time link that works; user invite replaces it', async () => {
  const r = await runCli(['user', 'create', '--username', 'kim', '--email', 'kim@example.test', '--name', 'Kim Lee', '--invite'], { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Created user kim \(id [0-9a-f-]{36}\)\.\nSMTP is not set up \(SMTP_URL\), so give kim this one-time link yourself/);
  const first = setPasswordLink(r.stdout)!;
  expect(first.startsWith(`${p.baseUrl}/accounts/password/set/?token=`)).toBe(true);
  expect((await fetch(first)).status).toBe(200);
  const stored = await p.db.users.findOne({ username: 'kim' });
  expect(stored?.passwordHash ?? undefined).toBeUndefined();
  // Only a digest is stored.
  const token = new URL(first).searchParams.get('token')!;
  expect(JSON.stringify(await p.db.accountLinks.find({}).toArray())).not.toContain(token);

  const again = await runJson(['user', 'invite', 'kim'], { env });
  expect(again).toMatchObject({ username: 'kim', mailed: false });
  expect((await fetch(first)).status).toBe(404);
  expect((await fetch(again.link)).status).toBe(200);
  expect(await p.db.audit.countDocuments({ action: 'user.invite', target: 'kim', actor: 'cli' })).toBe(2);
});

test('user invite-links: a fresh link for every active account without a password; none for others', async () => {
  await p.createUser({ username: 'lou', email: 'lou@example.test', name: 'Lou', password: 'lou password' });
  await p.running.services.users.create({ username: 'max', email: 'max@example.test', name: 'Max' });
  await p.running.services.users.create({ username: 'ned', email: 'ned@example.test', name: 'Ned' });
  await p.running.services.users.setActive('ned', false);
  const rows = await runJson<Array<{ username: string; link: string; mailed: boolean }>>(['user', 'invite-links'], { env });
  expect(rows.map((r) => r.username).sort()).toEqual(['kim', 'max']);
  for (const row of rows) {
    expect(row.mailed).toBe(false);
    expect((await fetch(row.link)).status).toBe(200);
  }
  const human = await runCli(['user', 'invite-links'], { env });
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(/^kim\thttp:\/\/\S+\nmax\thttp:\/\/\S+\n2 one-time link\(s\) above/);
  // Earlier links of these users no longer work.
  for (const row of rows) expect((await fetch(row.link)).status).toBe(404);
});

test('user invite refuses accounts that have a password or are deactivated, in one sentence', async () => {
  expectOneLineError(await runCli(['user', 'invite', 'lou'], { env }), /lou already has a password/);
  expectOneLineError(await runCli(['user', 'invite', 'ned'], { env }), /ned is deactivated/);
  expectOneLineError(await runCli(['user', 'invite', 'nobody'], { env }), /No user named "nobody"/);
  expectOneLineError(await runCli(['user', 'create', '--username', 'oz', '--email', 'oz@example.test', '--name', 'Oz', '--invite', '--password-stdin'], { env, input: 'x\n' }), /--invite and --password-stdin/);
});

test('with SMTP: the CLI queues the invitation and the provider’s worker delivers it', async () => {
  const r = await runCli(['user', 'create', '--username', 'pia', '--email', 'pia@example.test', '--name', 'Pia Ruiz', '--invite'], { env: { ...env, ...mailEnv } });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Invitation mailed to pia@example.test \(link valid once, until/);
  expect(r.stdout).not.toContain('token=');
  const mail = await smtp.waitFor((m) => m.envelopeTo.includes('pia@example.test'));
  expect((await fetch(linkIn(mail, '/accounts/password/set/'))).status).toBe(200);
  // Recorded as sent right after the server's answer; then `mail queue` shows it.
  await eventually(async () => ((await p.db.mailOutbox.findOne({ 'to.address': 'pia@example.test', state: 'sent' })) ? true : undefined), 5000, 'state sent');
  const queue = await runJson<Array<{ kind: string; to: string; state: string }>>(['mail', 'queue'], { env });
  expect(queue).toContainEqual(expect.objectContaining({ kind: 'invitation', to: 'pia@example.test', state: 'sent' }));
});

test('mail test --to sends at once; clear errors without SMTP_URL, for a bad address and with SMTP down', async () => {
  const ok = await runCli(['mail', 'test', '--to', 'admin@example.test'], { env: { ...env, ...mailEnv } });
  expect(ok.stderr).toBe('');
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(/^Test mail to admin@example.test accepted by smtp:\/\/127\.0\.0\.1:\d+ \(STARTTLS when offered \(loopback\)\): 250/);
  const mail = await smtp.waitFor((m) => m.envelopeTo.includes('admin@example.test'));
  expect(mail.parsed.subject).toBe('HRM Sign-in: test mail');
  expect(mail.parsed.html).toContain('<html');

  expectOneLineError(await runCli(['mail', 'test', '--to', 'admin@example.test'], { env }), /SMTP_URL is not set/);
  expectOneLineError(await runCli(['mail', 'test', '--to', 'a@example.test\r\nBcc: b@example.test'], { env: { ...env, ...mailEnv } }), /is not one plain e-mail address/);
  expectOneLineError(await runCli(['mail', 'test', '--to', 'a@example.test'], { env: { ...env, SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'sso@example.test' } }), /Sending through smtp:\/\/127\.0\.0\.1:9 .* failed: .*ECONNREFUSED/);
  expectOneLineError(await runCli(['mail', 'test', '--to', 'a@example.test'], { env: { ...env, SMTP_URL: 'smtp://127.0.0.1:9' } }), /MAIL_FROM is required when SMTP_URL is set/);
  // Off loopback, plain SMTP is refused unless the URL says so (no network needed to see it).
  expectOneLineError(await runCli(['mail', 'test', '--to', 'a@example.test'], { env: { ...env, SMTP_URL: 'smtp://relay.example.test/?tls=off', MAIL_FROM: 'sso@example.test' } }), /unknown options tls/);
});
