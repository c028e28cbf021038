/** Rooms in memory: enough of Rocket.Chat's room bridge for reading rooms by name and adding members. */
import { RoomBridge } from '@rocket.chat/apps-engine/server/bridges';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

export class MemoryRoomBridge extends RoomBridge {
    public readonly rooms = new Map<string, IRoom>();
    /** Member user ids per room id. */
    public readonly members = new Map<string, Set<string>>();
    /** Every update call's added usernames, for assertions. */
    public readonly additions: Array<{ roomId: string; usernames: string[] }> = [];

    constructor(private readonly users: { get(id: string): IUser | undefined; byUsername(name: string): IUser | undefined }) {
        super();
    }

    public add(room: IRoom): IRoom {
        this.rooms.set(room.id, room);
        this.members.set(room.id, new Set());
        return room;
    }

    public memberIds(roomId: string): string[] {
        return [...(this.members.get(roomId) ?? [])];
    }

    protected async create(): Promise<string> {
        throw new Error('the test host does not create rooms');
    }

    protected async getById(roomId: string): Promise<IRoom> {
        return this.rooms.get(roomId) as IRoom;
    }

    protected async getByName(roomName: string): Promise<IRoom> {
        return [...this.rooms.values()].find((r) => r.slugifiedName === roomName || r.displayName === roomName) as IRoom;
    }

    protected async getCreatorById(roomId: string): Promise<IUser | undefined> {
        return this.rooms.get(roomId)?.creator;
    }

    protected async getCreatorByName(roomName: string): Promise<IUser | undefined> {
        return (await this.getByName(roomName))?.creator;
    }

    protected async getDirectByUsernames(): Promise<IRoom | undefined> {
        return undefined;
    }

    protected async getMembers(roomId: string): Promise<IUser[]> {
        return this.memberIds(roomId).map((id) => this.users.get(id)).filter((u): u is IUser => !!u);
    }

    /** Rocket.Chat adds `members` (usernames) to the room. */
    protected async update(room: IRoom, members: string[]): Promise<void> {
        const set = this.members.get(room.id);
        if (!set) {
            throw new Error(`No room ${room.id}`);
        }
        this.additions.push({ roomId: room.id, usernames: [...members] });
        for (const name of members) {
            const user = this.users.byUsername(name);
            if (user) {
                set.add(user.id);
            }
        }
    }

    /** Every removal (Apps-Engine 1.52+: IModifyDeleter.removeUsersFromRoom), for assertions. */
    public readonly removals: Array<{ roomId: string; usernames: string[] }> = [];

    /** Rocket.Chat removes `usernames` from the room (bridges of engines without it never call this). */
    protected async removeUsers(roomId: string, usernames: string[]): Promise<void> {
        const set = this.members.get(roomId);
        if (!set) {
            throw new Error(`No room ${roomId}`);
        }
        this.removals.push({ roomId, usernames: [...usernames] });
        for (const name of usernames) {
            const user = this.users.byUsername(name);
            if (user) {
                set.delete(user.id);
            }
        }
    }

    protected async createDiscussion(): Promise<string> {
        throw new Error('not supported');
    }

    protected async delete(): Promise<void> {}

    protected async getModerators(): Promise<IUser[]> {
        return [];
    }

    protected async getOwners(): Promise<IUser[]> {
        return [];
    }

    protected async getLeaders(): Promise<IUser[]> {
        return [];
    }
}
