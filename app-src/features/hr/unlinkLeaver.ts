/**
 * Ends the link of a user who left the HRM: their tokens are revoked at the provider (best
 * effort: the provider already revoked them when the user left) and every record is removed.
 */
import { IHttp, IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { IOAuth2Client } from '@rocket.chat/apps-engine/definition/oauth2/IOAuth2';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { revokeQuietly } from '../oauth/revocation';
import { ProviderConfig } from '../../infra/settings/providerConfig';
import { readTokens, removeTokens } from '../../infra/storage/engineTokens';
import { removeIdentity } from '../../infra/storage/identities';
import { clearPendingLogin } from '../../infra/storage/pendingLogins';

export async function unlinkLeaver(oauth: IOAuth2Client, http: IHttp, persis: IPersistence, config: ProviderConfig, user: IUser, timeoutMs?: () => number): Promise<void> {
    const tokens = await readTokens(oauth, user);
    if (tokens) {
        await revokeQuietly(http, config, tokens, timeoutMs);
    }
    await removeTokens(persis, user.id);
    await removeIdentity(persis, user.id);
    await clearPendingLogin(persis, user.id);
}
