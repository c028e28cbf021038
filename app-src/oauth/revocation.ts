/**
 * Revoking a user's tokens at the provider. The engine's client is tried first for the access
 * token (token-only revocation, which this repository's provider accepts for app clients);
 * when it fails — Django OAuth Toolkit wants client authentication — the app revokes with
 * HTTP Basic itself. The refresh token is always revoked with client authentication.
 */
import { IHttp, IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { IOAuth2Client } from '@rocket.chat/apps-engine/definition/oauth2/IOAuth2';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { DEFAULT_TIMEOUT_MS } from '../http/request';
import { failWith, ok, Result } from '../lib/result';
import { revokeToken } from '../provider/revoke';
import { ProviderConfig } from '../settings/providerConfig';
import { StoredTokens } from '../storage/engineTokens';

async function engineRevoke(oauth: IOAuth2Client, user: IUser, persis: IPersistence): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), DEFAULT_TIMEOUT_MS);
    });
    try {
        return await Promise.race([oauth.revokeUserAccessToken(user, persis).catch(() => false), timeout]);
    } finally {
        clearTimeout(timer);
    }
}

/** Revokes both tokens; the first failure is returned, after every attempt was made. */
export async function revokeStoredTokens(
    deps: { oauth: IOAuth2Client; http: IHttp; persis: IPersistence; user: IUser },
    config: ProviderConfig,
    tokens: StoredTokens,
): Promise<Result<void>> {
    let access: Result<void> = ok(undefined);
    if (!(await engineRevoke(deps.oauth, deps.user, deps.persis))) {
        access = await revokeToken(deps.http, config, tokens.accessToken, 'access_token');
    }
    const refresh = tokens.refreshToken ? await revokeToken(deps.http, config, tokens.refreshToken, 'refresh_token') : ok(undefined);
    if (!access.ok) {
        return failWith(access.error);
    }
    return refresh.ok ? ok(undefined) : failWith(refresh.error);
}

/** Best effort, for tokens the app refuses to keep (a vetoed callback): never throws. */
export async function revokeQuietly(http: IHttp, config: ProviderConfig, tokens: { accessToken?: string; refreshToken?: string }): Promise<void> {
    try {
        if (tokens.refreshToken) {
            await revokeToken(http, config, tokens.refreshToken, 'refresh_token');
        }
        if (tokens.accessToken) {
            await revokeToken(http, config, tokens.accessToken, 'access_token');
        }
    } catch {
        // best effort: the caller reports the real problem
    }
}
