// A second factor is an authenticator app (TOTP, on the user document) or at least one passkey.
// Both count for TWO_FACTOR_REQUIRED; an administrator's reset removes both.
import type { UserDoc } from '../../db/schema';
import type { PasskeyStore } from '../../store/passkeys';
import type { TwoFactorStore } from '../../store/two-factor';

/** Whether the account has any second factor (TOTP or a passkey). */
export async function hasSecondFactor(user: Pick<UserDoc, '_id' | 'twoFactor'>, passkeys: PasskeyStore): Promise<boolean> {
  return Boolean(user.twoFactor) || (await passkeys.count(user._id)) > 0;
}

export interface SecondFactorReset {
  /** The authenticator app (and its recovery codes) was on and is now off. */
  totp: boolean;
  /** Passkeys removed. */
  passkeys: number;
  /** Anything was removed. */
  changed: boolean;
}

/** Turns off TOTP and removes every passkey (lost devices). The caller audits. */
export async function resetSecondFactors(userId: string, twoFactor: TwoFactorStore, passkeys: PasskeyStore): Promise<SecondFactorReset> {
  const totp = await twoFactor.reset(userId);
  const removed = await passkeys.removeAll(userId);
  return { totp, passkeys: removed, changed: totp || removed > 0 };
}
