// The values an administrator pastes into Rocket.Chat for a client: the Custom OAuth form for a
// "Rocket.Chat login" client, or the HRM SSO app's settings for a "Rocket.Chat app" client.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type Config } from '../../kernel/config';
import type { ClientDoc } from '../../db/schema';

export interface ConnectValue {
  id: string;
  label: string;
  value: string;
  /** Copy button offered (free-text values, not choices from a drop-down). */
  copy: boolean;
  note?: string;
  secret?: boolean;
}

/** Where Rocket.Chat (6.x and later) keeps its OAuth settings; the page and the docs both say this. */
export const OAUTH_SETTINGS_PATH = 'Administration → Workspace → Settings → OAuth';

/** The name given to the custom OAuth service in Rocket.Chat: it fixes the callback path. */
export const CUSTOM_OAUTH_NAME = 'hrm';
/** Rocket.Chat's built-in WordPress provider: its callback path is fixed. */
export const WORDPRESS_SERVICE = 'wordpress';

let cachedAppId: string | null | undefined;
/** The HRM SSO app's id, read from the app manifest shipped in this repository when present. */
export function hrmAppId(): string | undefined {
  if (cachedAppId === undefined) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'app.json'), 'utf8')) as { id?: unknown };
      cachedAppId = typeof manifest.id === 'string' ? manifest.id : null;
    } catch {
      cachedAppId = null;
    }
  }
  return cachedAppId ?? undefined;
}

export function expectedRedirectPath(client: ClientDoc): string {
  if (client.preset === 'rocketchat-app') return `/api/apps/public/${hrmAppId() ?? '<appId>'}/hrm-callback`;
  if (client.preset === 'rocketchat-wordpress') return `/_oauth/${WORDPRESS_SERVICE}`;
  return `/_oauth/${CUSTOM_OAUTH_NAME}`;
}

/** `<Site_Url>/_oauth/hrm` or `<Site_Url>/api/apps/public/<appId>/hrm-callback`. */
export function expectedRedirectTemplate(client: ClientDoc): string {
  return `<Site_Url>${expectedRedirectPath(client)}`;
}

