// What the consent page shows about an application besides its name: a logo (an https image —
// pages load no insecure images) and its home page (https, or http for local development).
// One set of rules for the admin page, the CLI and dynamic client registration.
import { z } from 'zod';

export const logoUriSchema = z.union([z.literal(''), z.string().url().max(500).refine((u) => u.startsWith('https://'), 'The logo URL must start with https:// (pages load no insecure images).')]);
export const homePageUriSchema = z.union([z.literal(''), z.string().url().max(500).refine((u) => /^https?:\/\//.test(u), 'The home page must be an http(s) URL.')]);

export type AppearanceCheck = { ok: true; logoUri?: string; homePageUri?: string } | { ok: false; message: string };

/** Checks the given fields ('' clears one, undefined leaves it); messages are sentences. */
export function checkAppearance(input: { logoUri?: string; homePageUri?: string }): AppearanceCheck {
  const messages: string[] = [];
  const one = (schema: typeof logoUriSchema, value: string | undefined) => {
    if (value === undefined) return undefined;
    const r = schema.safeParse(value.trim());
    if (r.success) return r.data;
    messages.push(...r.error.issues.map((i) => (i.message === 'Invalid url' ? `"${value}" is not a complete URL such as https://app.example.com/logo.png.` : i.message)));
    return undefined;
  };
  const logoUri = one(logoUriSchema, input.logoUri);
  const homePageUri = one(homePageUriSchema, input.homePageUri);
  return messages.length ? { ok: false, message: messages.join(' ') } : { ok: true, logoUri, homePageUri };
}
