/** The linked HRM identity of a Rocket.Chat user, with our own absolute token expiry. */
import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RecordKind, userRecord } from './associations';

export interface LinkedIdentity {
    readonly sub: string;
    readonly username?: string;
    readonly email?: string;
    readonly name?: string;
    /** Epoch ms. */
    readonly linkedAt: number;
    /** Epoch ms; absent when the provider gave no expires_in. */
    readonly accessTokenExpiresAt?: number;
    /** The Rocket.Chat user id, so the offboarding job can list every link (app-src/features/hr/links.ts). */
    readonly userId?: string;
}

export function identityFromProfile(profile: { sub: string; username?: string; email?: string; name?: string }, linkedAt: number, accessTokenExpiresAt: number | undefined): LinkedIdentity {
    return {
        sub: profile.sub,
        username: profile.username,
        email: profile.email,
        name: profile.name,
        linkedAt,
        ...(accessTokenExpiresAt === undefined ? {} : { accessTokenExpiresAt }),
    };
}

export async function readIdentity(read: IPersistenceRead, userId: string): Promise<LinkedIdentity | undefined> {
    const [record] = (await read.readByAssociations(userRecord(userId, RecordKind.Identity))) as LinkedIdentity[];
    return record && typeof record.sub === 'string' ? record : undefined;
}

export async function saveIdentity(persis: IPersistence, userId: string, identity: LinkedIdentity): Promise<void> {
    await persis.updateByAssociations(userRecord(userId, RecordKind.Identity), { ...identity, userId }, true);
}

export async function removeIdentity(persis: IPersistence, userId: string): Promise<void> {
    await persis.removeByAssociations(userRecord(userId, RecordKind.Identity));
}
