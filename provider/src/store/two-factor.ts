// Two-factor state on the user document (UserDoc.twoFactor): enable, verify a TOTP or recovery
// code, regenerate recovery codes, reset. Every check-and-use is one conditional update, so two
// concurrent requests with the same code cannot both succeed (replay) — on MongoDB and FerretDB.
import type { Config } from '../kernel/config';
import type { Database } from '../db/connect';
import type { UserDoc } from '../db/schema';
import { SecretBox } from '../kernel/security/secret-box';
import { verifyTotp } from '../kernel/security/totp';
import { looksLikeRecoveryCode, newRecoveryCodes, recoveryCodeDigest } from '../kernel/security/recovery-codes';

export type CodeCheck =
  | { ok: true; method: 'totp' | 'recovery'; recoveryCodesLeft: number }
  | { ok: false; reason: 'wrong_code' | 'replayed_code' | 'not_enrolled' | 'unreadable_secret' };

export class TwoFactorStore {
  readonly box: SecretBox;

  constructor(private readonly db: Database, private readonly config: Config) {
    this.box = new SecretBox(config);
  }

  /** Whether TWO_FACTOR_REQUIRED applies to this user. */
  required(user: Pick<UserDoc, 'admin'>): boolean {
    const policy = this.config.TWO_FACTOR_REQUIRED;
    return policy === 'everyone' || (policy === 'admins' && user.admin);
  }

  /**
   * Turns two-factor on with a secret whose code was just confirmed (for `step`). Only when it is
   * off: a second tab's confirmation cannot replace the secret the first one set up.
   * Returns the recovery codes (shown once), or undefined when it was already on.
   */
  async enable(userId: string, secret: string, step: number): Promise<string[] | undefined> {
    const codes = newRecoveryCodes();
    const now = new Date();
    const r = await this.db.users.updateOne(
      { _id: userId, twoFactor: { $exists: false } },
      { $set: { twoFactor: { sealedSecret: this.box.seal(userId, secret), enabledAt: now, lastStep: step, recoveryCodes: codes.map(recoveryCodeDigest) }, updatedAt: now } },
    );
    return r.modifiedCount === 1 ? codes : undefined;
  }

  /** Checks a 6-digit TOTP code or a recovery code and uses it up. */
  async check(user: UserDoc, typed: string, now = Date.now()): Promise<CodeCheck> {
    const tf = user.twoFactor;
    if (!tf) return { ok: false, reason: 'not_enrolled' };
    const code = typed.trim();
    if (looksLikeRecoveryCode(code)) {
      const d = recoveryCodeDigest(code);
      // $pull only when the digest is still there: exactly one request uses a code.
      const r = await this.db.users.updateOne({ _id: user._id, 'twoFactor.recoveryCodes': d }, { $pull: { 'twoFactor.recoveryCodes': d } });
      if (r.modifiedCount !== 1) return { ok: false, reason: 'wrong_code' };
      return { ok: true, method: 'recovery', recoveryCodesLeft: tf.recoveryCodes.length - 1 };
    }
    const opened = this.box.open(user._id, tf.sealedSecret);
    if (!opened) return { ok: false, reason: 'unreadable_secret' };
    const step = verifyTotp(code, opened.secret, now);
    if (step === undefined) return { ok: false, reason: 'wrong_code' };
    if (step <= tf.lastStep) return { ok: false, reason: 'replayed_code' };
    const set: Record<string, unknown> = { 'twoFactor.lastStep': step };
    // Re-seal a secret still sealed under a rotated-out key.
    if (opened.stale) set['twoFactor.sealedSecret'] = this.box.seal(user._id, opened.secret);
    const r = await this.db.users.updateOne({ _id: user._id, 'twoFactor.sealedSecret': tf.sealedSecret, 'twoFactor.lastStep': { $lt: step } }, { $set: set });
    if (r.modifiedCount !== 1) return { ok: false, reason: 'replayed_code' };
    return { ok: true, method: 'totp', recoveryCodesLeft: tf.recoveryCodes.length };
  }

  /** New recovery codes replace all old ones; undefined when two-factor is off. */
  async regenerateRecoveryCodes(userId: string): Promise<string[] | undefined> {
    const codes = newRecoveryCodes();
    const r = await this.db.users.updateOne({ _id: userId, twoFactor: { $exists: true } }, { $set: { 'twoFactor.recoveryCodes': codes.map(recoveryCodeDigest), updatedAt: new Date() } });
    return r.modifiedCount === 1 ? codes : undefined;
  }

  /** Turns two-factor off (the user's own choice, or an administrator's reset). True when it was on. */
  async reset(userId: string): Promise<boolean> {
    const r = await this.db.users.updateOne({ _id: userId, twoFactor: { $exists: true } }, { $unset: { twoFactor: '' }, $set: { updatedAt: new Date() } });
    return r.modifiedCount === 1;
  }
}
