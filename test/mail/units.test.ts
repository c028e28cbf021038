// The mail building blocks without a server: SMTP_URL → transport options (STARTTLS required off
// loopback), secrets never shown, header-safe addresses and names, the backoff, MAIL_NOTICES,
// and the rendered parts (plain text + HTML, branding, absolute links, escaping).
import { loadConfig } from '../../provider/src/kernel/config';
import { mailSettings } from '../../provider/src/domain/mail/settings';
import { parseMailbox, recipient, safeAddress, safeDisplayName } from '../../provider/src/domain/mail/address';
import { retryDelayMs } from '../../provider/src/jobs/mail-worker';
import { enabledNotices } from '../../provider/src/domain/accounts/notices';
import { renderMail } from '../../provider/src/domain/mail/render';
import { invitationMessage, noticeMessage } from '../../provider/src/domain/mail/messages';
import { describeSmtpError } from '../../provider/src/domain/mail/sender';

const base = { NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), MAIL_FROM: 'Sign-in <sso@example.com>' };
const settingsFor = (SMTP_URL: string, extra: Record<string, string> = {}) => mailSettings(loadConfig({ ...base, SMTP_URL, ...extra }))!;

describe('SMTP_URL', () => {
  test('smtp:// off loopback requires STARTTLS; loopback upgrades when offered; smtps:// is TLS; starttls=off is plain on purpose', () => {
    expect(settingsFor('smtp://relay.example.com').transport).toMatchObject({ host: 'relay.example.com', port: 587, secure: false, requireTLS: true, ignoreTLS: false });
    expect(settingsFor('smtp://127.0.0.1:2525').transport).toMatchObject({ port: 2525, secure: false, requireTLS: false, ignoreTLS: false });
    expect(settingsFor('smtp://localhost').transport).toMatchObject({ requireTLS: false });
    expect(settingsFor('smtp://[::1]:25').transport).toMatchObject({ host: '::1', requireTLS: false });
    expect(settingsFor('smtps://relay.example.com').transport).toMatchObject({ port: 465, secure: true, requireTLS: false });
    expect(settingsFor('smtp://relay.example.com:25/?starttls=off').transport).toMatchObject({ port: 25, requireTLS: false, ignoreTLS: true });
  });

  test('credentials from the URL or SMTP_PASSWORD; the description never shows the password', () => {
    const inUrl = settingsFor('smtp://mailer%40example.com:s3cr%2Ft@relay.example.com');
    expect(inUrl.transport.auth).toEqual({ user: 'mailer@example.com', pass: 's3cr/t' });
    expect(inUrl.description).toBe('smtp://mailer%40example.com@relay.example.com (STARTTLS required)');
    const separate = settingsFor('smtp://apikey@smtp.sendgrid.net', { SMTP_PASSWORD: 'SG.key' });
    expect(separate.transport.auth).toEqual({ user: 'apikey', pass: 'SG.key' });
    expect(separate.description).not.toContain('SG.key');
  });

  test('configuration errors are sentences; secrets are hidden in them', () => {
    expect(() => loadConfig({ ...base, SMTP_URL: 'http://relay' })).toThrow(/SMTP_URL is set \(value hidden, 12 characters\), but it must be a URL such as smtp:/);
    expect(() => loadConfig({ NODE_ENV: 'test', SMTP_URL: 'smtp://user:pw@relay' })).toThrow(/MAIL_FROM is required when SMTP_URL is set/);
    expect(() => settingsFor('smtp://relay/?tls=no')).toThrow(/unknown options tls/);
    expect(() => settingsFor('smtp://relay/?starttls=maybe')).toThrow(/starttls can only be "off"/);
    expect(() => settingsFor('smtp://relay', { MAIL_FROM: 'a@b.c, evil@x.y' })).toThrow(/MAIL_FROM must be one address/);
    expect(() => loadConfig({ ...base, MAIL_NOTICES: 'password_changed,bogus' })).toThrow(/MAIL_NOTICES .* must be all, none, or a comma-separated list/);
  });
});

