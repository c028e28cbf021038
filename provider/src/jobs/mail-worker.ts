// Sends queued mail (store/mail-outbox.ts): at start, every MAIL_POLL_SECONDS, and at once when
// this process queues a mail. A failed attempt is retried after MAIL_RETRY_SECONDS, doubling each
// time (capped at 6 h, with ±10 % jitter so instances don't retry in step), until
// MAIL_MAX_ATTEMPTS; a permanent refusal (SMTP 5xx, e.g. unknown recipient) is not retried.
// Started by the composition root (server.ts) next to the sweeper; stopped before the database closes.
import type { Config } from '../kernel/config';
import type { Clock } from '../kernel/clock';
import type { Logger } from '../kernel/log';
import { metrics } from '../kernel/metrics';
import type { MailDoc, MailOutboxStore } from '../store/mail-outbox';
import type { MailSender } from '../domain/mail/sender';
import { SmtpSendError } from '../domain/mail/sender';

const MAX_BACKOFF_MS = 6 * 3600 * 1000;
const BATCH = 20;

export interface MailRun {
  sent: number;
  retrying: number;
  failed: number;
}

/** Delay before attempt `attempts + 1`, after `attempts` failures. */
export function retryDelayMs(config: Pick<Config, 'MAIL_RETRY_SECONDS'>, attempts: number, random = Math.random): number {
  const base = Math.min(config.MAIL_RETRY_SECONDS * 1000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
  return Math.round(base * (0.9 + 0.2 * random()));
}

export class MailWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<MailRun>;
  private again = false;
  private stopped = false;
  private readonly onQueued = () => this.kick();

  constructor(
    private readonly deps: { config: Config; clock: Clock; log: Logger; outbox: MailOutboxStore; sender: MailSender },
  ) {}

  start(): void {
    this.deps.outbox.events.on('queued', this.onQueued);
    this.kick();
  }

  /** Runs now (or right after the run in progress). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.runOnce()
      .catch((err) => {
        // Database down: the mail stays queued; the next poll tries again.
        this.deps.log.warn({ event: 'mail_worker_error', err: String(err) }, 'mail worker could not read the queue');
        return { sent: 0, retrying: 0, failed: 0 };
      })
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          return this.kick();
        }
        void this.schedule();
      });
  }

  /** Sleeps until the next poll, or sooner when a retry falls due before it. */
  private async schedule(): Promise<void> {
    let waitMs = this.deps.config.MAIL_POLL_SECONDS * 1000;
    const next = await this.deps.outbox.nextDueAt().catch(() => undefined);
    if (next) waitMs = Math.min(waitMs, Math.max(50, next.getTime() - this.deps.clock.now().getTime()));
    if (this.stopped || this.running) return;
    this.timer = setTimeout(() => this.kick(), waitMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.deps.outbox.events.off('queued', this.onQueued);
    await this.running?.catch(() => undefined);
    this.deps.sender.close();
  }

  /** One pass over the due mail (tests call it too). */
  async runOnce(): Promise<MailRun> {
    const run: MailRun = { sent: 0, retrying: 0, failed: 0 };
    for (;;) {
      const due = await this.deps.outbox.due(BATCH);
      let handled = 0;
      for (const mail of due) {
        if (this.stopped) return run;
        const leaseMs = this.deps.config.MAIL_SEND_TIMEOUT_SECONDS * 2000;
        if (!(await this.deps.outbox.claim(mail, leaseMs))) continue; // another instance has it
        handled++;
        run[await this.sendOne({ ...mail, attempts: mail.attempts + 1 })]++;
      }
      if (handled === 0 || due.length < BATCH) return run;
    }
  }

  private async sendOne(mail: MailDoc): Promise<keyof MailRun> {
    const { log, outbox, config, clock } = this.deps;
    try {
      const info = await this.deps.sender.send({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, id: mail._id });
      await outbox.markSent(mail._id);
      metrics.mailSent.inc({ kind: mail.kind });
      log.info({ event: 'mail_sent', mailId: mail._id, kind: mail.kind, userId: mail.userId, attempt: mail.attempts, response: info.response }, 'mail sent');
      return 'sent';
    } catch (err) {
      const e = err instanceof SmtpSendError ? err : new SmtpSendError(String((err as Error)?.message ?? err), false);
      const giveUp = e.permanent || mail.attempts >= config.MAIL_MAX_ATTEMPTS;
      const retryAt = giveUp ? undefined : new Date(clock.now().getTime() + retryDelayMs(config, mail.attempts));
      await outbox.markFailed(mail._id, e.message, retryAt);
      metrics.mailFailures.inc({ kind: mail.kind, outcome: giveUp ? 'gave_up' : 'will_retry' });
      const fields = { event: giveUp ? 'mail_failed' : 'mail_retry', mailId: mail._id, kind: mail.kind, userId: mail.userId, attempt: mail.attempts, reason: e.message, retryAt };
      if (giveUp) log.error(fields, `mail not delivered after ${mail.attempts} attempt(s): ${e.message}`);
      else log.warn(fields, `mail attempt ${mail.attempts} failed; retrying at ${retryAt?.toISOString()}`);
      return giveUp ? 'failed' : 'retrying';
    }
  }
}
