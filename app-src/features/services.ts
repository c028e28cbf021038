/** Builds the HrmServices object (core/context.ts) the app hands to every handler. */
import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { IOAuth2Client, IOAuth2ClientOptions } from '@rocket.chat/apps-engine/definition/oauth2/IOAuth2';
import { Result } from '../core/result';
import { HrmServices } from '../core/context';
import { applyConfig } from './oauth/clientOptions';
import { CALLBACK_PATH } from '../infra/settings/ids';
import { parseProviderConfig, ProviderConfig } from '../infra/settings/providerConfig';
import { SettingsCache } from '../infra/settings/cache';
import { readRawSettings } from '../infra/settings/readSettings';

export type { HrmServices };

export function createServices(app: App, options: IOAuth2ClientOptions, oauth: IOAuth2Client): HrmServices {
    const settings = new SettingsCache();
    return {
        appId: app.getID(),
        oauth,
        callbacksInFlight: new Map(),
        settings,
        logger: () => app.getLogger(),
        async loadConfig(read: IRead): Promise<Result<ProviderConfig>> {
            const config = parseProviderConfig(await readRawSettings(settings.view(read.getEnvironmentReader().getSettings())));
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
