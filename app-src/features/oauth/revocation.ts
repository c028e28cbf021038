/**
 * Revoking a user's tokens at the provider: RFC 7009 with client authentication (HTTP Basic)
 * and the token in the form body, for the access and the refresh token. The engine's own
 * revokeUserAccessToken is not used: it sends the access token alone in the URL's query
 * string, which Django OAuth Toolkit refuses and access logs record.
 */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { failWith, ok, Result } from '../../core/result';
import { revokeToken } from '../provider-api/revoke';
import { ProviderConfig } from '../../infra/settings/providerConfig';
import { StoredTokens } from '../../infra/storage/engineTokens';

/** Revokes both tokens; the first failure is returned, after every attempt was made. */
export async function revokeStoredTokens(http: IHttp, config: ProviderConfig, tokens: StoredTokens): Promise<Result<void>> {
    const refresh = tokens.refreshToken ? await revokeToken(http, config, tokens.refreshToken, 'refresh_token') : ok(undefined);
    const access = await revokeToken(http, config, tokens.accessToken, 'access_token');
    if (!refresh.ok) {
        return failWith(refresh.error);
    }
    return access.ok ? ok(undefined) : failWith(access.error);
}

/** Best effort, for tokens the app refuses to keep (a vetoed callback): never throws. */
export async function revokeQuietly(http: IHttp, config: ProviderConfig, tokens: { accessToken?: string; refreshToken?: string }, timeoutMs?: () => number): Promise<void> {
    try {
        if (tokens.refreshToken) {
            await revokeToken(http, config, tokens.refreshToken, 'refresh_token', timeoutMs?.());
        }
        if (tokens.accessToken) {
            await revokeToken(http, config, tokens.accessToken, 'access_token', timeoutMs?.());
        }
    } catch {
        // best effort: the caller reports the real problem
    }
}
