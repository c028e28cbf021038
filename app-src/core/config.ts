/** The validated provider configuration every feature works with (parsed in infra/settings/providerConfig.ts). */
export interface ProviderConfig {
    /** Normalised provider base URL, no trailing slash. */
    readonly providerUrl: string;
    readonly authorizeUrl: string;
    readonly tokenUrl: string;
    readonly revokeUrl: string;
    readonly userinfoUrl: string;
    readonly metadataUrl: string;
    readonly scopes: string[];
    readonly clientId: string;
    readonly clientSecret: string;
    readonly requireIdentityMatch: boolean;
    /** A login that does not match by verified email waits for an admin's approval instead of failing. */
    readonly identityAdminApproval: boolean;
}
