// Branding facts shared by the pages (http/views/branding.ts) and the mails (domain/mail/render.ts):
// the organisation's label, the support contact as a link, readable text on the accent colour.
import type { Config } from './config';

const PLACEHOLDER_ORGANIZATION = 'Your organisation';

/** The organisation's name, or undefined while ORGANIZATION_NAME is the placeholder. */
export function organizationLabel(config: Pick<Config, 'ORGANIZATION_NAME'>): string | undefined {
  return config.ORGANIZATION_NAME === PLACEHOLDER_ORGANIZATION ? undefined : config.ORGANIZATION_NAME;
}

/** mailto:/tel:/https: link for the support contact, or undefined when it is plain text. */
export function supportHref(contact: string | undefined): string | undefined {
  if (!contact) return undefined;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) return `mailto:${contact}`;
  if (/^https:\/\//.test(contact)) return contact;
  if (/^\+?[\d\s()-]{6,}$/.test(contact)) return `tel:${contact.replace(/[^\d+]/g, '')}`;
  return undefined;
}

/** Relative luminance (WCAG 2.x) of #rrggbb. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** White or near-black text on the accent colour, whichever contrasts more. */
export function textOnAccent(hex: string): string {
  const l = luminance(hex);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#111418';
}
