/** GET userinfo with the user's access token. */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { describeErrorAnswer, jsonObject } from '../../infra/http/json';
import { send } from '../../infra/http/request';
import { fail, failWith, Result } from '../../core/result';
import { ProviderConfig } from '../../infra/settings/providerConfig';
import { HrmProfile, parseProfile } from './profile';

export async function fetchProfile(http: IHttp, config: ProviderConfig, accessToken: string): Promise<Result<HrmProfile>> {
    const answer = await send(http, { method: 'get', url: config.userinfoUrl, headers: { Authorization: `Bearer ${accessToken}` } });
    if (!answer.ok) {
        return failWith(answer.error);
    }
    // Django OAuth Toolkit answers 403 (empty body, no WWW-Authenticate) for a revoked or
    // unknown token where RFC 6750 says 401: both mean "this token no longer works".
    if (answer.value.status === 401 || answer.value.status === 403) {
        return fail('token_rejected', 'The HRM provider rejected the access token.');
    }
    if (answer.value.status !== 200) {
        return fail('provider_http_error', `The HRM provider could not return your profile (${describeErrorAnswer(answer.value)}).`);
    }
    const json = jsonObject(answer.value);
    return json.ok ? parseProfile(json.value) : failWith(json.error);
}
