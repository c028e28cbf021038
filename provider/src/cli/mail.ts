// `mail test --to ADDRESS`: checks the mail settings end to end — connects to SMTP_URL (STARTTLS /
// TLS as configured, authenticates), then sends a test mail directly (not through the queue), so
// the answer says at once whether invitations and resets will arrive. `mail queue`: what is queued,
// sent or given up (no bodies).
import type { Command } from 'commander';
import { withServices } from './context';
import type { GlobalOptions } from './options';
import { UsageError } from './output';
import { AppError } from '../kernel/errors';
import { mailSettings } from '../domain/mail/settings';
import { createMailSender } from '../domain/mail/sender';
import { safeAddress } from '../domain/mail/address';
import { renderMail } from '../domain/mail/render';
import { testMessage } from '../domain/mail/messages';
import { loadConfig } from '../kernel/config';
import crypto from 'node:crypto';

export function mailCommands(program: Command, globals: () => GlobalOptions): void {
  const mail = program.command('mail').description('outgoing mail: check the SMTP settings, see the queue');

  mail
    .command('test')
    .description('send a test mail now through SMTP_URL (checks TLS, login and sender)')
    .requiredOption('--to <address>', 'who receives the test mail')
    .action(async (opts: { to: string }) => {
      const to = safeAddress(opts.to);
      if (!to) throw new UsageError(`--to "${opts.to}" is not one plain e-mail address.`);
      const config = loadConfig();
      const settings = mailSettings(config);
      if (!settings) throw new AppError('mail_not_configured', 'SMTP_URL is not set: set SMTP_URL and MAIL_FROM (see docs/mail.md), then run this again.');
      const sender = createMailSender(settings);
      try {
        const rendered = renderMail(config, testMessage({ product: config.PRODUCT_NAME, description: settings.description, lang: config.DEFAULT_LANGUAGE }));
        const info = await sender.send({ to: { address: to }, ...rendered, id: crypto.randomUUID() }).catch((err: Error) => {
          throw new AppError('mail_failed', `Sending through ${settings.description} failed: ${err.message}`);
        });
        const json = globals().json;
        const out = { to, smtp: settings.description, message_id: info.messageId, response: info.response };
        process.stdout.write(json ? `${JSON.stringify(out, null, 2)}\n` : `Test mail to ${to} accepted by ${settings.description}: ${info.response}\n`);
      } finally {
        sender.close();
      }
    });

  mail
    .command('queue')
    .description('the most recent mails: queued, sent or given up, with the last error')
    .option('--limit <n>', 'how many', '20')
    .action(async (opts: { limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000.');
      await withServices(globals().json, async ({ mail: mailer, out }) => {
        const rows = (await mailer.outbox.recent(limit)).map((m) => ({ id: m._id, kind: m.kind, to: m.to.address, state: m.state, attempts: m.attempts, created_at: m.createdAt.toISOString(), last_error: m.lastError ?? null }));
        out.result(rows, () => (rows.length ? rows.map((r) => `${r.created_at}  ${r.state.padEnd(6)}  ${r.kind.padEnd(26)}  ${r.to}  attempts ${r.attempts}${r.last_error ? `  (${r.last_error})` : ''}`) : ['No mail yet.']));
      });
    });
}
