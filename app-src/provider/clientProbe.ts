/**
 * Tests the client credentials without a user: an authorization_code grant with a code that
 * cannot exist. An authenticated client gets a "healthy" refusal (invalid_grant…); wrong
 * credentials get invalid_client. Two styles: HTTP Basic (what the app itself sends) and the
 * query string (what the engine's OAuth2Client sends on the callback).
 */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { describeErrorAnswer, jsonObject, oauthError } from '../http/json';
import { basicAuthorization, send } from '../http/request';
import { failWith, ok, Result } from '../lib/result';
import { ProviderConfig } from '../settings/providerConfig';
// The Apps-Engine sandbox has no global URL: take it from the allowed 'url' module.
import { URL } from 'url';

export type ProbeStyle = 'basic' | 'query';

export type ProbeVerdict = 'accepted' | 'rejected' | 'unexpected';

export interface ProbeOutcome {
    readonly verdict: ProbeVerdict;
    /** Safe summary of the provider's answer, e.g. "invalid_grant". */
    readonly answer: string;
}

const PROBE_CODE = 'hrm-sso-check-not-a-real-code';
const HEALTHY_ERRORS = ['invalid_grant', 'unsupported_grant_type', 'unauthorized_client', 'invalid_scope'];

export function classifyProbe(status: number, error: string | undefined): ProbeVerdict {
    if (error === 'invalid_client') {
        return 'rejected';
    }
    if (error !== undefined && HEALTHY_ERRORS.includes(error) && status >= 400 && status < 500) {
        return 'accepted';
    }
    return 'unexpected';
}

export async function probeClient(http: IHttp, config: ProviderConfig, redirectUri: string, style: ProbeStyle): Promise<Result<ProbeOutcome>> {
    const params = { grant_type: 'authorization_code', code: PROBE_CODE, redirect_uri: redirectUri };
    let answer;
    if (style === 'basic') {
        answer = await send(http, {
            method: 'post',
            url: config.tokenUrl,
            headers: { Authorization: basicAuthorization(config.clientId, config.clientSecret) },
            form: params,
        });
    } else {
        const url = new URL(config.tokenUrl);
        const query = { client_id: config.clientId, client_secret: config.clientSecret, ...params, access_type: 'offline' };
        for (const [key, value] of Object.entries(query)) {
            url.searchParams.set(key, value);
        }
        answer = await send(http, { method: 'post', url: url.href });
    }
    if (!answer.ok) {
        return failWith(answer.error);
    }
    const error = oauthError(answer.value);
    if (!error) {
        const json = jsonObject(answer.value);
        if (!json.ok) {
            return failWith(json.error);
        }
    }
    return ok({ verdict: classifyProbe(answer.value.status, error?.error), answer: describeErrorAnswer(answer.value) });
}
