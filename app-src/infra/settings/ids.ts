/** Ids of the app's settings. The client id and secret ones are created by the engine's OAuth2Client. */
export const OAUTH_ALIAS = 'hrm';

/** The OAuth callback endpoint the engine's OAuth2Client registers. */
export const CALLBACK_PATH = `${OAUTH_ALIAS}-callback`;

export const SettingId = {
    ProviderUrl: 'hrm-provider-url',
    AuthorizePath: 'hrm-authorize-path',
    TokenPath: 'hrm-token-path',
    RevokePath: 'hrm-revoke-path',
    UserinfoPath: 'hrm-userinfo-path',
    Scopes: 'hrm-scopes',
    RequireIdentityMatch: 'hrm-require-identity-match',
    IdentityAdminApproval: 'hrm-identity-admin-approval',
    /** Provided by OAuth2Client.setup(): `<alias>-oauth-client-id`. */
    ClientId: `${OAUTH_ALIAS}-oauth-client-id`,
    /** Provided by OAuth2Client.setup(): `<alias>-oauth-clientsecret` (sic, no dash). */
    ClientSecret: `${OAUTH_ALIAS}-oauth-clientsecret`,
} as const;

/** Django OAuth Toolkit's endpoint paths, the provider's defaults. */
export const DEFAULTS = {
    authorizePath: '/o/authorize/',
    tokenPath: '/o/token/',
    revokePath: '/o/revoke_token/',
    userinfoPath: '/api/v2/o/userinfo/',
    scopes: 'read write',
    requireIdentityMatch: true,
    identityAdminApproval: false,
} as const;

/** RFC 8414 metadata document, relative to the provider URL. */
export const METADATA_PATH = '/.well-known/oauth-authorization-server';
