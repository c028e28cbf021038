// Server-rendered pages with Nunjucks (auto-escaping on).
import nunjucks from 'nunjucks';
import path from 'node:path';
import type { Config } from '../../kernel/config';
import { scopeSentence, scopeSentences } from './scope-sentences';
import { plural } from '../../kernel/plural';
import { brandingGlobals } from './branding';

export function createViews(config: Config): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.join(__dirname, '..', '..', 'views')), { autoescape: true, throwOnUndefined: false });
  env.addGlobal('productName', config.PRODUCT_NAME);
  env.addGlobal('organizationName', config.ORGANIZATION_NAME);
  env.addFilter('isoDay', (d: Date | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : ''));
  env.addFilter('scopeText', scopeSentence);
  env.addFilter('scopeSentences', scopeSentences);
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
  env.addFilter('date', (d: Date | undefined) => (d ? new Date(d).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—'));
  return env;
}
