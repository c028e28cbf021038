/** /hrm check's HR line: can the HR job use the provider's status endpoint with these credentials? */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { basicAuthorization, send } from '../../infra/http/request';
import { ProviderConfig } from '../../infra/settings/providerConfig';
import { STATUS_PATH } from './statusClient';

/** One line, never ':x:' — the HR job is optional, sign-in works without it. */
export async function statusEndpointLine(http: IHttp, config: ProviderConfig): Promise<string> {
    const url = `${config.providerUrl}${STATUS_PATH}`;
    const answer = await send(http, {
        method: 'post',
        url,
        headers: { Authorization: basicAuthorization(config.clientId, config.clientSecret) },
        json: { ids: ['hrm-check'] },
    });
    if (!answer.ok) {
        return `:warning: HR status endpoint (${url}): ${answer.error.message}`;
    }
    switch (answer.value.status) {
        case 200:
            return ':white_check_mark: The HR status endpoint answers: the HR job can check leavers, sync profiles and department channels.';
        case 404:
        case 405:
            return `:warning: The provider has no HR status endpoint (${url}), as Django OAuth Toolkit: the HR job (offboarding, profile sync, department channels) cannot run.`;
        case 403:
            return `:warning: The provider refuses HR status checks for this client: create the client with the preset \`rocketchat-app\` (or allow it HRM status checks) for the HR job to run.`;
        default:
            return `:warning: The HR status endpoint answered HTTP ${answer.value.status}: the HR job will report it at each run.`;
    }
}
