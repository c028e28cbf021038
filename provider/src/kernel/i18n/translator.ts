// Message catalogues (i18next) for pages, mails and the user-facing CLI messages. Files live in
// provider/src/locales/<language>/<namespace>.json, one namespace per group of pages, so a
// translator edits plain JSON. Keys are `namespace:dotted.key`; plurals use i18next's
// `_one`/`_other` (…`_zero`/`_two`/`_few`/`_many` where the language has them, per Intl.PluralRules).
// Values are plain text: Nunjucks escapes them. A key ending in `_html` may hold markup; its
// interpolated values are escaped and the result is marked safe (see http/views/views.ts).
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { LANGUAGE_CODES, LANGUAGES } from './languages';

/** Where the catalogues are: next to the compiled code in dist/, or in src/ under ts-node/tsx. */
export const LOCALES_DIR = path.join(__dirname, '..', '..', 'locales');

export type Translate = TFunction;

export interface Translator {
  /** A translate function bound to one language. */
  forLanguage(code: string): Translate;
  /** Every namespace found on disk (for tests and tools). */
  namespaces: string[];
}

export type Catalogue = Record<string, Record<string, unknown>>;

/** Reads every catalogue file of every shipped language: { lang: { namespace: messages } }. */
export function readCatalogues(dir = LOCALES_DIR): Record<string, Catalogue> {
  const out: Record<string, Catalogue> = {};
  for (const code of LANGUAGE_CODES) {
    out[code] = {};
    const langDir = path.join(dir, code);
    if (!fs.existsSync(langDir)) continue;
    for (const file of fs.readdirSync(langDir).filter((f) => f.endsWith('.json')).sort()) {
      out[code][file.slice(0, -'.json'.length)] = JSON.parse(fs.readFileSync(path.join(langDir, file), 'utf8'));
    }
  }
  return out;
}

let shared: Translator | undefined;

/** One i18next instance for the process (catalogues are read once, synchronously, at start). */
export function getTranslator(): Translator {
  if (shared) return shared;
  const catalogues = readCatalogues();
  const namespaces = [...new Set(Object.values(catalogues).flatMap((c) => Object.keys(c)))].sort();
  const instance: i18n = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources: catalogues,
    supportedLngs: [...LANGUAGE_CODES],
    lng: 'en',
    fallbackLng: 'en',
    ns: namespaces,
    defaultNS: 'common',
    // Nunjucks escapes what t() returns; escaping here too would double it.
    interpolation: { escapeValue: false },
    returnNull: false,
    load: 'currentOnly',
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  const bound = new Map(LANGUAGES.map((l) => [l.code, instance.getFixedT(l.code)] as const));
  shared = {
    namespaces,
    forLanguage: (code) => bound.get(code) ?? bound.get('en')!,
  };
  return shared;
}
