/**
 * The bridges an AppManager runs on: the ones the HRM app uses behave (HTTP, persistence,
 * users, messages, server settings, commands, APIs, scheduler, signing keys, UI surfaces); the rest are
 * empty subclasses that fail loudly if an app ever reaches them.
 */
import {
    ApiBridge,
    AppActivationBridge,
    AppBridges,
    AppDetailChangesBridge,
    CloudWorkspaceBridge,
    CommandBridge,
    EnvironmentalVariableBridge,
    HttpBridge,
    IInternalBridge,
    IInternalFederationBridge,
    IListenerBridge,
    LivechatBridge,
    MessageBridge,
    ModerationBridge,
    PersistenceBridge,
    RoleBridge,
    RoomBridge,
    SchedulerBridge,
    ServerSettingBridge,
    UiInteractionBridge,
    UploadBridge,
    UserBridge,
    VideoConferenceBridge,
} from '@rocket.chat/apps-engine/server/bridges';
import { OAuthAppsBridge } from '@rocket.chat/apps-engine/server/bridges/OAuthAppsBridge';
import { ThreadBridge } from '@rocket.chat/apps-engine/server/bridges/ThreadBridge';
import { FetchHttpBridge } from './http';
import { KeyPairFederationBridge, MemoryInternalBridge, MemorySchedulerBridge } from './internal';
import { RecordingMessageBridge } from './messages';
import { MemoryPersistenceBridge } from './persistence';
import { MemoryApiBridge, MemoryCommandBridge } from './registry';
import { MemoryServerSettingBridge } from './settings';
import { MemoryUserBridge } from './users';
import { MemoryRoomBridge } from './rooms';
import { RecordingUiInteractionBridge } from './ui';

/** An instance of an abstract bridge class with no behaviour of its own. */
function empty<T>(base: abstract new (...args: any[]) => T): T {
    const Empty = class extends (base as any) {};
    return new Empty() as T;
}

class SilentActivationBridge extends AppActivationBridge {
    protected async appAdded(): Promise<void> {}

    protected async appUpdated(): Promise<void> {}

    protected async appRemoved(): Promise<void> {}

    protected async appStatusChanged(): Promise<void> {}

    protected async actionsChanged(): Promise<void> {}
}

class SilentDetailChangesBridge extends AppDetailChangesBridge {
    protected onAppSettingsChange(): void {}
}

const noListeners: IListenerBridge = {
    messageEvent: async () => undefined,
    roomEvent: async () => undefined,
    uiKitInteractionEvent: async () => undefined,
};

export class MemoryAppBridges extends AppBridges {
    public readonly http = new FetchHttpBridge();
    public readonly persistence = new MemoryPersistenceBridge();
    public readonly users = new MemoryUserBridge();
    public readonly messages = new RecordingMessageBridge();
    public readonly serverSettings = new MemoryServerSettingBridge();
    public readonly commands = new MemoryCommandBridge();
    public readonly apis = new MemoryApiBridge();
    private readonly internal = new MemoryInternalBridge();
    private readonly federation = new KeyPairFederationBridge();
    public readonly scheduler = new MemorySchedulerBridge();
    public readonly rooms = new MemoryRoomBridge({ get: (id) => this.users.get(id), byUsername: (name) => this.users.byUsername(name) });
    public readonly ui = new RecordingUiInteractionBridge();
    private readonly activation = new SilentActivationBridge();
    private readonly detailChanges = new SilentDetailChangesBridge();
    private readonly others = {
        env: empty(EnvironmentalVariableBridge),
        livechat: empty(LivechatBridge),
        upload: empty(UploadBridge),
        cloud: empty(CloudWorkspaceBridge),
        videoConf: empty(VideoConferenceBridge),
        oauthApps: empty(OAuthAppsBridge),
        moderation: empty(ModerationBridge),
        thread: empty(ThreadBridge),
        role: empty(RoleBridge),
    };

    public getCommandBridge(): CommandBridge {
        return this.commands;
    }

    public getApiBridge(): ApiBridge {
        return this.apis;
    }

    public getAppDetailChangesBridge(): AppDetailChangesBridge {
        return this.detailChanges;
    }

    public getEnvironmentalVariableBridge(): EnvironmentalVariableBridge {
        return this.others.env;
    }

    public getHttpBridge(): HttpBridge {
        return this.http;
    }

    public getListenerBridge(): IListenerBridge {
        return noListeners;
    }

    public getLivechatBridge(): LivechatBridge {
        return this.others.livechat;
    }

    public getMessageBridge(): MessageBridge {
        return this.messages;
    }

    public getPersistenceBridge(): PersistenceBridge {
        return this.persistence;
    }

    public getAppActivationBridge(): AppActivationBridge {
        return this.activation;
    }

    public getRoomBridge(): RoomBridge {
        return this.rooms;
    }

    public getInternalBridge(): IInternalBridge {
        return this.internal;
    }

    public getInternalFederationBridge(): IInternalFederationBridge {
        return this.federation;
    }

    public getServerSettingBridge(): ServerSettingBridge {
        return this.serverSettings;
    }

    public getUploadBridge(): UploadBridge {
        return this.others.upload;
    }

    public getUserBridge(): UserBridge {
        return this.users;
    }

    public getUiInteractionBridge(): UiInteractionBridge {
        return this.ui;
    }

    public getSchedulerBridge(): SchedulerBridge {
        return this.scheduler;
    }

    public getCloudWorkspaceBridge(): CloudWorkspaceBridge {
        return this.others.cloud;
    }

    public getVideoConferenceBridge(): VideoConferenceBridge {
        return this.others.videoConf;
    }

    public getOAuthAppsBridge(): OAuthAppsBridge {
        return this.others.oauthApps;
    }

    public getModerationBridge(): ModerationBridge {
        return this.others.moderation;
    }

    public getThreadBridge(): ThreadBridge {
        return this.others.thread;
    }

    public getRoleBridge(): RoleBridge {
        return this.others.role;
    }

    // Bridges that only newer engines (1.62) ask for; the app uses none of them. Looked up lazily
    // because 1.42.1 does not have these classes.
    private readonly newer = new Map<string, unknown>();

    private newerBridge(name: string): unknown {
        if (!this.newer.has(name)) {
            // eslint-disable-next-line @typescript-eslint/no-var-requires
            const base = require('@rocket.chat/apps-engine/server/bridges')[name];
            this.newer.set(name, base ? empty(base) : undefined);
        }
        return this.newer.get(name);
    }

    public getContactBridge(): unknown {
        return this.newerBridge('ContactBridge');
    }

    public getEmailBridge(): unknown {
        return this.newerBridge('EmailBridge');
    }

    public getExperimentalBridge(): unknown {
        return this.newerBridge('ExperimentalBridge');
    }

    public getOutboundMessageBridge(): unknown {
        return this.newerBridge('OutboundMessageBridge');
    }
}
