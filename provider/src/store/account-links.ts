// One-time account links: "set your password" (invitation) and "choose a new password" (reset).
// Only the SHA-256 of the link's token is stored (kernel/security/tokens.ts), so a database leak
// holds no usable link. A link is used up by deleting its document: of two concurrent uses, one
// deletes it and the other finds nothing. It also carries a stamp of the password hash it was
// made for, so a link stops working once the password changes some other way.
import type { Database } from '../db/connect';
import type { Clock } from '../kernel/clock';
import { trackExpiry } from '../db/expiry';
import { digest, randomToken } from '../kernel/security/tokens';
import type { AccountLinkDoc, LinkPurpose } from '../db/mail-schema';

export type { AccountLinkDoc, LinkPurpose } from '../db/mail-schema';

export type LinkCheck = { ok: true; link: AccountLinkDoc } | { ok: false; reason: 'unknown' | 'expired' | 'stale' };

/** What the password stamp of an account is: changes whenever its password hash does. */
export function passwordStamp(passwordHash: string | undefined): string {
  return passwordHash ? digest(`password-stamp:${passwordHash}`) : '';
}

export class AccountLinkStore {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  private get links() {
    return this.db.accountLinks;
  }

  /**
   * A new link for the account; earlier links of the same purpose stop working (only the newest
   * mail counts). Returns the token, which exists nowhere else but in the mail or on screen.
   */
  async create(input: { userId: string; purpose: LinkPurpose; passwordHash: string | undefined; ttlSeconds: number; createdBy: string }): Promise<{ token: string; expiresAt: Date }> {
    await this.links.deleteMany({ userId: input.userId, purpose: input.purpose });
    const token = randomToken(32);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000);
    const doc: AccountLinkDoc = { _id: digest(token), userId: input.userId, purpose: input.purpose, passwordStamp: passwordStamp(input.passwordHash), createdBy: input.createdBy, createdAt: now, expiresAt };
    await this.links.insertOne(doc);
    await trackExpiry(this.db, [{ collection: 'account_links', id: doc._id, expiresAt }]);
    return { token, expiresAt };
  }

  /**
   * Whether the token is a live link for an account whose password is unchanged since it was made.
   * `account` answers the account's current password hash, or null for an account that is gone or
   * may no longer sign in.
   */
  async check(token: unknown, account: (userId: string) => Promise<{ passwordHash?: string | null } | null>): Promise<LinkCheck> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) return { ok: false, reason: 'unknown' };
    const link = await this.links.findOne({ _id: digest(token) });
    if (!link) return { ok: false, reason: 'unknown' };
    if (link.expiresAt.getTime() <= this.clock.now().getTime()) return { ok: false, reason: 'expired' };
    const current = await account(link.userId);
    // A missing hash may be stored as null or absent: both mean "no password yet".
    if (current === null || passwordStamp(current.passwordHash ?? undefined) !== link.passwordStamp) return { ok: false, reason: 'stale' };
    return { ok: true, link };
  }

  /** Uses the link up; false when another request used it first. */
  async consume(link: AccountLinkDoc): Promise<boolean> {
    const r = await this.links.deleteOne({ _id: link._id });
    return r.deletedCount === 1;
  }

  /** Links of the account (all purposes, or one) stop working: it left, or was deleted. */
  async revokeFor(userId: string, purpose?: LinkPurpose): Promise<number> {
    const r = await this.links.deleteMany(purpose ? { userId, purpose } : { userId });
    return r.deletedCount;
  }

  /** Live links (CLI `user invite-links`): which accounts have one, until when. */
  async live(purpose: LinkPurpose): Promise<AccountLinkDoc[]> {
    const now = this.clock.now().getTime();
    return (await this.links.find({ purpose }).toArray()).filter((l) => l.expiresAt.getTime() > now);
  }
}
