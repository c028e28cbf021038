/**
 * The app's veto over the engine's OAuth callback. The guard (callbackGuard.ts) has already
 * checked and consumed the user's pending login and its nonce; the engine has exchanged the
 * code (through exchangeHttp: HTTP Basic, form body; error bodies parsed as tokens) and stores
 * whatever we return for; throwing is the only way to make it store nothing. So this throws
 * unless: the guard let this callback through, the exchange produced an access token, the
 * userinfo call works with it and — when the setting is on — the HRM identity matches the
 * Rocket.Chat user. Tokens we refuse are revoked.
 */
import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IAuthData } from '@rocket.chat/apps-engine/definition/oauth2/IOAuth2';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { HrmServices } from '../../core/context';
import { expiryFromExpiresIn } from '../../core/time';
import { describeIdentity } from '../messages/format';
import { cancelledPage, linkedPage } from '../messages/html';
import { notifyUser, roomById } from '../messages/notify';
import { reply } from '../messages/reply';
import { fetchProfile } from '../../features/provider-api/userinfo';
import { readTokens } from '../../infra/storage/engineTokens';
import { identityFromProfile, saveIdentity } from '../../infra/storage/identities';
import { identityMatchesUser } from '../../features/oauth/identityMatch';
import { revokeQuietly } from '../../features/oauth/revocation';
import { syncLinkedUsers } from '../../features/hr/offboarding';
import { isApproved, readPendingLink, removePendingLink, savePendingLink } from '../../infra/storage/pendingLinks';
import { t, userLanguage } from '../i18n/translate';

/** Thrown to veto: the engine logs it and shows its failure page; the message holds no secrets. */
export class CallbackRejected extends Error {
    constructor(public readonly code: string, message: string) {
        super(message);
        this.name = 'CallbackRejected';
    }
}

export function makeAuthorizationCallback(services: HrmServices) {
    return async (authData: IAuthData | undefined, user: IUser, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<{ responseContent?: string }> => {
        const now = Date.now();
        const lang = userLanguage(user);
        const pending = services.callbacksInFlight.get(user.id);
        const tell = async (text: string): Promise<void> => {
            if (!pending?.roomId) {
                return;
            }
            try {
                await notifyUser(read, modify, user, roomById(pending.roomId), reply(text));
            } catch (error) {
                services.logger().warn(`Could not notify user ${user.id} about the HRM callback.`);
            }
        };
        const reject = async (code: string, logMessage: string, userMessage?: string): Promise<never> => {
            services.logger().warn(`Rejected the HRM callback for user ${user.id}: ${logMessage}`);
            if (userMessage) {
                await tell(userMessage);
            }
            throw new CallbackRejected(code, logMessage);
        };

        const config = await services.loadConfig(read);
        const issued = { accessToken: authData?.token || undefined, refreshToken: authData?.refreshToken || undefined };
        const discardIssued = async (): Promise<void> => {
            if (config.ok && (issued.accessToken || issued.refreshToken)) {
                await revokeQuietly(http, config.value, issued);
            }
        };

        if (!pending) {
            await discardIssued();
            return reject('no_pending_login', 'the callback did not come through the guarded endpoint');
        }
        if (!authData) {
            await tell(t(lang, 'callback-cancelled'));
            return { responseContent: cancelledPage() };
        }
        if (!issued.accessToken) {
            await discardIssued();
            return reject(
                'token_exchange_failed',
                pending.exchangeFailure ? 'the code exchange could not be made' : 'the token endpoint returned no access token',
                pending.exchangeFailure
                    ? `Nothing was linked: ${pending.exchangeFailure} Run /hrm login to try again.`
                    : 'HRM did not issue a token for this login (the authorization code was refused): run /hrm login to try again.',
            );
        }
        if (!config.ok) {
            return reject('not_configured', config.error.code, config.error.message);
        }
        const profile = await fetchProfile(http, config.value, issued.accessToken);
        if (!profile.ok) {
            await discardIssued();
            return reject('userinfo_failed', profile.error.code, `Could not read your HRM profile, so nothing was linked: ${profile.error.message}`);
        }
        if (config.value.requireIdentityMatch && !identityMatchesUser(profile.value, user)) {
            const waiting = config.value.identityAdminApproval ? await readPendingLink(read.getPersistenceReader(), user.id) : undefined;
            if (isApproved(waiting, profile.value.sub, now)) {
                // An admin approved exactly this pair (/hrm approve): the approval is used up now.
                await removePendingLink(persis, user.id);
                services.logger().info(`User ${user.id} links to HRM subject ${profile.value.sub} by an admin's approval (${waiting?.approvedBy}).`);
            } else if (config.value.identityAdminApproval) {
                await discardIssued();
                await savePendingLink(persis, {
                    userId: user.id,
                    chatUsername: user.username,
                    sub: profile.value.sub,
                    hrmUsername: profile.value.username,
                    hrmEmail: profile.value.email,
                    hrmName: profile.value.name,
                    requestedAt: now,
                });
                return reject(
                    'identity_pending_approval',
                    'the HRM identity does not match the Rocket.Chat user by verified email; the pair waits for an admin\'s approval',
                    t(lang, 'callback-needs-approval', { who: describeIdentity(profile.value), username: user.username ?? user.id }),
                );
            } else {
                await discardIssued();
                return reject('identity_mismatch', 'the HRM identity does not match the Rocket.Chat user', t(lang, 'callback-mismatch', { who: describeIdentity(profile.value) }));
            }
        }
        const previous = await readTokens(services.oauth, user);
        if (previous && previous.accessToken !== issued.accessToken) {
            await revokeQuietly(http, config.value, previous);
        }
        const identity = identityFromProfile(profile.value, now, expiryFromExpiresIn(authData.expiresAt, now));
        await saveIdentity(persis, user.id, identity);
        const who = describeIdentity(identity);
        services.logger().info(`User ${user.id} linked to HRM subject ${identity.sub}.`);
        await tell(t(lang, 'callback-linked', { who }));
        // Profile sync and department channels at once (best effort: the link stands whatever happens).
        try {
            const synced = await syncLinkedUsers({ services, read, modify, http, persis }, [user.id]);
            if (synced.problems.length > 0 || synced.aborted) {
                services.logger().warn(`HR sync on link for user ${user.id}: ${synced.aborted ?? synced.problems.join('; ')}`);
            }
        } catch (error) {
            services.logger().warn(`HR sync on link failed for user ${user.id}.`);
        }
        return { responseContent: linkedPage(who) };
    };
}
