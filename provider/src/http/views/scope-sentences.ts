// What each scope lets an application do, as a sentence a person understands (consent page,
// connected apps, device confirmation), in the page's language (locales/<lang>/consent.json,
// `scopes`). Unknown scopes (added to SCOPES by an administrator) get a plain fallback.
import { getTranslator, type Translate } from '../../kernel/i18n/translator';

const SCOPE_SENTENCES: Record<string, (t: Translate) => string> = {
  openid: (t) => t('consent:scopes.openid'),
  profile: (t) => t('consent:scopes.profile'),
  email: (t) => t('consent:scopes.email'),
  hr: (t) => t('consent:scopes.hr'),
  hrm: (t) => t('consent:scopes.hrm'),
  read: (t) => t('consent:scopes.read'),
  write: (t) => t('consent:scopes.write'),
};

const english = () => getTranslator().forLanguage('en');

export function scopeSentence(scope: string, t: Translate = english()): string {
  return Object.hasOwn(SCOPE_SENTENCES, scope) ? SCOPE_SENTENCES[scope](t) : t('consent:scopes.unknown', { scope });
}

/** The sentences for a list of scopes, without repeating one (read covers profile, for example). */
export function scopeSentences(scopes: string[], t: Translate = english()): Array<{ scope: string; sentence: string }> {
  const seen = new Set<string>();
  return scopes.flatMap((scope) => {
    const sentence = scopeSentence(scope, t);
    if (seen.has(sentence)) return [];
    seen.add(sentence);
    return [{ scope, sentence }];
  });
}
