/**
 * Calls the provider with the user's access token, refreshing once when our own record says
 * it has expired or when the provider answers 401/403, then retrying. A refresh token the
 * provider no longer accepts ends the link — but only after the stored tokens were read
 * again: another Rocket.Chat instance or a concurrent command may have refreshed them (the
 * loser of that race gets invalid_grant), and then the link is alive with the new pair.
 */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { RequestContext } from '../../core/context';
import { fail, failWith, ok, Result } from '../../core/result';
import { expiryFromExpiresIn, isExpired } from '../../core/time';
import { refreshAccessToken } from '../provider-api/tokens';
import { ProviderConfig } from '../../infra/settings/providerConfig';
import { readTokens, removeTokens, saveRefreshedTokens, StoredTokens } from '../../infra/storage/engineTokens';
import { readIdentity, removeIdentity, saveIdentity } from '../../infra/storage/identities';

export type TokenCall<T> = (http: IHttp, accessToken: string) => Promise<Result<T>>;

export interface SessionResult<T> {
    readonly value: T;
    readonly refreshed: boolean;
}

const NOT_LINKED = 'You have not linked an HRM account yet: run /hrm login to connect it.';

async function refresh(ctx: RequestContext, config: ProviderConfig, tokens: StoredTokens): Promise<Result<StoredTokens>> {
    if (!tokens.refreshToken) {
        return fail('session_expired', 'Your HRM access has expired and cannot be renewed: run /hrm login to connect again.');
    }
    const result = await refreshAccessToken(ctx.http, config, tokens.refreshToken);
    if (!result.ok) {
        if (result.error.code === 'session_expired') {
            const current = await refreshedElsewhere(ctx, tokens);
            if (current) {
                ctx.services.logger().info(`The HRM tokens of user ${ctx.user.id} were refreshed concurrently; using the stored pair.`);
                return ok(current);
            }
            await removeTokens(ctx.persis, ctx.user.id);
            await removeIdentity(ctx.persis, ctx.user.id);
        }
        return failWith(result.error);
    }
    await saveRefreshedTokens(ctx.persis, ctx.user.id, result.value, tokens.refreshToken);
    const identity = await readIdentity(ctx.read.getPersistenceReader(), ctx.user.id);
    if (identity) {
        const { accessTokenExpiresAt: _previous, ...rest } = identity;
        const expiresAt = expiryFromExpiresIn(result.value.expiresIn, Date.now());
        await saveIdentity(ctx.persis, ctx.user.id, expiresAt === undefined ? rest : { ...rest, accessTokenExpiresAt: expiresAt });
    }
    ctx.services.logger().info(`Refreshed the HRM access token of user ${ctx.user.id}.`);
    return ok({ accessToken: result.value.accessToken, refreshToken: result.value.refreshToken ?? tokens.refreshToken });
}

/** Time the winner of a concurrent refresh gets to store its pair before we look again. */
export const REFRESH_RACE_WAIT_MS = 1000;

/** The stored pair, when it is no longer the one whose refresh just failed. */
async function refreshedElsewhere(ctx: RequestContext, used: StoredTokens): Promise<StoredTokens | undefined> {
    for (const wait of [0, REFRESH_RACE_WAIT_MS]) {
        if (wait > 0) {
            await new Promise((resolve) => setTimeout(resolve, wait));
        }
        const current = await readTokens(ctx.services.oauth, ctx.user);
        if (current && current.refreshToken && current.refreshToken !== used.refreshToken) {
            return current;
        }
    }
    return undefined;
}

export async function withAccessToken<T>(ctx: RequestContext, config: ProviderConfig, call: TokenCall<T>): Promise<Result<SessionResult<T>>> {
    let tokens = await readTokens(ctx.services.oauth, ctx.user);
    if (!tokens) {
        return fail('not_linked', NOT_LINKED);
    }
    let refreshed = false;
    const identity = await readIdentity(ctx.read.getPersistenceReader(), ctx.user.id);
    if (isExpired(identity?.accessTokenExpiresAt, ctx.now)) {
        const renewed = await refresh(ctx, config, tokens);
        if (!renewed.ok) {
            return failWith(renewed.error);
        }
        tokens = renewed.value;
        refreshed = true;
    }
    let result = await call(ctx.http, tokens.accessToken);
    if (!result.ok && result.error.code === 'token_rejected' && !refreshed) {
        const renewed = await refresh(ctx, config, tokens);
        if (!renewed.ok) {
            return failWith(renewed.error);
        }
        refreshed = true;
        result = await call(ctx.http, renewed.value.accessToken);
    }
    if (!result.ok) {
        if (result.error.code === 'token_rejected') {
            return fail('token_rejected', 'HRM rejected your access even after renewing it: run /hrm login to connect again.');
        }
        return failWith(result.error);
    }
    return ok({ value: result.value, refreshed });
}
