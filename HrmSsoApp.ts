/**
 * HRM SSO: links Rocket.Chat users to their HRM accounts through the Apps-Engine's OAuth2
 * client (alias "hrm") and offers the /hrm command. The wiring lives here; the work is in
 * app-src/, in layers: core/ < infra/ < features/ < ui/ (docs/app.md).
 */
import {
    IAppAccessors,
    IConfigurationExtend,
    IConfigurationModify,
    IEnvironmentRead,
    IHttp,
    ILogger,
    IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { IOAuth2ClientOptions } from '@rocket.chat/apps-engine/definition/oauth2/IOAuth2';
import { createOAuth2Client } from '@rocket.chat/apps-engine/definition/oauth2/OAuth2';
import { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { HrmCommand } from './app-src/ui/commands/HrmCommand';
import { createServices, HrmServices } from './app-src/features/services';
import { makeAuthorizationCallback } from './app-src/ui/callback/authorizationCallback';
import { applyConfig, createClientOptions } from './app-src/features/oauth/clientOptions';
import { setupGuardedOAuthClient } from './app-src/ui/callback/engineSetup';
import { ENDPOINT_SETTINGS, PROVIDER_URL_SETTING } from './app-src/infra/settings/definitions';
import { parseProviderConfig } from './app-src/infra/settings/providerConfig';
import { readRawSettings } from './app-src/infra/settings/readSettings';
import { hrJobProcessors, scheduleHrJob } from './app-src/features/hr/processor';
import { HR_SETTINGS, HrSettingId, readHrSettings } from './app-src/infra/settings/hrSettings';
import { handleProfileButton, PROFILE_BUTTON } from './app-src/ui/surfaces/profileButton';
import { handleBlockAction, handleViewClosed, handleViewSubmit } from './app-src/ui/surfaces/events';
import {
    IUIKitResponse,
    UIKitActionButtonInteractionContext,
    UIKitBlockInteractionContext,
    UIKitViewCloseInteractionContext,
    UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import { IModify, IPersistence } from '@rocket.chat/apps-engine/definition/accessors';

export class HrmSsoApp extends App {
    private readonly services: HrmServices;
    private readonly clientOptions: IOAuth2ClientOptions;

    constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
        super(info, logger, accessors);
        let services: HrmServices | undefined;
        // The callback needs the services, which need the client, which needs the options.
        this.clientOptions = createClientOptions((...args) => makeAuthorizationCallback(services as HrmServices)(...args));
        services = createServices(this, this.clientOptions, createOAuth2Client(this, this.clientOptions));
        this.services = services;
    }

    public async onEnable(environment: IEnvironmentRead, configurationModify: IConfigurationModify): Promise<boolean> {
        this.services.settings.invalidate();
        const settings = this.services.settings.view(environment.getSettings());
        applyConfig(this.clientOptions, parseProviderConfig(await readRawSettings(settings)));
        // The HR job (app-src/features/hr/): checks linked users against the HRM every N minutes.
        try {
            await scheduleHrJob(configurationModify.scheduler, (await readHrSettings(settings)).jobIntervalMinutes);
        } catch (error) {
            this.getLogger().error('Could not schedule the HR job; grant the app its scheduler permission.');
        }
        return true;
    }

    /**
     * Keeps the new value unchanged. Returning the setting (the base class does) would make
     * the engine write it, client secret included, into the app's logs.
     */
    public async onPreSettingUpdate(): Promise<ISetting> {
        return undefined as unknown as ISetting;
    }

    /**
     * Settings take effect at once: the cached value of the changed setting is dropped (so the
     * next use reads it, once) and the OAuth client's options object is updated in place.
     */
    public async onSettingUpdated(setting: ISetting, configurationModify: IConfigurationModify, read: IRead, _http: IHttp): Promise<void> {
        this.services.settings.invalidate(setting.id);
        await this.services.loadConfig(read);
        if (setting.id === HrSettingId.JobIntervalMinutes) {
            const settings = this.services.settings.view(read.getEnvironmentReader().getSettings());
            await scheduleHrJob(configurationModify.scheduler, (await readHrSettings(settings)).jobIntervalMinutes);
        }
    }

    /** The "HRM profile" message action (app-src/ui/surfaces/profileButton.ts). */
    public async executeActionButtonHandler(context: UIKitActionButtonInteractionContext, read: IRead, http: IHttp, persistence: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        return handleProfileButton(this.services, context, read, http, persistence, modify);
    }

    /** Block actions: the link button on the app's messages; any other id gets one clear sentence (app-src/ui/surfaces/events.ts). */
    public async executeBlockActionHandler(context: UIKitBlockInteractionContext, read: IRead, _http: IHttp, _persistence: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        return handleBlockAction(this.services, context, read, modify);
    }

    /** A submit of a view the app opened (the colleague card is read-only: it just closes). */
    public async executeViewSubmitHandler(context: UIKitViewSubmitInteractionContext, read: IRead, _http: IHttp, _persistence: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        return handleViewSubmit(this.services, context, read, modify);
    }

    /** The colleague card's Close. */
    public async executeViewClosedHandler(context: UIKitViewCloseInteractionContext, read: IRead, _http: IHttp, _persistence: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        return handleViewClosed(this.services, context, read, modify);
    }

    protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
        await configuration.settings.provideSetting(PROVIDER_URL_SETTING);
        await setupGuardedOAuthClient(this.services, configuration);
        for (const setting of ENDPOINT_SETTINGS) {
            await configuration.settings.provideSetting(setting);
        }
        for (const setting of HR_SETTINGS) {
            await configuration.settings.provideSetting(setting);
        }
        await configuration.scheduler.registerProcessors(hrJobProcessors(this.services));
        configuration.ui.registerButton(PROFILE_BUTTON);
        await configuration.slashCommands.provideSlashCommand(new HrmCommand(this.services));
    }
}
