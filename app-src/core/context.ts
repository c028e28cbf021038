/** Everything one command or callback invocation works with. */
import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { HrmServices } from './services';

export interface RequestContext {
    readonly services: HrmServices;
    readonly user: IUser;
    /** The room the command was run in, when there is one. */
    readonly room?: IRoom;
    readonly read: IRead;
    readonly modify: IModify;
    readonly http: IHttp;
    readonly persis: IPersistence;
    /** Epoch ms at the start of the invocation. */
    readonly now: number;
}
