/** Every linked Rocket.Chat user, from the identity records (which carry the user id since 0.2). */
import { IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { RecordKind } from '../../infra/storage/associations';
import { LinkedIdentity } from '../../infra/storage/identities';

export interface Link {
    readonly userId: string;
    readonly identity: LinkedIdentity;
}

/** Links, plus how many identity records predate the user id (they are skipped; see docs). */
export async function listLinks(read: IPersistenceRead): Promise<{ links: Link[]; withoutUserId: number }> {
    const records = ((await read.readByAssociation(new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, RecordKind.Identity))) ?? []) as LinkedIdentity[];
    const links: Link[] = [];
    let withoutUserId = 0;
    const seen = new Set<string>();
    for (const r of records) {
        if (!r || typeof r.sub !== 'string') {
            continue;
        }
        if (typeof r.userId !== 'string' || !r.userId) {
            withoutUserId++;
            continue;
        }
        if (!seen.has(r.userId)) {
            seen.add(r.userId);
            links.push({ userId: r.userId, identity: r });
        }
    }
    return { links, withoutUserId };
}
