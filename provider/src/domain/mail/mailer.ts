// The queueing API every feature uses: render a message for a recipient and put it in the outbox
// (store/mail-outbox.ts); the worker (jobs/mail-worker.ts) sends it. Never talks SMTP itself, so
// asking for mail costs a page one insert whatever the SMTP server does.
import type { Config } from '../../kernel/config';
import type { Logger } from '../../kernel/log';
import type { MailOutboxStore } from '../../store/mail-outbox';
import { recipient } from './address';
import type { MailMessage } from './messages';
import { renderMail } from './render';

export type QueueResult = { queued: true; id: string } | { queued: false; reason: 'not_configured' | 'bad_address' };

export class Mailer {
  constructor(private readonly config: Config, readonly outbox: MailOutboxStore) {}

  /** SMTP_URL is set: mail can go out (links are mailed, not shown). */
  get configured(): boolean {
    return Boolean(this.config.SMTP_URL);
  }

  /** Queues `message` for one person; refuses an address a header could be injected through. */
  async queue(to: { name?: string; email?: string }, message: MailMessage, opts: { userId?: string; log?: Logger } = {}): Promise<QueueResult> {
    if (!this.configured) return { queued: false, reason: 'not_configured' };
    const box = recipient(to.name, to.email);
    if (!box) {
      opts.log?.warn({ event: 'mail_refused', kind: message.kind, userId: opts.userId, reason: 'unsafe_address' }, 'mail not queued: the address cannot be mailed safely');
      return { queued: false, reason: 'bad_address' };
    }
    const rendered = renderMail(this.config, message);
    const doc = await this.outbox.enqueue({ to: box, ...rendered, kind: message.kind, userId: opts.userId });
    opts.log?.info({ event: 'mail_queued', kind: message.kind, userId: opts.userId, mailId: doc._id }, 'mail queued');
    return { queued: true, id: doc._id };
  }
}
