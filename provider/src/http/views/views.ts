// Server-rendered pages with Nunjucks (auto-escaping on).
import nunjucks from 'nunjucks';
import path from 'node:path';
import type { Config } from '../../kernel/config';
import { scopeSentence, scopeSentences } from './scope-sentences';
import { plural } from '../../kernel/plural';
import { brandingGlobals } from './branding';
import { getTranslator, type Translate } from '../../kernel/i18n/translator';
import { formatDateTime, formatDay } from '../../kernel/i18n/format';

/** The language of the page being rendered (set per request by http/middleware/language.ts). */
function pageLanguage(self: unknown): string {
  const ctx = (self as { ctx?: { lang?: unknown } } | undefined)?.ctx;
  return typeof ctx?.lang === 'string' ? ctx.lang : 'en';
}

export function createViews(config: Config): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.join(__dirname, '..', '..', 'views')), { autoescape: true, throwOnUndefined: false });
  env.addGlobal('productName', config.PRODUCT_NAME);
  env.addGlobal('organizationName', config.ORGANIZATION_NAME);
  // English until the language middleware has run (e.g. a form body refused before it): every page
  // can call t(). Per request, res.locals.t / lang / dir override these.
  env.addGlobal('t', getTranslator().forLanguage('en'));
  env.addGlobal('lang', 'en');
  env.addGlobal('dir', 'ltr');
  // A key ending in _html may hold markup (trusted catalogue text); its values are escaped here.
  env.addGlobal('tHtml', function (this: unknown, key: string, values: Record<string, unknown> = {}) {
    const ctx = (this as { ctx?: { t?: (k: string, o: object) => string } }).ctx;
    const t = ctx?.t ?? getTranslator().forLanguage('en');
    // Nunjucks' own escaper (& < > " '), so a URL value reads the same as in a {{ }} expression.
    const text = t(key, { ...values, interpolation: { escapeValue: true, escape: (v: unknown) => (nunjucks.lib as unknown as { escape(s: string): string }).escape(String(v)) } });
    return key.endsWith('_html') ? new nunjucks.runtime.SafeString(text) : text;
  });
  env.addFilter('localDay', function (this: unknown, d: Date | undefined) {
    return formatDay(d, pageLanguage(this));
  });
  env.addFilter('isoDay', (d: Date | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : ''));
  // Scope sentences in the page's language (the request's t, set by the language middleware).
  const pageT = (self: unknown) => (self as { ctx?: { t?: Translate } } | undefined)?.ctx?.t;
  env.addFilter('scopeText', function (this: unknown, scope: string) {
    return scopeSentence(scope, pageT(this));
  });
  env.addFilter('scopeSentences', function (this: unknown, scopes: string[]) {
    return scopeSentences(scopes, pageT(this));
  });
  env.addFilter('plural', (n: number, one: string, many: string) => plural(Number(n) || 0, one, many));
  for (const [name, value] of Object.entries(brandingGlobals(config))) env.addGlobal(name, value);
  env.addGlobal('isRocketChatPreset', (preset: string) => typeof preset === 'string' && preset.startsWith('rocketchat-'));
  env.addFilter('host', (u: string) => {
    try {
      return new URL(u).host;
    } catch {
      return u;
    }
  });
  // Dates in the page's language, in UTC (the zone is named).
  env.addFilter('date', function (this: unknown, d: Date | undefined) {
    return formatDateTime(d, pageLanguage(this));
  });
  return env;
}
