// The waits after too many wrong codes, in the page's language (the same minutes as
// domain/two-factor/limiter.ts's English sentences, which the JSON answers keep).
import type { Translate } from '../../kernel/i18n/translator';

const minutesFrom = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

export function waitText(t: Translate, retryAfterSeconds: number): string {
  return t('auth:twoFactor.errors.wait', { count: minutesFrom(retryAfterSeconds) });
}

export function ipWaitText(t: Translate, retryAfterSeconds: number): string {
  return t('auth:twoFactor.errors.ipWait', { count: minutesFrom(retryAfterSeconds) });
}

export function lockedText(t: Translate, lockedUntil: Date, now: Date): string {
  return t('auth:twoFactor.errors.locked', { count: minutesFrom((lockedUntil.getTime() - now.getTime()) / 1000) });
}
