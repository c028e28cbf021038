// The one place that talks SMTP (nodemailer). A transport per worker, pooled connections off:
// mail is rare (invitations, resets, notices) and a fresh connection per batch recovers by itself
// from a server that dropped an idle one.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { MailSettings } from './settings';
import type { Mailbox } from './address';

export interface MailToSend {
  to: Mailbox;
  subject: string;
  text: string;
  html: string;
  /** Becomes the Message-ID's left part: the same queued mail sent twice is recognisable. */
  id: string;
}

export interface MailSender {
  description: string;
  send(mail: MailToSend): Promise<{ messageId: string; response: string }>;
  /** Connects, says EHLO, upgrades/authenticates as configured, quits (`mail test`). */
  verify(): Promise<void>;
  close(): void;
}

export class SmtpSendError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}

/** A short, credential-free reason from a nodemailer error. */
export function describeSmtpError(err: unknown): SmtpSendError {
  const e = err as { message?: string; code?: string; responseCode?: number; response?: string };
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600 && e.code !== 'ETLS';
  const text = [e.code, e.responseCode, e.response ?? e.message].filter((x) => x !== undefined && x !== '').join(' ');
  return new SmtpSendError(text.replace(/\s+/g, ' ').slice(0, 300) || 'unknown SMTP error', permanent);
}

export function createMailSender(settings: MailSettings): MailSender {
  const transporter: Transporter<SMTPTransport.SentMessageInfo> = nodemailer.createTransport({ ...settings.transport, pool: false });
  const domain = settings.from.address.slice(settings.from.address.lastIndexOf('@') + 1);
  return {
    description: settings.description,
    async send(mail) {
      try {
        const info = await transporter.sendMail({
          from: settings.from,
          replyTo: settings.replyTo,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: `<${mail.id}@${domain}>`,
          // Security mail: no tracking, no auto-replies from out-of-office robots.
          headers: { 'Auto-Submitted': 'auto-generated' },
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        return { messageId: info.messageId, response: info.response };
      } catch (err) {
        throw describeSmtpError(err);
      }
    },
    async verify() {
      try {
        await transporter.verify();
      } catch (err) {
        throw describeSmtpError(err);
      }
    },
    close() {
      transporter.close();
    },
  };
}
