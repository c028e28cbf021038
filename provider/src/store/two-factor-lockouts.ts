// Progressive lock of an account's second sign-in step (two-factor codes after a correct password).
// Each time the per-window allowance of wrong codes (TWO_FACTOR_RATE_LIMIT) is used up, the account
// gets a strike and its second step is locked for RATE_LIMIT_WINDOW_SECONDS · 2^(strikes−1), up to
// TWO_FACTOR_LOCK_MAX_SECONDS: 5 guesses a minute forever becomes 5 guesses per 1, 2, 4, 8 … minutes.
// Stored in the database, so every instance and a restart see it; a correct password does not touch
// it; the owner's correct code clears it. Strikes are forgotten a day after the last lock ended.
//
// One strike per account and window, whatever the concurrency: the strike is claimed with a unique
// insert (`<user>|<window>`), which FerretDB enforces atomically (its findAndModify is not).
import type { Database } from '../db/connect';
import type { Clock } from '../kernel/clock';
import { trackExpiry } from '../db/expiry';
import { isDuplicateKey } from '../db/errors';

const FORGET_AFTER_MS = 24 * 3600 * 1000;

export class TwoFactorLockoutStore {
  constructor(private readonly db: Database, private readonly clock: Clock, private readonly opts: { windowSeconds: number; maxLockSeconds: number }) {}

  private get lockouts() {
    return this.db.twoFactorLockouts;
  }

  private get strikes() {
    return this.db.twoFactorStrikes;
  }

  /** Until when the account's second step is locked for browsers it does not know; undefined = not locked. */
  async lockedUntil(userId: string): Promise<Date | undefined> {
    const doc = await this.lockouts.findOne({ _id: userId });
    return doc && doc.lockedUntil.getTime() > this.clock.now().getTime() ? doc.lockedUntil : undefined;
  }

  /** Lock length for the n-th strike. */
  lockSeconds(strikes: number): number {
    return Math.min(this.opts.windowSeconds * 2 ** Math.max(0, strikes - 1), this.opts.maxLockSeconds);
  }

  /**
   * The allowance of the current window is used up: adds a strike and locks. Returns the new lock,
   * or undefined when this window already counted (a later refused request of the same burst).
   */
  async strike(userId: string): Promise<{ strikes: number; lockedUntil: Date } | undefined> {
    const now = this.clock.now();
    const window = Math.floor(now.getTime() / (this.opts.windowSeconds * 1000));
    const claimId = `${userId}|${window}`;
    const claimExpires = new Date((window + 1) * this.opts.windowSeconds * 1000);
    try {
      await this.strikes.insertOne({ _id: claimId, expiresAt: claimExpires });
    } catch (err) {
      if (isDuplicateKey(err)) return undefined;
      throw err;
    }
    const previous = await this.lockouts.findOne({ _id: userId });
    const strikes = (previous && previous.expiresAt.getTime() > now.getTime() ? previous.strikes : 0) + 1;
    const lockedUntil = new Date(now.getTime() + this.lockSeconds(strikes) * 1000);
    const expiresAt = new Date(lockedUntil.getTime() + FORGET_AFTER_MS);
    await this.lockouts.replaceOne({ _id: userId }, { strikes, lockedUntil, expiresAt }, { upsert: true });
    await trackExpiry(this.db, [
      { collection: 'two_factor_strikes', id: claimId, expiresAt: claimExpires },
      { collection: 'two_factor_lockouts', id: userId, expiresAt, checkField: 'expiresAt' },
    ]);
    return { strikes, lockedUntil };
  }

  /** The owner proved themselves (a correct code): strikes and lock are gone. */
  async clear(userId: string): Promise<void> {
    await this.lockouts.deleteOne({ _id: userId });
  }
}
