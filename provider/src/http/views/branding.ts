// Branding from configuration (config.ts: ORGANIZATION_NAME, LOGO_URL, FAVICON_URL, ACCENT_COLOR,
// SUPPORT_CONTACT): template globals, and two tiny generated assets — theme.css with the accent
// colour (the CSP forbids inline styles) and a default favicon in that colour.
import { Router } from 'express';
import type { Config } from '../../kernel/config';
import { issuerWarning } from './issuer-warning';

const PLACEHOLDER_ORGANIZATION = 'Your organisation';

/** mailto:/tel:/https: link for the support contact, or undefined when it is plain text. */
export function supportHref(contact: string | undefined): string | undefined {
  if (!contact) return undefined;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) return `mailto:${contact}`;
  if (/^https:\/\//.test(contact)) return contact;
  if (/^\+?[\d\s()-]{6,}$/.test(contact)) return `tel:${contact.replace(/[^\d+]/g, '')}`;
  return undefined;
}

export function brandingGlobals(config: Config): Record<string, unknown> {
  return {
    logoUrl: config.LOGO_URL,
    faviconUrl: config.FAVICON_URL ?? '/static/favicon.svg',
    supportContact: config.SUPPORT_CONTACT,
    supportHref: supportHref(config.SUPPORT_CONTACT),
    /** The organisation's name, or undefined while ORGANIZATION_NAME is the placeholder. */
    organizationLabel: config.ORGANIZATION_NAME === PLACEHOLDER_ORGANIZATION ? undefined : config.ORGANIZATION_NAME,
    // A function: tests and the server may settle the issuer after the views are created.
    issuerWarning: () => issuerWarning(config.issuer),
  };
}

/** Relative luminance (WCAG 2.x) of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** White or near-black text on the accent colour, whichever contrasts more. */
export function textOnAccent(hex: string): string {
  const l = luminance(hex);
  return (1.05 / (l + 0.05) >= (l + 0.05) / 0.05) ? '#ffffff' : '#111418';
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
