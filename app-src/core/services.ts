/** What every handler needs from the app: its id, the OAuth client, config and logging. */
import { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { IOAuth2Client, IOAuth2ClientOptions } from '@rocket.chat/apps-engine/definition/oauth2/IOAuth2';
import { Result } from '../lib/result';
import type { CallbackInFlight } from '../oauth/callbackGuard';
import { applyConfig } from '../oauth/clientOptions';
import { OAUTH_ALIAS } from '../settings/ids';
import { parseProviderConfig, ProviderConfig } from '../settings/providerConfig';
import { readRawSettings } from '../settings/readSettings';

export const CALLBACK_PATH = `${OAUTH_ALIAS}-callback`;

export interface HrmServices {
    readonly appId: string;
    readonly oauth: IOAuth2Client;
    /** Callbacks the guard let through, by user id, while the engine handles them. */
    readonly callbacksInFlight: Map<string, CallbackInFlight>;
    /** The engine swaps the app's logger per call: always fetch it at the time of logging. */
    logger(): ILogger;
    /** Reads the settings, re-points the OAuth client at them and returns the config. */
    loadConfig(read: IRead): Promise<Result<ProviderConfig>>;
    /** `<Site_Url>/api/apps/public/<appId>/hrm-callback`, exactly as the engine sends it. */
    redirectUri(read: IRead): Promise<string>;
}

export function createServices(app: App, options: IOAuth2ClientOptions, oauth: IOAuth2Client): HrmServices {
    return {
        appId: app.getID(),
        oauth,
        callbacksInFlight: new Map(),
        logger: () => app.getLogger(),
        async loadConfig(read: IRead): Promise<Result<ProviderConfig>> {
            const config = parseProviderConfig(await readRawSettings(read.getEnvironmentReader().getSettings()));
            applyConfig(options, config);
            return config;
        },
        async redirectUri(read: IRead): Promise<string> {
            const siteUrl = String((await read.getEnvironmentReader().getServerSettings().getValueById('Site_Url')) ?? '').replace(/\/+$/, '');
            const endpoint = app.getAccessors().providedApiEndpoints.find((e) => e.path === CALLBACK_PATH);
            return `${siteUrl}${endpoint ? endpoint.computedPath : `/api/apps/public/${app.getID()}/${CALLBACK_PATH}`}`;
        },
    };
}
