/** Association keys of every record the app (or the engine's OAuth2Client for it) keeps per user. */
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { OAUTH_ALIAS } from '../settings/ids';

export const RecordKind = {
    /** Written by the engine's OAuth2Client: { token, refreshToken, scope, expiresAt: <expires_in seconds> }. */
    EngineToken: `${OAUTH_ALIAS}-oauth-connection`,
    /** Ours: the linked HRM identity. */
    Identity: `${OAUTH_ALIAS}-linked-identity`,
    /** Ours: a login started by /hrm login, waiting for its callback. */
    PendingLogin: `${OAUTH_ALIAS}-pending-login`,
} as const;

export function userRecord(userId: string, kind: string): RocketChatAssociationRecord[] {
    return [
        new RocketChatAssociationRecord(RocketChatAssociationModel.USER, userId),
        new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, kind),
    ];
}
