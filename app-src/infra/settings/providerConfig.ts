/**
 * Turns the raw setting values into a validated ProviderConfig with absolute endpoint URLs.
 * Pure: no accessors here, so it is unit-tested directly.
 */
import { ProviderConfig } from '../../core/config';
import { fail, ok, Result } from '../../core/result';
import { DEFAULTS, METADATA_PATH } from './ids';
// The Apps-Engine sandbox has no global URL: take it from the allowed 'url' module.
import { URL } from 'url';

export interface RawSettings {
    providerUrl?: unknown;
    clientId?: unknown;
    clientSecret?: unknown;
    authorizePath?: unknown;
    tokenPath?: unknown;
    revokePath?: unknown;
    userinfoPath?: unknown;
    scopes?: unknown;
    requireIdentityMatch?: unknown;
    identityAdminApproval?: unknown;
}

export type { ProviderConfig };

export interface ConfigReport {
    readonly config?: ProviderConfig;
    /** Missing required settings, by label. */
    readonly missing: string[];
    /** Settings that hold unusable values, one sentence each. */
    readonly invalid: string[];
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function str(value: unknown): string {
    return typeof value === 'string' ? value.trim() : '';
}

/** The provider base URL: absolute http(s), no credentials, query or fragment. */
export function parseProviderUrl(value: string): Result<string> {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return fail('invalid_setting', 'The HRM provider URL is not a valid URL (expected something like https://hrm.example.com).');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return fail('invalid_setting', 'The HRM provider URL must start with https:// (or http:// for local testing).');
    }
    if (url.username || url.password || url.search || url.hash) {
        return fail('invalid_setting', 'The HRM provider URL must not contain a user name, password, query or fragment.');
    }
    return ok(`${url.origin}${url.pathname.replace(/\/+$/, '')}`);
}

/** An endpoint: a path under the provider URL, or an absolute http(s) URL. */
export function resolveEndpoint(base: string, value: string, label: string): Result<string> {
    if (/[\s#]/.test(value)) {
        return fail('invalid_setting', `The ${label} setting must be a path such as /o/token/ (no spaces or #).`);
    }
    if (/^https?:\/\//i.test(value)) {
        try {
            return ok(new URL(value).href);
        } catch {
            return fail('invalid_setting', `The ${label} setting is not a valid URL.`);
        }
    }
    const path = value.startsWith('/') ? value : `/${value}`;
    try {
        return ok(new URL(`${base}${path}`).href);
    } catch {
        return fail('invalid_setting', `The ${label} setting is not a valid path.`);
    }
}

/** Scopes separated by spaces or commas; each must be an RFC 6749 scope-token. */
export function parseScopes(value: string): Result<string[]> {
    const scopes = value.split(/[\s,]+/).filter((s) => s.length > 0);
    const bad = scopes.find((s) => !SCOPE_TOKEN.test(s));
    if (bad !== undefined) {
        return fail('invalid_setting', 'The scopes setting may only contain scope names separated by spaces.');
    }
    return ok([...new Set(scopes)]);
}

function parseBoolean(value: unknown, fallback: boolean): boolean {
    if (typeof value === 'boolean') {
        return value;
    }
    if (value === 'true' || value === 'false') {
        return value === 'true';
    }
    return fallback;
}

/** Every problem at once (for /hrm check) plus the config when there is none. */
export function inspectSettings(raw: RawSettings): ConfigReport {
    const missing: string[] = [];
    const invalid: string[] = [];
    const providerUrlValue = str(raw.providerUrl);
    const clientId = str(raw.clientId);
    const clientSecret = str(raw.clientSecret);
    if (!providerUrlValue) {
        missing.push('HRM provider URL');
    }
    if (!clientId) {
        missing.push('client ID');
    }
    if (!clientSecret) {
        missing.push('client secret');
    }
    const base = providerUrlValue ? parseProviderUrl(providerUrlValue) : undefined;
    if (base && !base.ok) {
        invalid.push(base.error.message);
    }
    const baseUrl = base && base.ok ? base.value : undefined;
    const endpoint = (value: unknown, fallback: string, label: string): string => {
        if (!baseUrl) {
            return '';
        }
        const resolved = resolveEndpoint(baseUrl, str(value) || fallback, label);
        if (!resolved.ok) {
            invalid.push(resolved.error.message);
            return '';
        }
        return resolved.value;
    };
    const authorizeUrl = endpoint(raw.authorizePath, DEFAULTS.authorizePath, 'authorize path');
    const tokenUrl = endpoint(raw.tokenPath, DEFAULTS.tokenPath, 'token path');
    const revokeUrl = endpoint(raw.revokePath, DEFAULTS.revokePath, 'revoke path');
    const userinfoUrl = endpoint(raw.userinfoPath, DEFAULTS.userinfoPath, 'userinfo path');
    const scopes = parseScopes(typeof raw.scopes === 'string' ? raw.scopes : DEFAULTS.scopes);
    if (!scopes.ok) {
        invalid.push(scopes.error.message);
    }
    if (missing.length > 0 || invalid.length > 0 || !baseUrl || !scopes.ok) {
        return { missing, invalid };
    }
    return {
        missing,
        invalid,
        config: {
            providerUrl: baseUrl,
            authorizeUrl,
            tokenUrl,
            revokeUrl,
            userinfoUrl,
            metadataUrl: `${new URL(baseUrl).origin}${METADATA_PATH}`,
            scopes: scopes.value,
            clientId,
            clientSecret,
            requireIdentityMatch: parseBoolean(raw.requireIdentityMatch, DEFAULTS.requireIdentityMatch),
            identityAdminApproval: parseBoolean(raw.identityAdminApproval, DEFAULTS.identityAdminApproval),
        },
    };
}

/** The config, or one sentence saying what an admin must fix. */
export function parseProviderConfig(raw: RawSettings): Result<ProviderConfig> {
    const report = inspectSettings(raw);
    if (report.config) {
        return ok(report.config);
    }
    if (report.missing.length > 0) {
        return fail('not_configured', `HRM SSO is not set up yet: a Rocket.Chat admin must fill in the ${joinWords(report.missing)} in the app's settings.`);
    }
    return fail('invalid_setting', `HRM SSO is misconfigured: ${lowerFirst(report.invalid[0])} Ask a Rocket.Chat admin to fix the app's settings.`);
}

function joinWords(words: string[]): string {
    return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function lowerFirst(sentence: string): string {
    return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
