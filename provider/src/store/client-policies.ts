// Per-preset policies that are not about tokens: when the consent page must show, and which
// redirect URI variants Rocket.Chat clients need registered (exact matching stays).
import type { ClientDoc, ClientPreset } from '../db/schema';

export interface ConsentPolicy {
  /**
   * Show the consent page on every authorization, remembered consent and skipAuthorization
   * notwithstanding. The HRM SSO app's client sets it: linking a chat account to an HRM
   * account must never happen without the HRM user seeing it (issue 9.C).
   */
  alwaysAskConsent: boolean;
  /**
   * `prompt=consent` (OpenID Connect) shows the consent page even when the client skips consent
   * or the user already agreed. Rocket.Chat's passport flow asks for prompt=consent on every
   * login (passport-oauth2 1.8 does not forward it yet); for a login client an admin marked as
   * trusted ("skip consent") that would show a consent page at each sign-in, so the Rocket.Chat
   * login presets ignore it. Generic clients honour it.
   */
  honourPromptConsent: boolean;
  /** Also register `<uri>?close` for each redirect URI (Rocket.Chat's mobile app variant). */
  closeRedirectVariant: boolean;
}

export const PRESET_POLICIES: Record<ClientPreset, ConsentPolicy> = {
  'rocketchat-login': { alwaysAskConsent: false, honourPromptConsent: false, closeRedirectVariant: true },
  'rocketchat-wordpress': { alwaysAskConsent: false, honourPromptConsent: false, closeRedirectVariant: true },
  'rocketchat-app': { alwaysAskConsent: true, honourPromptConsent: true, closeRedirectVariant: false },
  generic: { alwaysAskConsent: false, honourPromptConsent: true, closeRedirectVariant: false },
  'oidc-web': { alwaysAskConsent: false, honourPromptConsent: true, closeRedirectVariant: false },
};

/** The URIs plus their `?close` variants (for URIs without a query of their own). */
export function withCloseVariants(uris: string[]): string[] {
  const out: string[] = [];
  for (const uri of uris) {
    out.push(uri);
    if (!uri.includes('?')) out.push(`${uri}?close`);
  }
  return [...new Set(out)];
}

/** Must the consent page show, whatever was remembered or configured to skip? */
export function consentRequired(client: Pick<ClientDoc, 'alwaysAskConsent' | 'honourPromptConsent'>, prompt: unknown): boolean {
  if (client.alwaysAskConsent) return true;
  const asked = typeof prompt === 'string' && prompt.split(' ').includes('consent');
  // Clients stored before the flag existed honour prompt=consent, as OpenID Connect says.
  return asked && client.honourPromptConsent !== false;
}
