/** Token endpoint calls the app makes itself: refresh, and parsing token answers. */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { describeErrorAnswer, jsonObject, JsonObject, oauthError } from '../../infra/http/json';
import { basicAuthorization, send } from '../../infra/http/request';
import { fail, failWith, ok, Result } from '../../core/result';
import { ProviderConfig } from '../../infra/settings/providerConfig';

export interface TokenSet {
    readonly accessToken: string;
    readonly refreshToken?: string;
    /** Seconds, as sent by the provider. */
    readonly expiresIn?: number;
    readonly scope?: string;
}

export function parseTokenSet(json: JsonObject): Result<TokenSet> {
    const accessToken = json.access_token;
    if (typeof accessToken !== 'string' || accessToken.length === 0) {
        return fail('provider_bad_response', 'The HRM provider answered without an access token.');
    }
    const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in);
    return ok({
        accessToken,
        refreshToken: typeof json.refresh_token === 'string' && json.refresh_token ? json.refresh_token : undefined,
        expiresIn: Number.isFinite(expiresIn) && expiresIn >= 0 ? expiresIn : undefined,
        scope: typeof json.scope === 'string' ? json.scope : undefined,
    });
}

/**
 * grant_type=refresh_token with the credentials in HTTP Basic and the rest in the body —
 * what RFC 6749 and an unmodified Django OAuth Toolkit expect (the engine's own refresh puts
 * everything in the query string, which oauthlib rejects).
 */
export async function refreshAccessToken(http: IHttp, config: ProviderConfig, refreshToken: string): Promise<Result<TokenSet>> {
    const answer = await send(http, {
        method: 'post',
        url: config.tokenUrl,
        headers: { Authorization: basicAuthorization(config.clientId, config.clientSecret) },
        form: { grant_type: 'refresh_token', refresh_token: refreshToken },
    });
    if (!answer.ok) {
        return failWith(answer.error);
    }
    if (answer.value.status === 200) {
        const json = jsonObject(answer.value);
        return json.ok ? parseTokenSet(json.value) : failWith(json.error);
    }
    const error = oauthError(answer.value);
    if (error?.error === 'invalid_grant') {
        return fail('session_expired', 'Your HRM session has expired or was revoked: run /hrm login to connect again.');
    }
    if (error?.error === 'invalid_client') {
        return fail('provider_oauth_error', 'The HRM provider rejected the app\'s client credentials: ask a Rocket.Chat admin to run /hrm check.');
    }
    if (!error && answer.value.status < 500) {
        const json = jsonObject(answer.value);
        if (!json.ok) {
            return failWith(json.error);
        }
    }
    return fail(error ? 'provider_oauth_error' : 'provider_http_error', `The HRM provider refused to refresh the token (${describeErrorAnswer(answer.value)}).`);
}
