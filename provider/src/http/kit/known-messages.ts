// Sentences made below the http layer (domain validation, passkey checks) reach pages in English.
// Each caller lists the catalogue keys that can say them; the English catalogue text of a key,
// with its {{placeholders}} as wildcards, is matched against the sentence, and the page gets the
// key in its own language with the same values. A sentence no key matches stays as it is.
import { getTranslator, type Translate } from '../../kernel/i18n/translator';

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const patterns = new Map<string, RegExp | null>();

function patternFor(key: string): RegExp | null {
  let p = patterns.get(key);
  if (p !== undefined) return p;
  const english = getTranslator().forLanguage('en');
  const text = english(key, { skipInterpolation: true, defaultValue: '' }) as string;
  if (!text) p = null;
  else {
    const names: string[] = [];
    const source = text
      .split(PLACEHOLDER)
      .map((part, i) => (i % 2 ? (names.includes(part) ? `\\k<${part}>` : (names.push(part), `(?<${part}>[\\s\\S]+?)`)) : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    p = new RegExp(`^${source}$`);
  }
  patterns.set(key, p);
  return p;
}

/** `message` in the page's language when one of `keys` says it in English (plural keys: give the base key). */
export function translateKnown(t: Translate, message: string, keys: readonly string[]): string {
  for (const key of keys) {
    for (const form of [key, `${key}_one`, `${key}_other`]) {
      const m = patternFor(form)?.exec(message);
      if (!m) continue;
      const values: Record<string, unknown> = { ...m.groups };
      if (values.count !== undefined) values.count = Number(values.count);
      return t(key, values) as string;
    }
  }
  return message;
}
