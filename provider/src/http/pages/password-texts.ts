// The password-strength words in the reader's language: the score labels and zxcvbn-ts's feedback
// sentences (kernel/security/password-strength.ts scores with the English sentences, which stay for
// logs; the pages show locales/<lang>/account.json `strength`). The browser's live meter gets the
// same sentences (feedbackForBrowser), so it and the server say the same thing.
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';
import type { Translate } from '../../kernel/i18n/translator';

/** "Very weak" … "Very strong" for a zxcvbn score 0–4. */
export function scoreLabel(t: Translate, score: number): string {
  const labels = [t('account:strength.labels.0'), t('account:strength.labels.1'), t('account:strength.labels.2'), t('account:strength.labels.3'), t('account:strength.labels.4')];
  return labels[Math.min(4, Math.max(0, Math.round(score)))];
}

// Every zxcvbn-ts sentence has a key (listed literally so the catalogue test sees them).
const WARNINGS = {
  straightRow: (t: Translate) => t('account:strength.feedback.warnings.straightRow'),
  keyPattern: (t: Translate) => t('account:strength.feedback.warnings.keyPattern'),
  simpleRepeat: (t: Translate) => t('account:strength.feedback.warnings.simpleRepeat'),
  extendedRepeat: (t: Translate) => t('account:strength.feedback.warnings.extendedRepeat'),
  sequences: (t: Translate) => t('account:strength.feedback.warnings.sequences'),
  recentYears: (t: Translate) => t('account:strength.feedback.warnings.recentYears'),
  dates: (t: Translate) => t('account:strength.feedback.warnings.dates'),
  topTen: (t: Translate) => t('account:strength.feedback.warnings.topTen'),
  topHundred: (t: Translate) => t('account:strength.feedback.warnings.topHundred'),
  common: (t: Translate) => t('account:strength.feedback.warnings.common'),
  similarToCommon: (t: Translate) => t('account:strength.feedback.warnings.similarToCommon'),
  wordByItself: (t: Translate) => t('account:strength.feedback.warnings.wordByItself'),
  namesByThemselves: (t: Translate) => t('account:strength.feedback.warnings.namesByThemselves'),
  commonNames: (t: Translate) => t('account:strength.feedback.warnings.commonNames'),
  userInputs: (t: Translate) => t('account:strength.feedback.warnings.userInputs'),
  pwned: (t: Translate) => t('account:strength.feedback.warnings.pwned'),
} as const;

const SUGGESTIONS = {
  l33t: (t: Translate) => t('account:strength.feedback.suggestions.l33t'),
  reverseWords: (t: Translate) => t('account:strength.feedback.suggestions.reverseWords'),
  allUppercase: (t: Translate) => t('account:strength.feedback.suggestions.allUppercase'),
  capitalization: (t: Translate) => t('account:strength.feedback.suggestions.capitalization'),
  dates: (t: Translate) => t('account:strength.feedback.suggestions.dates'),
  recentYears: (t: Translate) => t('account:strength.feedback.suggestions.recentYears'),
  associatedYears: (t: Translate) => t('account:strength.feedback.suggestions.associatedYears'),
  sequences: (t: Translate) => t('account:strength.feedback.suggestions.sequences'),
  repeated: (t: Translate) => t('account:strength.feedback.suggestions.repeated'),
  longerKeyboardPattern: (t: Translate) => t('account:strength.feedback.suggestions.longerKeyboardPattern'),
  anotherWord: (t: Translate) => t('account:strength.feedback.suggestions.anotherWord'),
  useWords: (t: Translate) => t('account:strength.feedback.suggestions.useWords'),
  noNeed: (t: Translate) => t('account:strength.feedback.suggestions.noNeed'),
  pwned: (t: Translate) => t('account:strength.feedback.suggestions.pwned'),
} as const;

type Texts = Record<string, (t: Translate) => string>;
const english = zxcvbnEnglish.translations as { warnings: Record<string, string>; suggestions: Record<string, string> };
const byEnglish = new Map<string, (t: Translate) => string>([
  ...Object.entries(english.warnings).flatMap(([k, v]) => (Object.hasOwn(WARNINGS, k) ? [[v, (WARNINGS as Texts)[k]] as const] : [])),
  ...Object.entries(english.suggestions).flatMap(([k, v]) => (Object.hasOwn(SUGGESTIONS, k) ? [[v, (SUGGESTIONS as Texts)[k]] as const] : [])),
]);

/** zxcvbn-ts's English feedback (server-side check) in the reader's language; unknown sentences stay. */
export function feedbackText(t: Translate, feedback: string[]): string[] {
  return feedback.map((sentence) => byEnglish.get(sentence)?.(t) ?? sentence);
}

/** The sentences for the browser's zxcvbn-ts (its `translations` warnings and suggestions), as JSON. */
export function feedbackForBrowser(t: Translate): string {
  const pick = (texts: Texts) => Object.fromEntries(Object.entries(texts).map(([k, f]) => [k, f(t)]));
  return JSON.stringify({ warnings: pick(WARNINGS), suggestions: pick(SUGGESTIONS) });
}
