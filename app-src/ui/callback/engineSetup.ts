/**
 * Runs the engine OAuth2Client's setup() (its client id / secret settings and its
 * `hrm-callback` endpoint) through a configuration view whose api.provideApi wraps that
 * endpoint with the app's guard. Only public interfaces are used: the engine hands its
 * endpoint to provideApi like any app would. Without the endpoint the app refuses to start,
 * rather than run with an unguarded callback.
 */
import { IApiExtend, IConfigurationExtend } from '@rocket.chat/apps-engine/definition/accessors';
import { IApi, IApiEndpoint } from '@rocket.chat/apps-engine/definition/api';
import { HrmServices } from '../../core/context';
import { CALLBACK_PATH } from '../../infra/settings/ids';
import { guardCallback } from './callbackGuard';

export async function setupGuardedOAuthClient(services: HrmServices, configuration: IConfigurationExtend): Promise<void> {
    let guarded = false;
    const api: IApiExtend = {
        provideApi: (provided: IApi) => {
            const endpoints = provided.endpoints.map((endpoint): IApiEndpoint => {
                if (endpoint.path !== CALLBACK_PATH || typeof endpoint.get !== 'function') {
                    return endpoint;
                }
                guarded = true;
                return { path: endpoint.path, get: guardCallback(services, endpoint.get.bind(endpoint)) };
            });
            return configuration.api.provideApi({ ...provided, endpoints });
        },
    };
    // A plain view (no prototype tricks): each runtime builds its configuration object differently.
    const view: IConfigurationExtend = {
        http: configuration.http,
        settings: configuration.settings,
        slashCommands: configuration.slashCommands,
        api,
        externalComponents: configuration.externalComponents,
        scheduler: configuration.scheduler,
        ui: configuration.ui,
        videoConfProviders: configuration.videoConfProviders,
    };
    await services.oauth.setup(view);
    if (!guarded) {
        throw new Error(`The Apps-Engine OAuth2 client did not provide its ${CALLBACK_PATH} endpoint; refusing to run an unguarded callback.`);
    }
}
