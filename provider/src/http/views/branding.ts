// Branding from configuration (config.ts: ORGANIZATION_NAME, LOGO_URL, FAVICON_URL, ACCENT_COLOR,
// SUPPORT_CONTACT): template globals, and two tiny generated assets — theme.css with the accent
// colour (the CSP forbids inline styles) and a default favicon in that colour.
import { Router } from 'express';
import type { Config } from '../../kernel/config';
import { issuerProblem, issuerWarning } from './issuer-warning';
import { luminance, organizationLabel, supportHref, textOnAccent } from '../../kernel/brand';

export { supportHref, textOnAccent } from '../../kernel/brand';

export function brandingGlobals(config: Config): Record<string, unknown> {
  return {
    logoUrl: config.LOGO_URL,
    faviconUrl: config.FAVICON_URL ?? '/static/favicon.svg',
    supportContact: config.SUPPORT_CONTACT,
    supportHref: supportHref(config.SUPPORT_CONTACT),
    /** The organisation's name, or undefined while ORGANIZATION_NAME is the placeholder. */
    organizationLabel: organizationLabel(config),
    // A function: tests and the server may settle the issuer after the views are created.
    issuerWarning: () => issuerWarning(config.issuer),
    // The same as a code, for pages that say it in the reader's language (views/admin/base.njk).
    issuerProblem: () => issuerProblem(config.issuer),
  };
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
}

/** The accent mixed with white until it reads on the dark background (WCAG AA, 4.5:1, with margin). */
export function linkOnDark(hex: string, background = '#1d2127'): string {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  for (let w = 0; w <= 1; w += 0.05) {
    const mixed = `#${channels.map((c) => Math.round(c + (255 - c) * w).toString(16).padStart(2, '0')).join('')}`;
    if (contrast(mixed, background) >= 6) return mixed;
  }
  return '#ffffff';
}

export function brandingAssets(config: Config) {
  const router = Router();
  const accent = config.ACCENT_COLOR.toLowerCase();
  const theme = `:root { --accent: ${accent}; --on-accent: ${textOnAccent(accent)}; --link-dark: ${linkOnDark(accent)}; }\n`;
  const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="${accent}"/><path d="M10 9v14M22 9v14M10 16h12" stroke="${textOnAccent(accent)}" stroke-width="3.2" stroke-linecap="round"/></svg>`;
  router.get('/static/theme.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(theme);
  });
  router.get('/static/favicon.svg', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('image/svg+xml').send(favicon);
  });
  return router;
}
