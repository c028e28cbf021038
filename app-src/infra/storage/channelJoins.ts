/**
 * The department channels the app itself added a user to ({ roomId: channel name }), so a
 * department move removes them from those and never from a channel they joined on their own.
 * One record per user; the HR job lists them all with one read per invocation.
 */
import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { OAUTH_ALIAS } from '../settings/ids';
import { userRecord } from './associations';

const KIND = `${OAUTH_ALIAS}-channel-joins`;

export interface ChannelJoins {
    readonly userId: string;
    /** Room id → channel name at the time of the join. */
    readonly rooms: Record<string, string>;
}

export async function listChannelJoins(read: IPersistenceRead): Promise<Map<string, ChannelJoins>> {
    const records = ((await read.readByAssociation(new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, KIND))) ?? []) as ChannelJoins[];
    const byUser = new Map<string, ChannelJoins>();
    for (const r of records) {
        if (r && typeof r.userId === 'string' && r.rooms && typeof r.rooms === 'object') {
            byUser.set(r.userId, r);
        }
    }
    return byUser;
}

export async function saveChannelJoins(persis: IPersistence, joins: ChannelJoins): Promise<void> {
    if (Object.keys(joins.rooms).length === 0) {
        await persis.removeByAssociations(userRecord(joins.userId, KIND));
        return;
    }
    await persis.updateByAssociations(userRecord(joins.userId, KIND), joins, true);
}
