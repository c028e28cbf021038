// SMTP_URL (+ SMTP_PASSWORD, MAIL_FROM, MAIL_REPLY_TO) → nodemailer transport options.
//   smtps://user@host[:465]          TLS from the first byte.
//   smtp://user@host[:587]           STARTTLS required: a server that does not offer it (or a
//                                    man in the middle stripping it) gets no mail and no password.
//   smtp://127.0.0.1:25              loopback: STARTTLS when offered, plain otherwise.
//   smtp://relay:25/?starttls=off    plain on purpose (a relay on a trusted network) — said in the URL.
// The password may be in the URL (percent-encoded) or, better, in SMTP_PASSWORD.
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Config } from '../../kernel/config';
import { AppError } from '../../kernel/errors';
import { parseMailbox, type Mailbox } from './address';

export interface MailSettings {
  transport: SMTPTransport.Options;
  from: Mailbox;
  replyTo?: Mailbox;
  /** "smtp://mail.example.com:587 (STARTTLS required)", never the password: for logs and the CLI. */
  description: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;

/** The mail settings, or undefined when SMTP_URL is unset (links are then shown, not mailed). */
export function mailSettings(config: Config): MailSettings | undefined {
  if (!config.SMTP_URL) return undefined;
  let url: URL;
  try {
    url = new URL(config.SMTP_URL);
  } catch {
    throw new AppError('mail_config', 'SMTP_URL is not a URL: use smtp://user@host:587 or smtps://user@host:465.');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new AppError('mail_config', `SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//.`);
  const unknown = [...url.searchParams.keys()].filter((k) => k !== 'starttls');
  if (unknown.length) throw new AppError('mail_config', `SMTP_URL has unknown options ${unknown.join(', ')}: the only one is starttls=off.`);
  const starttls = url.searchParams.get('starttls');
  if (starttls !== null && starttls !== 'off') throw new AppError('mail_config', 'SMTP_URL option starttls can only be "off" (plain SMTP on purpose).');
  if (!config.MAIL_FROM) throw new AppError('mail_config', 'MAIL_FROM is required with SMTP_URL, e.g. MAIL_FROM="Sign-in <sso@example.com>".');
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const loopback = LOOPBACK.test(url.hostname);
  const plainOnPurpose = starttls === 'off';
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const pass = config.SMTP_PASSWORD ?? (url.password ? decodeURIComponent(url.password) : undefined);
  const timeoutMs = config.MAIL_SEND_TIMEOUT_SECONDS * 1000;
  const transport: SMTPTransport.Options = {
    host,
    port,
    secure,
    // Off loopback, refuse to talk (or authenticate) in clear unless the URL says so.
    requireTLS: !secure && !loopback && !plainOnPurpose,
    ignoreTLS: plainOnPurpose,
    auth: user ? { user, pass } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    tls: { servername: loopback ? undefined : host, minVersion: 'TLSv1.2' },
  };
  const mode = secure ? 'TLS' : plainOnPurpose ? 'plain, STARTTLS off on purpose' : loopback ? 'STARTTLS when offered (loopback)' : 'STARTTLS required';
  return {
    transport,
    from: parseMailbox(config.MAIL_FROM, 'MAIL_FROM'),
    replyTo: config.MAIL_REPLY_TO ? parseMailbox(config.MAIL_REPLY_TO, 'MAIL_REPLY_TO') : undefined,
    description: `${url.protocol}//${url.username ? `${url.username}@` : ''}${url.host} (${mode})`,
  };
}
