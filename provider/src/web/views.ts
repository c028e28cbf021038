// Server-rendered pages with Nunjucks (auto-escaping on).
import nunjucks from 'nunjucks';
import path from 'node:path';
import type { Config } from '../config';

export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  read: 'See your profile: name, username, email address, department and job title.',
  write: 'Act on your behalf in the connected application.',
  openid: 'Sign you in with your HRM account (your account id).',
  profile: 'See your name and username.',
  email: 'See your email address.',
  hr: 'See your department and job title.',
  hrm: 'See your HR record: photo, manager, employee number, employment status (incl. leave), department and team groups and roles; and look up your colleagues in the company directory.',
};

export function createViews(config: Config): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.join(__dirname, '..', 'views')), { autoescape: true, throwOnUndefined: false });
  env.addGlobal('productName', config.PRODUCT_NAME);
  env.addGlobal('organizationName', config.ORGANIZATION_NAME);
  env.addFilter('scopeText', (s: string) => SCOPE_DESCRIPTIONS[s] ?? `Use the "${s}" permission.`);
  env.addFilter('isoDay', (d: Date | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : ''));
  env.addFilter('date', (d: Date | undefined) => (d ? new Date(d).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—'));
  return env;
}
