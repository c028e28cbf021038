// The mail queue: every mail is a document in `mail_outbox` first, and the worker
// (jobs/mail-worker.ts) sends it. A page that asks for mail only inserts here, so a slow or down
// SMTP server never slows or fails it, and nothing queued is lost when the process stops.
//
// Several instances may run workers. FerretDB v1 does not apply findAndModify atomically, but it
// does enforce unique `_id`s, so a worker owns one attempt of one mail by inserting the claim
// `<mail id>|<attempt>` into `mail_claims` (as store/rate-limits.ts does with slots): exactly one
// worker sends each attempt. A worker that dies mid-send leaves the claim; the mail is retried
// once the claim's lease has passed (MAIL_SEND_TIMEOUT_SECONDS · 2), under the next attempt number.
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Database } from '../db/connect';
import type { Clock } from '../kernel/clock';
import { trackExpiry } from '../db/expiry';
import { isDuplicateKey } from '../db/errors';
import type { MailClaimDoc, MailDoc, OutgoingMail } from '../db/mail-schema';

export type { MailKind, MailDoc, OutgoingMail } from '../db/mail-schema';

/** How long a sent or failed mail stays visible (`hrm-sso mail list`) before it is swept. */
const KEEP_FINISHED_MS = 7 * 24 * 3600 * 1000;

export class MailOutboxStore {
  /** Emits 'queued' when this process adds mail, so its worker sends at once instead of at the next poll. */
  readonly events = new EventEmitter();
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  private get mails() {
    return this.db.mailOutbox;
  }

  private get claims() {
    return this.db.mailClaims;
  }

  async enqueue(mail: OutgoingMail): Promise<MailDoc> {
    const now = this.clock.now();
    const doc: MailDoc = { ...mail, _id: crypto.randomUUID(), state: 'queued', attempts: 0, nextAttemptAt: now, createdAt: now };
    await this.mails.insertOne(doc);
    this.events.emit('queued');
    return doc;
  }

  /** Queued mails whose time has come, oldest first. */
  async due(limit: number): Promise<MailDoc[]> {
    const now = this.clock.now();
    const queued = await this.mails.find({ state: 'queued' }).toArray();
    return queued
      .filter((m) => m.nextAttemptAt.getTime() <= now.getTime())
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit);
  }

  /** Earliest time a queued mail is due (for the worker's next wake-up), if any. */
  async nextDueAt(): Promise<Date | undefined> {
    const queued = await this.mails.find({ state: 'queued' }, { projection: { nextAttemptAt: 1 } }).toArray();
    return queued.map((m) => m.nextAttemptAt).sort((a, b) => a.getTime() - b.getTime())[0];
  }

  /** True when this worker now owns attempt `mail.attempts + 1` of the mail (unique insert). */
  async claim(mail: MailDoc, leaseMs: number): Promise<boolean> {
    const expiresAt = new Date(this.clock.now().getTime() + leaseMs);
    const id = `${mail._id}|${mail.attempts + 1}`;
    try {
      await this.claims.insertOne({ _id: id, expiresAt });
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    await trackExpiry(this.db, [{ collection: 'mail_claims', id, expiresAt }]);
    // Count the attempt now: if this process dies while sending, the next worker uses a new claim.
    const r = await this.mails.updateOne({ _id: mail._id, state: 'queued', attempts: mail.attempts }, { $set: { attempts: mail.attempts + 1, nextAttemptAt: expiresAt } });
    return r.modifiedCount === 1;
  }

  async markSent(id: string): Promise<void> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + KEEP_FINISHED_MS);
    await this.mails.updateOne({ _id: id }, { $set: { state: 'sent', sentAt: now, expiresAt }, $unset: { lastError: '' } });
    await trackExpiry(this.db, [{ collection: 'mail_outbox', id, expiresAt }]);
  }

  /** A failed attempt: try again at `retryAt`, or give up (state "failed") when `retryAt` is undefined. */
  async markFailed(id: string, error: string, retryAt: Date | undefined): Promise<void> {
    if (retryAt) {
      await this.mails.updateOne({ _id: id }, { $set: { nextAttemptAt: retryAt, lastError: error } });
      return;
    }
    const expiresAt = new Date(this.clock.now().getTime() + KEEP_FINISHED_MS);
    await this.mails.updateOne({ _id: id }, { $set: { state: 'failed', lastError: error, expiresAt } });
    await trackExpiry(this.db, [{ collection: 'mail_outbox', id, expiresAt }]);
  }

  async byId(id: string): Promise<MailDoc | null> {
    return this.mails.findOne({ _id: id });
  }

  /** Most recent mails first (CLI `mail list`); the bodies are left out. */
  async recent(limit: number): Promise<Omit<MailDoc, 'text' | 'html'>[]> {
    const docs = await this.mails.find({}, { projection: { text: 0, html: 0 } }).toArray();
    return docs.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
  }

  async counts(): Promise<Record<MailDoc['state'], number>> {
    const docs = await this.mails.find({}, { projection: { state: 1 } }).toArray();
    const counts = { queued: 0, sent: 0, failed: 0 };
    for (const d of docs) counts[d.state]++;
    return counts;
  }
}
