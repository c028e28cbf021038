/**
 * Departments → channels, on every edition: users join the channels the admin mapped to their
 * department and team slugs, and a department move takes them out of the mapped channels the
 * app itself put them in (never out of one they joined on their own: the joins the app made are
 * recorded, infra/storage/channelJoins.ts). Leaving needs `IModifyDeleter.removeUsersFromRoom`
 * (Apps-Engine 1.52+); it is looked up at run time, so servers on older engines keep working and
 * the report says the old channel was kept. A missing channel or a bad mapping is reported,
 * never thrown, so it cannot block other users (or logins).
 */
import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { ChannelJoins } from '../../infra/storage/channelJoins';

export interface ChannelSyncResult {
    readonly joined: string[];
    readonly left: string[];
    /** Channels the user would leave but the engine cannot remove members. */
    readonly kept: string[];
    readonly problems: string[];
    /** The user's joins record after the sync, when it changed. */
    readonly joins?: ChannelJoins;
}

type RemoveUsers = (roomId: string, usernames: string[]) => Promise<void>;

/** How a runtime answers a method it does not have. */
const UNSUPPORTED = /not a function|method ?not ?found|unknown method|not implemented/i;

/** removeUsersFromRoom when this engine has it (1.52+), else undefined. */
export function roomMemberRemover(modify: IModify): RemoveUsers | undefined {
    const deleter = modify.getDeleter() as unknown as { removeUsersFromRoom?: RemoveUsers };
    return typeof deleter.removeUsersFromRoom === 'function' ? (roomId, usernames) => (deleter.removeUsersFromRoom as RemoveUsers).call(deleter, roomId, usernames) : undefined;
}

/**
 * Rooms and their members, read once per channel per job invocation (a room's member list
 * used to be fetched for every user: 835,000 user objects moved at 3,000 users) and kept up to
 * date as the job adds and removes members.
 */
export class RoomCache {
    private readonly byName = new Map<string, IRoom | undefined>();
    private readonly members = new Map<string, Set<string>>();
    /** Rooms and member lists actually read (for the figures in docs/hr-lifecycle.md). */
    public reads = 0;

    constructor(private readonly read: IRead) {}

    public async room(name: string): Promise<IRoom | undefined> {
        if (!this.byName.has(name)) {
            this.reads++;
            this.byName.set(name, (await this.read.getRoomReader().getByName(name)) ?? undefined);
        }
        return this.byName.get(name);
    }

    /** Member ids of a room; undefined when the room no longer exists. */
    public async memberIds(roomId: string): Promise<Set<string> | undefined> {
        if (!this.members.has(roomId)) {
            this.reads++;
            try {
                const list = (await this.read.getRoomReader().getMembers(roomId)) ?? [];
                this.members.set(roomId, new Set(list.map((m) => m.id)));
            } catch {
                return undefined;
            }
        }
        return this.members.get(roomId);
    }
}

export interface ChannelDeps {
    readonly modify: IModify;
    readonly appUser: IUser | undefined;
    readonly rooms: RoomCache;
    readonly remover: RemoveUsers | undefined;
}

export async function syncDepartmentChannels(deps: ChannelDeps, user: IUser, groups: readonly string[], mapping: Record<string, string[]>, recorded: ChannelJoins | undefined): Promise<ChannelSyncResult> {
    const joined: string[] = [];
    const left: string[] = [];
    const kept: string[] = [];
    const problems: string[] = [];
    const rooms: Record<string, string> = { ...(recorded?.rooms ?? {}) };
    let changed = false;
    const wanted = [...new Set(groups.flatMap((g) => mapping[g] ?? []))];
    if (!user.username) {
        return { joined, left, kept, problems };
    }
    if (!deps.appUser && (wanted.length > 0 || Object.keys(rooms).length > 0)) {
        return { joined, left, kept, problems: ['the app has no bot user to change channel members with'] };
    }
    const wantedIds = new Set<string>();
    for (const name of wanted) {
        try {
            const room = await deps.rooms.room(name);
            if (!room) {
                problems.push(`channel #${name} does not exist`);
                continue;
            }
            wantedIds.add(room.id);
            const members = await deps.rooms.memberIds(room.id);
            if (!members) {
                problems.push(`channel #${name} could not be read`);
                continue;
            }
            if (members.has(user.id)) {
                continue;
            }
            const builder = await deps.modify.getUpdater().room(room.id, deps.appUser as IUser);
            builder.addMemberToBeAddedByUsername(user.username);
            await deps.modify.getUpdater().finish(builder);
            members.add(user.id);
            rooms[room.id] = name;
            changed = true;
            joined.push(name);
        } catch (error) {
            problems.push(`could not add @${user.username} to #${name}`);
        }
    }
    // Channels the app added this user to that their department no longer maps to.
    for (const [roomId, name] of Object.entries(rooms)) {
        if (wantedIds.has(roomId) || wanted.includes(name)) {
            continue;
        }
        try {
            const members = await deps.rooms.memberIds(roomId);
            if (!members || !members.has(user.id)) {
                // The channel is gone or they already left: nothing to undo.
                delete rooms[roomId];
                changed = true;
                continue;
            }
            if (!deps.remover) {
                kept.push(name);
                continue;
            }
            await deps.remover(roomId, [user.username]);
            members.delete(user.id);
            delete rooms[roomId];
            changed = true;
            left.push(name);
        } catch (error) {
            // Out of process every accessor method "exists" (a proxy): an engine without the
            // method answers with an error instead, which counts as "cannot remove" too.
            if (UNSUPPORTED.test(error instanceof Error ? error.message : String(error))) {
                kept.push(name);
            } else {
                problems.push(`could not remove @${user.username} from #${name}`);
            }
        }
    }
    return { joined, left, kept, problems, ...(changed ? { joins: { userId: user.id, rooms } } : {}) };
}
