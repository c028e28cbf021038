/** Everything one command, callback or job invocation works with: the app's services and the engine's accessors. */
import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IOAuth2Client } from '@rocket.chat/apps-engine/definition/oauth2/IOAuth2';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { ProviderConfig } from './config';
import { Result } from './result';

/** What the callback guard learned, for the engine's authorizationCallback in the same request. */
export interface CallbackInFlight {
    readonly roomId?: string;
    /** Why the code exchange could not be made, when it could not. */
    exchangeFailure?: string;
}

/** Anything settings can be read from: the engine's ISettingRead, or the cache's view of it. */
export interface SettingSource {
    getValueById(id: string): Promise<unknown>;
}

/** The settings cache (infra/settings/cache.ts), as handlers see it. */
export interface SettingsCacheLike {
    /** The engine's reader, answered from the cache where possible. */
    view(source: SettingSource): SettingSource;
    invalidate(id?: string): void;
}

/** What every handler needs from the app: its id, the OAuth client, config and logging (built in features/services.ts). */
export interface HrmServices {
    readonly appId: string;
    readonly oauth: IOAuth2Client;
    /** Callbacks the guard let through, by user id, while the engine handles them. */
    readonly callbacksInFlight: Map<string, CallbackInFlight>;
    /** Settings, read once and kept until onSettingUpdated says they changed. */
    readonly settings: SettingsCacheLike;
    /** The engine swaps the app's logger per call: always fetch it at the time of logging. */
    logger(): ILogger;
    /** Reads the settings, re-points the OAuth client at them and returns the config. */
    loadConfig(read: IRead): Promise<Result<ProviderConfig>>;
    /** `<Site_Url>/api/apps/public/<appId>/hrm-callback`, exactly as the engine sends it. */
    redirectUri(read: IRead): Promise<string>;
}

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
    /** The user's language for chat text (ui/i18n/translate.ts): 'en', 'de', 'es', 'fr' or 'pt-BR'. */
    readonly lang: string;
}
