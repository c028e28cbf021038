// The message catalogues (provider/src/locales/<language>/<namespace>.json):
// - every complete language has every English key, with the plural forms its language needs
//   (Intl.PluralRules) and the same {{placeholders}}; no language has a key English lacks;
// - every key the code and templates use (t('ns:key') / tHtml('ns:key')) exists in English;
// - markup only in keys ending in _html, and only simple tags.
import fs from 'node:fs';
import path from 'node:path';
import { readCatalogues } from '../../provider/src/kernel/i18n/translator';
import { LANGUAGES } from '../../provider/src/kernel/i18n/languages';

const LOCALES = path.join(__dirname, '..', '..', 'provider', 'src', 'locales');
const catalogues = readCatalogues(LOCALES);
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Flattens {a: {b: 'x'}} into {'ns:a.b': 'x'}. */
function flatten(lang: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (prefix: string, v: unknown) => {
    if (typeof v === 'string') out.set(prefix, v);
    else if (v && typeof v === 'object') for (const [k, child] of Object.entries(v)) walk(prefix.endsWith(':') ? `${prefix}${k}` : `${prefix}.${k}`, child);
    else throw new Error(`${lang} ${prefix}: values must be strings or objects`);
  };
  for (const [ns, messages] of Object.entries(catalogues[lang] ?? {})) walk(`${ns}:`, messages);
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();
const baseKey = (k: string) => k.replace(PLURAL_SUFFIX, '');
const english = flatten('en');
const englishBases = new Map<string, string[]>();
for (const [k, v] of english) englishBases.set(baseKey(k), [...new Set([...(englishBases.get(baseKey(k)) ?? []), ...placeholders(v)])].sort());
const pluralBases = new Set([...english.keys()].filter((k) => PLURAL_SUFFIX.test(k)).map(baseKey));

describe('message catalogues', () => {
  test('English has catalogues and every language folder exists', () => {
    expect(english.size).toBeGreaterThan(10);
    for (const l of LANGUAGES) expect(fs.existsSync(path.join(LOCALES, l.code))).toBe(true);
  });

  for (const language of LANGUAGES.filter((l) => l.code !== 'en')) {
    test(`${language.code}: ${language.complete ? 'every English key, the plural forms it needs' : 'partial, but only English keys'} and the same placeholders`, () => {
      const messages = flatten(language.code);
      const problems: string[] = [];
      const categories = new Intl.PluralRules(language.code).resolvedOptions().pluralCategories;
      for (const [key, value] of messages) {
        const base = baseKey(key);
        if (!englishBases.has(base) && !english.has(key)) problems.push(`${key}: not an English key (remove it or add it to en)`);
        else if (placeholders(value).some((p) => !(englishBases.get(base) ?? []).includes(p))) problems.push(`${key}: placeholders ${placeholders(value)} not in English's ${englishBases.get(base)}`);
      }
      if (language.complete) {
        for (const [key, value] of english) {
          if (pluralBases.has(baseKey(key))) continue;
          if (!messages.has(key)) problems.push(`${key}: missing (English: "${value}")`);
          else if (placeholders(messages.get(key)!).join() !== placeholders(value).join()) problems.push(`${key}: placeholders differ from English`);
        }
        for (const base of pluralBases) {
          for (const category of categories) {
            // i18next falls back to _other for a category a catalogue leaves out only when told;
            // a translator must write each form the language has.
            if (!messages.has(`${base}_${category}`)) problems.push(`${base}_${category}: missing plural form for ${language.code}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }

  test('English has the plural forms English needs', () => {
    const problems = [...pluralBases].flatMap((base) => ['one', 'other'].filter((c) => !english.has(`${base}_${c}`)).map((c) => `${base}_${c}`));
    expect(problems).toEqual([]);
  });

  test('every key used in the code and templates exists in English', () => {
    const roots = ['provider/src'].map((r) => path.join(__dirname, '..', '..', r));
    const used = new Map<string, string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.(ts|njk)$/.test(entry.name)) {
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/\b(?:t|tHtml)\(\s*'([\w-]+:[\w.-]+)'/g)) used.set(m[1], path.relative(process.cwd(), p));
        }
      }
    };
    roots.forEach(walk);
    expect(used.size).toBeGreaterThan(5);
    const missing = [...used].filter(([key]) => !english.has(key) && !pluralBases.has(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  test('markup only in _html keys, and only simple tags', () => {
    const problems: string[] = [];
    for (const l of LANGUAGES) {
      for (const [key, value] of flatten(l.code)) {
        const tags = [...value.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)];
        if (!tags.length) continue;
        if (!baseKey(key).endsWith('_html')) problems.push(`${l.code} ${key}: has markup but the key does not end in _html`);
        for (const [, tag, attrs] of tags) {
          if (!['strong', 'em', 'code', 'a', 'br', 'kbd'].includes(tag.toLowerCase())) problems.push(`${l.code} ${key}: <${tag}> is not allowed`);
          if (/\bon\w+=|javascript:|style=/i.test(attrs)) problems.push(`${l.code} ${key}: attribute not allowed (${attrs.trim()})`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
