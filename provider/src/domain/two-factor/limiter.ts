// Guessing limit for two-factor codes: wrong codes per account per window (TWO_FACTOR_RATE_LIMIT),
// shared by the sign-in step, set-up confirmation and turning two-factor off. A slot is taken
// before each check and the counter is reset by a correct code (as for passwords).
import type { Config } from '../../kernel/config';
import type { Database } from '../../db/connect';
import { SlotLimiter } from '../../store/rate-limits';
import { plural } from '../../kernel/plural';

export function twoFactorLimiter(config: Config, db: Database, now?: () => number): SlotLimiter {
  return new SlotLimiter(db, { prefix: 'two-factor:', limit: config.TWO_FACTOR_RATE_LIMIT, windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000, leases: false, now });
}

/** Wrong second-step codes per client IP per window (TWO_FACTOR_IP_RATE_LIMIT): one address guessing across many pending accounts. */
export function twoFactorIpLimiter(config: Config, db: Database, now?: () => number): SlotLimiter {
  return new SlotLimiter(db, { prefix: 'two-factor-ip:', limit: config.TWO_FACTOR_IP_RATE_LIMIT, windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000, leases: true, now });
}

export function ipWaitMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many wrong codes from your network. Wait ${plural(minutes, 'minute', 'minutes')} and try again.`;
}

export function waitMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many wrong codes. Wait ${plural(minutes, 'minute', 'minutes')} and try again.`;
}

/** The account's second step is locked (store/two-factor-lockouts.ts) for browsers it does not know. */
export function lockedMessage(lockedUntil: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60000));
  return `Too many wrong codes. This account's second step is locked: wait ${plural(minutes, 'minute', 'minutes')} and try again, or sign in from a browser you used before.`;
}
