/**
 * Departments → channels, on every edition: users join the channels the admin mapped to their
 * department and team slugs. A missing channel or a bad mapping is reported, never thrown, so
 * it cannot block other users (or logins). Engine 1.42.1 can add room members but not remove
 * them, so nobody is removed from a channel on a move (docs/hr-lifecycle.md).
 */
import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

export interface ChannelSyncResult {
    readonly joined: string[];
    readonly problems: string[];
}

export async function joinDepartmentChannels(user: IUser, groups: readonly string[], mapping: Record<string, string[]>, read: IRead, modify: IModify, appUser: IUser | undefined): Promise<ChannelSyncResult> {
    const joined: string[] = [];
    const problems: string[] = [];
    const wanted = [...new Set(groups.flatMap((g) => mapping[g] ?? []))];
    if (wanted.length === 0 || !user.username) {
        return { joined, problems };
    }
    if (!appUser) {
        return { joined, problems: ['the app has no bot user to add members with'] };
    }
    for (const name of wanted) {
        try {
            const room = await read.getRoomReader().getByName(name);
            if (!room) {
                problems.push(`channel #${name} does not exist`);
                continue;
            }
            const members = await read.getRoomReader().getMembers(room.id);
            if (members.some((m) => m.id === user.id)) {
                continue;
            }
            const builder = await modify.getUpdater().room(room.id, appUser);
            builder.addMemberToBeAddedByUsername(user.username);
            await modify.getUpdater().finish(builder);
            joined.push(name);
        } catch (error) {
            problems.push(`could not add @${user.username} to #${name}`);
        }
    }
    return { joined, problems };
}
