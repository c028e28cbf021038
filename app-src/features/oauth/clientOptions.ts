/**
 * The options object handed to createOAuth2Client. The client keeps a reference to it and
 * reads the URIs on every use, so settings changes are applied by mutating this same object.
 */
import { IOAuth2ClientOptions } from '@rocket.chat/apps-engine/definition/oauth2/IOAuth2';
import { Result } from '../../core/result';
import { DEFAULTS, OAUTH_ALIAS } from '../../infra/settings/ids';
import { ProviderConfig } from '../../infra/settings/providerConfig';

/**
 * Where the URIs point while the app is not configured: a reserved name that never resolves
 * (RFC 6761). A relative or empty URI would make the engine post the client credentials to
 * Rocket.Chat's own Site_Url.
 */
export const UNCONFIGURED_BASE = 'https://hrm-provider-not-configured.invalid';

export type AuthorizationCallback = NonNullable<IOAuth2ClientOptions['authorizationCallback']>;

export function createClientOptions(authorizationCallback: AuthorizationCallback): IOAuth2ClientOptions {
    return {
        alias: OAUTH_ALIAS,
        authUri: `${UNCONFIGURED_BASE}${DEFAULTS.authorizePath}`,
        accessTokenUri: `${UNCONFIGURED_BASE}${DEFAULTS.tokenPath}`,
        refreshTokenUri: `${UNCONFIGURED_BASE}${DEFAULTS.tokenPath}`,
        revokeTokenUri: `${UNCONFIGURED_BASE}${DEFAULTS.revokePath}`,
        defaultScopes: DEFAULTS.scopes.split(' '),
        authorizationCallback,
    };
}

/** Points the client at the configured provider (absolute URIs), or at nowhere when unusable. */
export function applyConfig(options: IOAuth2ClientOptions, config: Result<ProviderConfig>): void {
    if (config.ok) {
        options.authUri = config.value.authorizeUrl;
        options.accessTokenUri = config.value.tokenUrl;
        options.refreshTokenUri = config.value.tokenUrl;
        options.revokeTokenUri = config.value.revokeUrl;
        options.defaultScopes = [...config.value.scopes];
        return;
    }
    options.authUri = `${UNCONFIGURED_BASE}${DEFAULTS.authorizePath}`;
    options.accessTokenUri = `${UNCONFIGURED_BASE}${DEFAULTS.tokenPath}`;
    options.refreshTokenUri = `${UNCONFIGURED_BASE}${DEFAULTS.tokenPath}`;
    options.revokeTokenUri = `${UNCONFIGURED_BASE}${DEFAULTS.revokePath}`;
}