/** The exact redirect URI for a given Rocket.Chat Site URL, or undefined if it is not a URL. */
export function expectedRedirectFor(client: ClientDoc, siteUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(siteUrl.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return base + expectedRedirectPath(client);
}

/** Registered redirect URIs that have the path Rocket.Chat will use for this kind of client. */
export function matchingRedirectUris(client: ClientDoc): string[] {
  const suffix = expectedRedirectPath(client);
  return client.redirectUris.filter((u) => u.endsWith(suffix) || u.endsWith(`${suffix}?close`));
}

/** One `OVERWRITE_SETTING_<id>=<value>` line per setting, for Rocket.Chat's docker compose environment. */
export function overwriteSettingLines(client: ClientDoc, config: Config): string[] {
  const secret = client.type === 'public' ? '' : '<client secret>';
  const scope = scopeValue(config);
  if (client.preset === 'rocketchat-wordpress') {
    return [
      `OVERWRITE_SETTING_API_Wordpress_URL=${config.issuer}`,
      'OVERWRITE_SETTING_Accounts_OAuth_Wordpress=true',
      `OVERWRITE_SETTING_Accounts_OAuth_Wordpress_id=${client._id}`,
      `OVERWRITE_SETTING_Accounts_OAuth_Wordpress_secret=${secret}`,
      'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_server_type=custom',
      'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_identity_path=/api/v2/o/userinfo/',
      'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_identity_token_sent_via=header',
      'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_token_path=/o/token/',
      'OVERWRITE_SETTING_Accounts_OAuth_Wordpress_authorize_path=/o/authorize/',
      `OVERWRITE_SETTING_Accounts_OAuth_Wordpress_scope=${scope}`,
    ];
  }
  if (client.preset === 'rocketchat-app') return [];
  const p = `OVERWRITE_SETTING_Accounts_OAuth_Custom-${CUSTOM_OAUTH_NAME.charAt(0).toUpperCase()}${CUSTOM_OAUTH_NAME.slice(1)}`;
  return [
    `${p}=true`,
    `${p}-url=${config.issuer}`,
    `${p}-token_path=/o/token/`,
    `${p}-token_sent_via=header`,
    `${p}-identity_token_sent_via=header`,
    `${p}-identity_path=/api/v2/o/userinfo/`,
    `${p}-authorize_path=/o/authorize/`,
    `${p}-scope=${scope}`,
    `${p}-access_token_param=access_token`,
    `${p}-id=${client._id}`,
    `${p}-secret=${secret}`,
    `${p}-login_style=redirect`,
    `${p}-key_field=username`,
    `${p}-username_field=username`,
    `${p}-email_field=email`,
    `${p}-name_field=name`,
    `${p}-merge_users=true`,
  ];
}

function scopeValue(config: Config): string {
  return config.scopes.includes('read') && config.scopes.includes('write') ? 'read write' : config.scopes.join(' ');
}

const SECRET_HIDDEN = '(shown only once, when the client is created or its secret is rotated)';

export function connectValues(client: ClientDoc, config: Config, secret?: string): ConnectValue[] {
  const issuer = config.issuer;
  const secretValue = client.type === 'public' ? '(public client: no secret)' : secret ?? SECRET_HIDDEN;
  const secretCopy = !!secret;
  if (client.preset === 'rocketchat-app') {
    return [
      { id: 'provider-url', label: 'HRM provider URL', value: issuer, copy: true, note: 'App setting “HRM provider URL”.' },
      { id: 'client-id', label: 'Client ID', value: client._id, copy: true, note: 'App setting “Client ID” (hrm-oauth-client-id).' },
      { id: 'client-secret', label: 'Client Secret', value: secretValue, copy: secretCopy, secret: true, note: 'App setting “Client Secret” (hrm-oauth-clientsecret).' },
    ];
  }
  if (client.preset === 'rocketchat-wordpress') {
    return [
      { id: 'wp-enable', label: 'Enable', value: 'On', copy: false },
      { id: 'url', label: 'URL', value: issuer, copy: true, note: 'API_Wordpress_URL' },
      { id: 'client-id', label: 'Id', value: client._id, copy: true },
      { id: 'client-secret', label: 'Secret', value: secretValue, copy: secretCopy, secret: true },
      { id: 'server-type', label: 'Server Type', value: 'Custom', copy: false, note: 'Choose it in the drop-down; the fields below appear.' },
      { id: 'identity-path', label: 'Identity Path', value: '/api/v2/o/userinfo/', copy: true },
      { id: 'identity-token-sent-via', label: 'Identity Token Sent Via', value: 'Header', copy: false, note: 'Choose it in the drop-down (“Payload” works too).' },
      { id: 'token-path', label: 'Token Path', value: '/o/token/', copy: true },
      { id: 'authorize-path', label: 'Authorize Path', value: '/o/authorize/', copy: true },
      { id: 'scope', label: 'Scope', value: scopeValue(config), copy: true },
    ];
  }
  return [
    { id: 'enable', label: 'Enable', value: 'On', copy: false },
    { id: 'url', label: 'URL', value: issuer, copy: true },
    { id: 'token-path', label: 'Token Path', value: '/o/token/', copy: true },
    { id: 'token-sent-via', label: 'Token Sent Via', value: 'Header', copy: false, note: 'Choose it in the drop-down. “Payload” works too.' },
    { id: 'identity-token-sent-via', label: 'Identity Token Sent Via', value: 'Header', copy: false, note: 'Choose it in the drop-down.' },
    { id: 'identity-path', label: 'Identity Path', value: '/api/v2/o/userinfo/', copy: true },
    { id: 'authorize-path', label: 'Authorize Path', value: '/o/authorize/', copy: true },
    { id: 'scope', label: 'Scope', value: config.scopes.includes('read') && config.scopes.includes('write') ? 'read write' : config.scopes.join(' '), copy: true },
    { id: 'param-name', label: 'Param Name for access token', value: 'access_token', copy: true },
    { id: 'client-id', label: 'Id', value: client._id, copy: true },
    { id: 'client-secret', label: 'Secret', value: secretValue, copy: secretCopy, secret: true },
    { id: 'login-style', label: 'Login Style', value: 'Redirect', copy: false, note: 'Choose it in the drop-down (“Popup” works too).' },
    { id: 'key-field', label: 'Key Field', value: 'Username', copy: false, note: 'Choose it in the drop-down.' },
    { id: 'username-field', label: 'Username field', value: 'username', copy: true },
    { id: 'email-field', label: 'Email field', value: 'email', copy: true },
    { id: 'name-field', label: 'Name field', value: 'name', copy: true },
    { id: 'merge-users', label: 'Merge users', value: 'On', copy: false, note: 'On links existing Rocket.Chat accounts with the same username instead of duplicating them: first check that each such username is the same person (see “Existing chat accounts”).' },
  ];
}

export interface LoginSetup {
  id: 'custom-oauth' | 'wordpress';
  title: string;
  edition: string;
  intro: string;
  redirectTemplate: string;
  values: ConnectValue[];
  overwriteLines: string[];
  /** The setup this client's preset was made for. */
  primary: boolean;
  /** What a first login creates, how existing chat accounts are treated, how to relabel the button. */
  firstLogin: Array<{ label: string; text: string }>;
}

const OVERLAP_CHECK = 'Before you turn it on in a workspace that already has accounts, compare the two lists (docs/admin-guide.md, “Before the first login”): a chat account alice is not necessarily HRM alice.';

/**
 * Rocket.Chat login can go through Custom OAuth (Premium from Rocket.Chat 9.0) or the built-in
 * WordPress provider with server type "custom" (every edition): both, side by side, for a login client.
 */
export function loginSetups(client: ClientDoc, config: Config, secret?: string): LoginSetup[] {
  if (client.preset !== 'rocketchat-login' && client.preset !== 'rocketchat-wordpress') return [];
  const as = (preset: ClientDoc['preset']): ClientDoc => ({ ...client, preset });
  const custom = as('rocketchat-login');
  const wordpress = as('rocketchat-wordpress');
  const setups: LoginSetup[] = [
    {
      id: 'wordpress',
      title: 'WordPress provider, server type Custom',
      edition: 'every edition (Community included)',
      intro: `${OAUTH_SETTINGS_PATH} → WordPress:`,
      redirectTemplate: expectedRedirectTemplate(wordpress),
      values: connectValues(wordpress, config, secret),
      overwriteLines: overwriteSettingLines(wordpress, config),
      primary: client.preset === 'rocketchat-wordpress',
      firstLogin: [
        { label: 'A first login creates', text: 'a chat account with the HRM username (userinfo “username”), full name (“name”) and e-mail (“email”).' },
        { label: 'Existing chat accounts', text: `The WordPress service has no “Merge users” setting: it does not link a first login to an existing chat account with the same username or e-mail. ${OVERLAP_CHECK}` },
        { label: 'The login button', text: 'reads “WordPress”, and Rocket.Chat has no text setting for it: tell people which button to use in the login page’s text (Administration → Workspace → Settings → Layout → Login Terms).' },
      ],
    },
    {
      id: 'custom-oauth',
      title: 'Custom OAuth “hrm”',
      edition: 'Premium from Rocket.Chat 9.0 (every edition before)',
      intro: `${OAUTH_SETTINGS_PATH} → Add custom oauth, named hrm, then Custom OAuth: Hrm:`,
      redirectTemplate: expectedRedirectTemplate(custom),
      values: connectValues(custom, config, secret),
      overwriteLines: overwriteSettingLines(custom, config),
      primary: client.preset === 'rocketchat-login',
      firstLogin: [
        { label: 'A first login creates', text: 'a chat account from the Username field (username), Name field (name) and Email field (email) above.' },
        { label: 'Existing chat accounts', text: `With “Merge users” on, a first login is linked to the existing chat account with the same username, and Rocket.Chat then trusts the HRM e-mail as verified. ${OVERLAP_CHECK} Rename or fix accounts whose username belongs to someone else before turning merging on.` },
        { label: 'The login button', text: 'Button Text, Button Text Color and Button Color are in the same settings section (for example “Sign in with HRM”).' },
      ],
    },
  ];
  return setups.sort((a, b) => Number(b.primary) - Number(a.primary));
}
