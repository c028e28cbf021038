/**
 * Links waiting for an admin (the "admins approve links whose email does not match" setting):
 * a login whose HRM account does not match the chat account by verified email is kept here, one
 * per chat user, until an admin approves (/hrm approve @user) or refuses it; an approved pair
 * links at the user's next /hrm login with the same HRM account, within APPROVAL_TTL_MS.
 */
import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { MINUTE_MS } from '../../core/time';
import { OAUTH_ALIAS } from '../settings/ids';
import { userRecord } from './associations';

const KIND = `${OAUTH_ALIAS}-pending-link`;
export const APPROVAL_TTL_MS = 7 * 24 * 60 * MINUTE_MS;

export interface PendingLink {
    readonly userId: string;
    readonly chatUsername?: string;
    /** The HRM account the user logged in as. */
    readonly sub: string;
    readonly hrmUsername?: string;
    readonly hrmEmail?: string;
    readonly hrmName?: string;
    readonly requestedAt: number;
    /** Set by /hrm approve: the admin's user id and when. */
    readonly approvedBy?: string;
    readonly approvedAt?: number;
}

export async function readPendingLink(read: IPersistenceRead, userId: string): Promise<PendingLink | undefined> {
    const [record] = ((await read.readByAssociations(userRecord(userId, KIND))) ?? []) as PendingLink[];
    return record && typeof record.sub === 'string' ? record : undefined;
}

export async function listPendingLinks(read: IPersistenceRead): Promise<PendingLink[]> {
    const records = ((await read.readByAssociation(new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, KIND))) ?? []) as PendingLink[];
    return records.filter((r) => r && typeof r.userId === 'string' && typeof r.sub === 'string').sort((a, b) => a.requestedAt - b.requestedAt);
}

export async function savePendingLink(persis: IPersistence, link: PendingLink): Promise<void> {
    await persis.updateByAssociations(userRecord(link.userId, KIND), link, true);
}

export async function removePendingLink(persis: IPersistence, userId: string): Promise<void> {
    await persis.removeByAssociations(userRecord(userId, KIND));
}

/** True when an admin approved exactly this pair and the approval has not expired. */
export function isApproved(link: PendingLink | undefined, sub: string, now: number): boolean {
    return !!link && link.sub === sub && typeof link.approvedAt === 'number' && now - link.approvedAt < APPROVAL_TTL_MS;
}
