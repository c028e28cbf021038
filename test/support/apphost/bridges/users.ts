/** Rocket.Chat users in memory: the test's chat users plus the app user the engine creates. */
import { UserBridge } from '@rocket.chat/apps-engine/server/bridges';
import { IUser, UserStatusConnection, UserType } from '@rocket.chat/apps-engine/definition/users';

export class MemoryUserBridge extends UserBridge {
    private readonly users = new Map<string, IUser>();

    /** Username → user id (the scale tests hold 5,000 users). */
    private readonly byName = new Map<string, string>();

    public add(user: IUser): IUser {
        const previous = this.users.get(user.id);
        if (previous?.username && this.byName.get(previous.username) === user.id) {
            this.byName.delete(previous.username);
        }
        this.users.set(user.id, user);
        if (user.username) {
            this.byName.set(user.username, user.id);
        }
        return user;
    }

    public get(id: string): IUser | undefined {
        return this.users.get(id);
    }

    public byUsername(username: string): IUser | undefined {
        const id = this.byName.get(username);
        return id ? this.users.get(id) : undefined;
    }

    /** Every update the app made, in order (user id and the fields it set), for assertions. */
    public readonly updates: Array<{ userId: string; updates: Partial<IUser> }> = [];
    public readonly deactivations: string[] = [];
    /** Users whose updates fail (as a Rocket.Chat database error would), to test that one failure blocks no one else. */
    public readonly failUpdatesFor = new Set<string>();
    /** Deactivations Rocket.Chat refuses (user id → its error), as for the last owner of a room. */
    public readonly refuseDeactivation = new Map<string, string>();

    protected async getById(id: string): Promise<IUser> {
        return this.users.get(id) as IUser;
    }

    protected async getByUsername(username: string): Promise<IUser> {
        return this.byUsername(username) as IUser;
    }

    protected async getAppUser(appId?: string): Promise<IUser | undefined> {
        return [...this.users.values()].find((u) => u.type === UserType.APP && u.appId === appId);
    }

    protected async getActiveUserCount(): Promise<number> {
        return [...this.users.values()].filter((u) => u.isEnabled).length;
    }

    protected async getUserUnreadMessageCount(): Promise<number> {
        return 0;
    }

    protected async create(data: Partial<IUser>, appId: string): Promise<string> {
        const id = `user-${appId}-${this.users.size + 1}`;
        this.add({
            emails: [],
            status: 'online',
            statusConnection: UserStatusConnection.ONLINE,
            utcOffset: 0,
            createdAt: new Date(),
            updatedAt: new Date(),
            lastLoginAt: new Date(),
            ...data,
            id,
        } as IUser);
        return id;
    }

    protected async remove(user: IUser): Promise<boolean> {
        return this.users.delete(user.id);
    }

    protected async update(user: IUser, updates: Partial<IUser>): Promise<boolean> {
        if (this.failUpdatesFor.has(user.id)) {
            throw new Error('simulated database error');
        }
        this.updates.push({ userId: user.id, updates: JSON.parse(JSON.stringify(updates)) });
        const current = this.users.get(user.id);
        if (!current) {
            return false;
        }
        this.users.set(user.id, { ...current, ...updates });
        return true;
    }

    protected async deleteUsersCreatedByApp(appId: string): Promise<boolean> {
        for (const user of [...this.users.values()]) {
            if (user.appId === appId) {
                this.users.delete(user.id);
            }
        }
        return true;
    }

    protected async deactivate(userId: string): Promise<boolean> {
        const refused = this.refuseDeactivation.get(userId);
        if (refused) {
            throw new Error(refused);
        }
        this.deactivations.push(userId);
        return this.update({ id: userId } as IUser, { isEnabled: false });
    }
}

/** A regular chat user; `admin` adds the Rocket.Chat admin role; emails are verified unless `emailVerified: false`. */
export function chatUser(u: { id: string; username: string; email: string; name: string; admin?: boolean; emailVerified?: boolean }): IUser {
    return {
        id: u.id,
        username: u.username,
        name: u.name,
        emails: [{ address: u.email, verified: u.emailVerified !== false }],
        type: UserType.USER,
        isEnabled: true,
        roles: u.admin ? ['user', 'admin'] : ['user'],
        status: 'online',
        statusConnection: UserStatusConnection.ONLINE,
        utcOffset: 0,
        createdAt: new Date(),
        updatedAt: new Date(),
        lastLoginAt: new Date(),
    };
}
