// The password-strength words in the reader's language (kernel/security/password-strength.ts
// scores; its English SCORE_LABELS stay for logs and the API).
import type { Translate } from '../../kernel/i18n/translator';

/** "Very weak" … "Very strong" for a zxcvbn score 0–4. */
export function scoreLabel(t: Translate, score: number): string {
  const labels = [t('account:strength.labels.0'), t('account:strength.labels.1'), t('account:strength.labels.2'), t('account:strength.labels.3'), t('account:strength.labels.4')];
  return labels[Math.min(4, Math.max(0, Math.round(score)))];
}
