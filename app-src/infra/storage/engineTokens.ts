/**
 * The token record the engine's OAuth2Client keeps ({ token, refreshToken, scope, expiresAt }
 * where expiresAt is the raw expires_in). Read through the client; written here only after
 * the app's own refresh, in the exact shape the client writes, so both stay interchangeable.
 */
import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { IOAuth2Client } from '@rocket.chat/apps-engine/definition/oauth2/IOAuth2';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { RecordKind, userRecord } from './associations';

/** A token answer as the app's own refresh parsed it (features/provider-api/tokens.ts TokenSet). */
export interface RefreshedTokens {
    readonly accessToken: string;
    readonly refreshToken?: string;
    /** Seconds, as sent by the provider. */
    readonly expiresIn?: number;
    readonly scope?: string;
}

export interface StoredTokens {
    readonly accessToken: string;
    readonly refreshToken?: string;
}

export async function readTokens(oauth: IOAuth2Client, user: IUser): Promise<StoredTokens | undefined> {
    const record = await oauth.getAccessTokenForUser(user);
    if (!record || typeof record.token !== 'string' || !record.token) {
        return undefined;
    }
    return { accessToken: record.token, refreshToken: record.refreshToken || undefined };
}

export async function saveRefreshedTokens(persis: IPersistence, userId: string, tokens: RefreshedTokens, previousRefreshToken: string): Promise<void> {
    await persis.updateByAssociations(
        userRecord(userId, RecordKind.EngineToken),
        {
            scope: tokens.scope,
            token: tokens.accessToken,
            expiresAt: tokens.expiresIn ?? '',
            refreshToken: tokens.refreshToken ?? previousRefreshToken,
        },
        true,
    );
}

export async function removeTokens(persis: IPersistence, userId: string): Promise<void> {
    await persis.removeByAssociations(userRecord(userId, RecordKind.EngineToken));
}
