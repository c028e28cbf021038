// The client pages' words in the admin's language: preset names and explanations (the presets
// themselves are domain data in store/clients.ts, identified by id), the facts on a client's page,
// and the form's problems. Form input is checked here, in the admin's words, before the store
// checks it again (same rules as store/clients.ts): the store's own English messages remain for
// anything this check does not foresee.
import type { ClientDoc, ClientPreset } from '../../../db/schema';
import type { Config } from '../../../kernel/config';
import type { Translate } from '../../../kernel/i18n/translator';
import { lifetimesFor } from '../../../domain/oauth/lifetimes';
import { AppError } from '../../../kernel/errors';

export function presetLabels(t: Translate): Record<ClientPreset, string> {
  return {
    'rocketchat-login': t('admin-clients:presets.rocketchatLogin.label'),
    'rocketchat-wordpress': t('admin-clients:presets.rocketchatWordpress.label'),
    'rocketchat-app': t('admin-clients:presets.rocketchatApp.label'),
    generic: t('admin-clients:presets.generic.label'),
    'oidc-web': t('admin-clients:presets.oidcWeb.label'),
  };
}

export function presetHelp(t: Translate): Record<ClientPreset, string> {
  return {
    'rocketchat-login': t('admin-clients:presets.rocketchatLogin.help', { redirect: '<Site_Url>/_oauth/hrm' }),
    'rocketchat-wordpress': t('admin-clients:presets.rocketchatWordpress.help', { redirect: '<Site_Url>/_oauth/wordpress' }),
    'rocketchat-app': t('admin-clients:presets.rocketchatApp.help'),
    generic: t('admin-clients:presets.generic.help'),
    'oidc-web': t('admin-clients:presets.oidcWeb.help'),
  };
}

/** Facts shown on the client page: what the preset switched on, in words. */
export function flagRows(t: Translate, c: ClientDoc, config: Config) {
  const l = lifetimesFor(c, config);
  return [
    { label: t('admin-clients:flags.lifetimes'), value: t('admin-clients:flags.lifetimesValue', { access: l.accessSeconds, idle: l.refreshIdleSeconds, absolute: l.refreshAbsoluteSeconds }) },
    { label: t('admin-clients:flags.queryAccessToken'), value: c.allowQueryAccessToken ? t('admin-clients:flags.queryAccessTokenOn') : t('admin-clients:flags.queryAccessTokenOff') },
    { label: t('admin-clients:flags.type'), value: c.type === 'confidential' ? t('admin-clients:flags.confidential') : t('admin-clients:flags.public') },
    { label: t('admin-clients:flags.grants'), value: c.grants.join(', ') },
    { label: t('admin-clients:flags.queryCredentials'), value: c.allowQueryCredentials ? t('admin-clients:flags.acceptedAppsEngine') : t('admin-clients:flags.refused') },
    { label: t('admin-clients:flags.tokenOnlyRevocation'), value: c.allowTokenOnlyRevocation ? t('admin-clients:flags.acceptedAppsEngine') : t('admin-clients:flags.refused') },
    {
      label: t('admin-clients:flags.consent'),
      value: c.alwaysAskConsent ? t('admin-clients:flags.consentAlways') : c.honourPromptConsent === false ? t('admin-clients:flags.consentIgnorePrompt') : t('admin-clients:flags.consentPrompt'),
    },
  ];
}

const MAX_LIFETIME = 10 * 365 * 24 * 3600;

export interface ClientFormInput {
  name: string;
  redirectUris: string[];
  /** The client (or the preset) uses the authorization code grant: a redirect URI is required. */
  needsRedirect: boolean;
  lifetimes: { accessTokenLifetime: string; refreshIdleTimeout: string; refreshAbsoluteLifetime: string };
}

/** The first problem of a client form, in the admin's language, or undefined when it is fine. */
export function clientFormProblem(t: Translate, input: ClientFormInput): string | undefined {
  const fields = { accessTokenLifetime: t('admin-clients:lifetimes.access'), refreshIdleTimeout: t('admin-clients:lifetimes.idle'), refreshAbsoluteLifetime: t('admin-clients:lifetimes.absolute') };
  for (const [key, raw] of Object.entries(input.lifetimes) as Array<[keyof typeof fields, string]>) {
    if (raw === '') continue;
    if (!/^\d+$/.test(raw)) return t('admin-clients:errors.lifetimeWhole');
    if (Number(raw) < 60) return t('admin-clients:errors.lifetimeMin', { field: fields[key] });
    if (Number(raw) > MAX_LIFETIME) return t('admin-clients:errors.lifetimeMax', { field: fields[key] });
  }
  const name = input.name.trim();
  if (!name || name.length > 100) return t('admin-clients:errors.name');
  for (const uri of input.redirectUris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return t('admin-clients:errors.redirectNotAbsolute', { uri });
    }
    if (url.hash) return t('admin-clients:errors.redirectFragment', { uri });
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return t('admin-clients:errors.redirectScheme', { uri });
  }
  if (input.needsRedirect && input.redirectUris.length === 0) return t('admin-clients:errors.redirectRequired');
  return undefined;
}

/** A store error the form check did not foresee: its English message, introduced in the admin's language. */
export function unforeseenProblem(t: Translate, err: unknown): string | undefined {
  return err instanceof AppError ? t('admin-clients:errors.other', { message: err.message }) : undefined;
}
