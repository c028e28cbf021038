// The languages the pages and mails ship in. `complete` ones must have every key of English
// (test/i18n/keys.test.ts fails otherwise); a partial one falls back to English key by key.
export interface Language {
  code: string;
  /** The language's own name, shown in the language switch. */
  nativeName: string;
  dir: 'ltr' | 'rtl';
  complete: boolean;
}

export const LANGUAGES: readonly Language[] = [
  { code: 'en', nativeName: 'English', dir: 'ltr', complete: true },
  { code: 'de', nativeName: 'Deutsch', dir: 'ltr', complete: true },
  { code: 'es', nativeName: 'Español', dir: 'ltr', complete: true },
  { code: 'fr', nativeName: 'Français', dir: 'ltr', complete: true },
  { code: 'pt-BR', nativeName: 'Português (Brasil)', dir: 'ltr', complete: true },
  // Partial on purpose: proves right-to-left layout; untranslated keys show in English.
  { code: 'ar', nativeName: 'العربية', dir: 'rtl', complete: false },
];

export const LANGUAGE_CODES: readonly string[] = LANGUAGES.map((l) => l.code);

/** The supported code for `value` (case-insensitive, e.g. `pt-br` → `pt-BR`), or undefined. */
export function supportedLanguage(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 20) return undefined;
  const lower = value.toLowerCase();
  return LANGUAGE_CODES.find((code) => code.toLowerCase() === lower);
}

export function languageDirection(code: string): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}