describe('addresses and names in headers', () => {
  test('an address with CR/LF, a second recipient or no domain is refused; Unicode is allowed', () => {
    for (const bad of ['a@b.c\r\nBcc: x@y.z', 'a@b.c,x@y.z', 'a@b.c;x@y.z', '<a@b.c>', 'a b@c.d', 'nobody', 'a@localhost', 'a@b..c', '', 'a@b.c\u2028x']) expect([bad, safeAddress(bad)]).toEqual([bad, undefined]);
    for (const good of ['ada@example.com', 'ada+sso@example.co.uk', 'jörg@bücher.de', '用户@例子.广告']) expect(safeAddress(good)).toBe(good);
  });

  test('names lose control characters (line breaks become spaces) and stay short', () => {
    expect(safeDisplayName('Eve\r\nBcc: x@y.z')).toBe('Eve Bcc: x@y.z');
    expect(safeDisplayName('\u202eevil')).toBe('evil');
    expect(safeDisplayName('x'.repeat(300))).toHaveLength(100);
    expect(recipient('Ann', 'ann@example.com')).toEqual({ name: 'Ann', address: 'ann@example.com' });
    expect(recipient('Ann', 'ann@example.com\nBcc: x@y.z')).toBeUndefined();
    expect(parseMailbox('"Acme, Inc." <sso@acme.test>', 'MAIL_FROM')).toEqual({ name: 'Acme, Inc.', address: 'sso@acme.test' });
  });
});

test('retries back off exponentially (with jitter), capped at 6 hours', () => {
  const cfg = { MAIL_RETRY_SECONDS: 60 };
  const mid = () => 0.5;
  expect([1, 2, 3, 4].map((n) => retryDelayMs(cfg, n, mid))).toEqual([60_000, 120_000, 240_000, 480_000]);
  expect(retryDelayMs(cfg, 30, mid)).toBe(6 * 3600 * 1000);
  expect(retryDelayMs(cfg, 1, () => 0)).toBe(54_000);
  expect(retryDelayMs(cfg, 1, () => 1)).toBe(66_000);
});

test('SMTP errors: 5xx answers are permanent, connection problems are retried; no credentials in the text', () => {
  expect(describeSmtpError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 no such user' })).toMatchObject({ permanent: true, message: 'EENVELOPE 550 550 5.1.1 no such user' });
  expect(describeSmtpError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' }).permanent).toBe(false);
  expect(describeSmtpError({ code: 'EAUTH', responseCode: 454, response: '454 try later' }).permanent).toBe(false);
});

test('MAIL_NOTICES: all, none, or a list', () => {
  expect([...enabledNotices('all')]).toHaveLength(5);
  expect([...enabledNotices('none')]).toEqual([]);
  expect([...enabledNotices('password_changed, two_factor_locked')]).toEqual(['password_changed', 'two_factor_locked']);
});

describe('rendering', () => {
  const config = loadConfig({ ...base, ISSUER: 'https://sso.acme.test', PRODUCT_NAME: 'Acme Sign-in', ORGANIZATION_NAME: 'Acme <Works>', LOGO_URL: '/static/logo.svg', ACCENT_COLOR: '#0f766e', SUPPORT_CONTACT: 'help@acme.test' });

  test('plain text and HTML say the same, with the branding, an absolute logo and link, escaped names', () => {
    const url = 'https://sso.acme.test/accounts/password/set/?token=abc&x=1';
    const msg = invitationMessage({ name: 'Bobby <script>alert(1)</script>', username: 'bobby' }, { product: 'Acme Sign-in', organization: 'Acme <Works>', url, expiresAt: new Date('2030-01-04T10:00:00Z'), ttlSeconds: 72 * 3600 });
    const m = renderMail(config, msg);
    expect(m.subject).toBe('Set your password for Acme Sign-in');
    expect(m.text).toContain('Hello Bobby <script>alert(1)</script>,');
    expect(m.text).toContain(`Set your password:\n${url}`);
    expect(m.text).toContain('expires in 72 hours (2030-01-04 10:00 UTC)');
    expect(m.text).toContain('Help: help@acme.test');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('Hello Bobby &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(m.html).toContain('href="https://sso.acme.test/accounts/password/set/?token=abc&amp;x=1"');
    expect(m.html).toContain('src="https://sso.acme.test/static/logo.svg"');
    expect(m.html).toContain('background:#0f766e;color:#ffffff');
    expect(m.html).toContain('Acme &lt;Works&gt;');
    expect(m.html).toContain('href="mailto:help@acme.test"');
  });

  test('notices link to the account pages on ISSUER and never carry a line break in the subject', () => {
    const m = renderMail(config, noticeMessage('two_factor_locked', { name: 'Zed', username: 'zed\r\nBcc: x' }, { product: 'Acme Sign-in', issuer: config.issuer, help: 'help@acme.test' }, { at: new Date('2030-01-01T00:00:00Z'), lockedUntil: new Date('2030-01-01T00:04:00Z') }));
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.text).toContain('https://sso.acme.test/accounts/password/');
    expect(m.text).toContain('until 2030-01-01 00:04 UTC');
  });
});
